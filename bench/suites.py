"""A rendered project with the benchmark's tests in it, and pytest's own timing of its runs."""

import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.strategies import COUNTED, INTERLEAVED, Strategy, statements_module, test_module
from tests.generated import Project

PROJECT_FILES = Path(__file__).parent / "project"
PYTEST = ".venv/bin/python -m pytest tests/bench -q -p no:randomly -p no:cacheprovider"
SUMMARY = re.compile(r"(\d+) passed in ([\d.]+)s")


class BenchmarkError(Exception):
    """A benchmark run did not pass: its figures would mean nothing."""


@dataclass
class BenchProject:
    """A generated project with tests/bench/ added: the strategies' conftest and a generated test module."""

    project: Project

    def __post_init__(self) -> None:
        bench = self.project.path / "tests" / "bench"
        bench.mkdir(exist_ok=True)
        (bench / "__init__.py").touch()
        for name in ("conftest.py", "server.py", "statements.py", "timings.py"):
            shutil.copy(PROJECT_FILES / name, bench / name)

    @property
    def database(self) -> str:
        return self.project.server.database

    def test_database_url(self, tables: int, fresh: bool = False) -> str:
        """One kept database per schema size, so runs skip creating it; `fresh` names a new one."""
        suffix = f"f{time.monotonic_ns() % 10**6}" if fresh else f"t{tables}"
        return self.project.server.database_url(f"{self.project.database_name}_{suffix}_test")

    def write_tests(self, strategies: tuple[Strategy, ...], count: int) -> None:
        (self.project.path / "tests" / "bench" / "test_bench.py").write_text(test_module(strategies, count))

    def environment(self, tables: int) -> dict[str, str]:
        return {
            "BENCH_TABLES": str(tables),
            "KEEP_TEST_DATABASE": "1",
            "TEST_DATABASE_URL": self.test_database_url(tables),
        }

    def suite_seconds(self, strategy: Strategy, count: int, tables: int) -> float:
        """pytest's own duration of `count` tests using `strategy` (interpreter start-up not included)."""
        self.write_tests((strategy,), count)
        completed = self.project.run(PYTEST, **self.environment(tables))
        return passed_seconds(completed, count)

    def interleaved_milliseconds(self, rounds: int) -> dict[str, float]:
        """Per strategy, the median milliseconds of its tests' setup, call and teardown (pytest's durations).

        `rounds` tests per strategy in one process, run round by round across the strategies, so a change
        in the machine's load meets every strategy alike.
        """
        self.write_tests(INTERLEAVED, rounds)
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "timings.jsonl"
            completed = self.project.run(
                f"{PYTEST} -p tests.bench.timings", **self.environment(1), BENCH_TIMINGS=str(log)
            )
            passed_seconds(completed, len(INTERLEAVED) * rounds)
            entries = [json.loads(line) for line in log.read_text().splitlines()]
        return {
            strategy.name: statistics.median(
                entry["seconds"] * 1000 for entry in entries if entry["strategy"] == strategy.name
            )
            for strategy in INTERLEAVED
        }

    def statements(self, runs: int = 3) -> dict[tuple[str, bool], list[str]]:
        """The statements each counted strategy sends in a test that commits and one that does not.

        From the last of `runs` runs of each, once the session's fixtures and the pool are set up.
        """
        (self.project.path / "tests" / "bench" / "test_bench.py").write_text(statements_module(runs))
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "statements.jsonl"
            completed = self.project.run(
                f"{PYTEST} -p tests.bench.statements", **self.environment(1), BENCH_STATEMENTS=str(log)
            )
            passed_seconds(completed, len(COUNTED) * 2 * runs)
            entries = [json.loads(line) for line in log.read_text().splitlines()]
        return {
            (entry["strategy"], entry["commits"]): entry["statements"]
            for entry in entries
            if entry["run"] == runs - 1
        }

    def server(self, command: str, *urls: str) -> str:
        """Run tests/bench/server.py in the project's venv (server version, dropping databases)."""
        completed = self.project.run(f".venv/bin/python tests/bench/server.py {command} {' '.join(urls)}")
        if completed.returncode:
            raise BenchmarkError(completed.stderr)
        return completed.stdout.strip()


def passed_seconds(completed: "subprocess.CompletedProcess[str]", count: int) -> float:
    """The duration from pytest's summary line, once sure all `count` tests passed."""
    output = completed.stdout + completed.stderr
    summary = SUMMARY.search(output.strip().splitlines()[-1] if output.strip() else "")
    if completed.returncode or not summary or int(summary.group(1)) != count:
        raise BenchmarkError(f"expected {count} passed tests:\n{output[-3000:]}")
    return float(summary.group(2))
