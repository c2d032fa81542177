"""The measurements: marginal cost per test of each strategy, and the generated project's fixed costs."""

import subprocess
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.strategies import HARNESS, STRATEGIES
from bench.suites import PYTEST, BenchProject, passed_seconds
from tests.generated import copier_copy_command

Key = tuple[str, str, int]
"""database, strategy name, number of tables"""

Log = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """How much to measure: schema sizes, repeats, and seconds of extra tests per measurement."""

    tables: tuple[int, ...]
    repeats: int
    budget_seconds: float
    small_suite: int
    parallel_tests: int
    rounds: int


def marginal_costs(
    projects: list[BenchProject], plan: Plan, log: Log
) -> tuple[dict[Key, list[float]], dict[str, list[float]]]:
    """Milliseconds per test: (large suite - small suite) / extra tests, once per repeat, interleaved.

    With them, per database, the milliseconds of one round trip (`SELECT 1`) measured between the suites.
    """
    costs: dict[Key, list[float]] = defaultdict(list)
    round_trips: dict[str, list[float]] = defaultdict(list)
    for repeat in range(plan.repeats):
        for project in projects:
            round_trips[project.database].append(
                float(project.server("round-trip", project.test_database_url(1)))
            )
            for tables in plan.tables:
                for strategy in STRATEGIES:
                    extra = strategy.extra_tests(tables, plan.budget_seconds)
                    sizes = [plan.small_suite, plan.small_suite + extra]
                    # Alternate which size runs first, so a drift in the machine's load cancels out.
                    order = sizes if repeat % 2 == 0 else sizes[::-1]
                    seconds = {size: project.suite_seconds(strategy, size, tables) for size in order}
                    cost = (seconds[sizes[1]] - seconds[sizes[0]]) / extra * 1000
                    costs[(project.database, strategy.name, tables)].append(cost)
                    log(
                        f"  {project.database:10} {tables:3} tables  {strategy.name:15} {cost:8.2f} ms/test "
                        f"({sizes[0]}: {seconds[sizes[0]]:.2f}s, {sizes[1]}: {seconds[sizes[1]]:.2f}s)"
                    )
    return dict(costs), dict(round_trips)


def interleaved_costs(
    projects: list[BenchProject], plan: Plan, log: Log
) -> dict[str, list[dict[str, float]]]:
    """Per database, once per repeat: each strategy's median milliseconds per test, timed test by test."""
    runs: dict[str, list[dict[str, float]]] = defaultdict(list)
    for _ in range(plan.repeats):
        for project in projects:
            medians = project.interleaved_milliseconds(plan.rounds)
            runs[project.database].append(medians)
            shown = ", ".join(f"{name} {milliseconds:.2f}" for name, milliseconds in medians.items())
            log(f"  {project.database:10} test by test, ms: {shown}")
    return dict(runs)


def copier_copy_seconds(template: Path, destination: Path, database: str) -> float:
    """Wall time of `copier copy` with defaults, as a user runs it."""
    started = time.perf_counter()
    subprocess.run(
        copier_copy_command(template, destination, "--quiet", project_name="Acme Orders", database=database),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


@dataclass(frozen=True)
class SuiteRun:
    """The generated suite run with its README command on a database that does not exist yet."""

    first_result_seconds: float
    wall_seconds: float
    pytest_seconds: float
    tests: int


def own_suite_run(project: BenchProject) -> SuiteRun:
    """Start-up, database creation and migrations until the first test passes; then the whole suite."""
    command = f"{project.project.readme_test_command()} -v -p no:randomly --ignore=tests/bench"
    environment = {
        **project.project.environment,
        "PYTHONUNBUFFERED": "1",
        "TEST_DATABASE_URL": project.test_database_url(1, fresh=True),
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        shell=True,
        cwd=project.project.path,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    lines, first_result = [], 0.0
    for line in process.stdout:
        if not first_result and " PASSED" in line:
            first_result = time.perf_counter() - started
        lines.append(line)
    process.wait()
    wall = time.perf_counter() - started
    output = "".join(lines)
    tests = output.count(" PASSED")
    completed = subprocess.CompletedProcess(command, process.returncode, output, "")
    return SuiteRun(first_result, wall, passed_seconds(completed, tests), tests)


@dataclass(frozen=True)
class ParallelRun:
    wall_seconds: float
    pytest_seconds: float


def harness_suite_run(project: BenchProject, tests: int, arguments: str) -> ParallelRun:
    """`tests` harness tests on new databases (one per xdist worker), dropped at the end as users get it."""
    project.write_tests((HARNESS,), tests)
    environment = {"BENCH_TABLES": "1", "TEST_DATABASE_URL": project.test_database_url(1, fresh=True)}
    started = time.perf_counter()
    completed = project.project.run(f"{PYTEST} {arguments}", **environment)
    wall = time.perf_counter() - started
    return ParallelRun(wall, passed_seconds(completed, tests))
