"""A pytest plugin (`-p tests.bench.timings`): tests run round by round across the strategies, and each
test's setup, call and teardown seconds (pytest's own durations) are appended to $BENCH_TIMINGS.
"""

import json
import os
import re
from collections import defaultdict

import pytest

SECONDS: defaultdict[str, float] = defaultdict(float)
TEST_ID = re.compile(r"::test_(\w+)\[(\d+)\]$")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every strategy's n-th test, then every strategy's (n+1)-th: a load change meets them all alike."""
    items.sort(key=lambda item: int(TEST_ID.search(item.nodeid).group(2)))  # type: ignore[union-attr]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    SECONDS[report.nodeid] += report.duration


def pytest_sessionfinish() -> None:
    with open(os.environ["BENCH_TIMINGS"], "a") as log:
        for nodeid, seconds in SECONDS.items():
            if found := TEST_ID.search(nodeid):
                entry = {"strategy": found.group(1), "number": int(found.group(2)), "seconds": seconds}
                log.write(json.dumps(entry) + "\n")
