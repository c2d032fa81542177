"""`python -m bench [--quick]`: render a project per database, measure, write bench/results/."""

import argparse
import tempfile
import time
from pathlib import Path

from bench import machine
from bench.measure import (
    Plan,
    copier_copy_seconds,
    harness_suite_run,
    interleaved_costs,
    marginal_costs,
    own_suite_run,
)
from bench.report import PARALLEL_RUNS, Results, write_results
from bench.spread import Spread
from bench.suites import BenchProject
from tests.generated import Project, snapshot_template, unrendered_leftovers
from tests.servers import DATABASES, Server

ROOT = Path(__file__).parents[1]
RESULTS = ROOT / "bench" / "results"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat, small budget: for development")
    parser.add_argument("--database", action="append", choices=DATABASES, help="repeatable; default: all")
    parser.add_argument("--tables", type=int, nargs="+", help="schema sizes (default: 1 10 50)")
    parser.add_argument("--repeats", type=int, help="runs per measurement (default: 3, quick: 1)")
    parser.add_argument("--budget", type=float, help="seconds of extra tests per measurement (default 4)")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"output folder (default {RESULTS})")
    return parser.parse_args()


def plan_from(options: argparse.Namespace) -> Plan:
    return Plan(
        tables=tuple(options.tables or ((1, 10) if options.quick else (1, 10, 50))),
        repeats=options.repeats or (1 if options.quick else 3),
        budget_seconds=options.budget or (0.5 if options.quick else 4.0),
        small_suite=5,
        parallel_tests=200 if options.quick else 1000,
        rounds=50 if options.quick else 300,
    )


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {machine.load()}] {line}", flush=True)


def rendered(template: Path, work: Path, database: str) -> tuple[BenchProject, Spread, float]:
    """The project for `database`, installed; with `copier copy` (three runs) and `uv sync` seconds."""
    copies = [work / f"{database}-{run}" for run in range(3)]
    copier_seconds = Spread.of([copier_copy_seconds(template, copy, database) for copy in copies])
    project = Project(copies[0], Server(database))
    if leftovers := unrendered_leftovers(project.path):
        raise SystemExit(f"unrendered files in the {database} project: {leftovers}")
    started = time.perf_counter()
    project.install()
    return BenchProject(project), copier_seconds, time.perf_counter() - started


def main() -> None:
    options = arguments()
    plan, databases = plan_from(options), options.database or list(DATABASES)
    started, load_before = time.perf_counter(), machine.load()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        work = Path(scratch)
        template = snapshot_template(ROOT, work / "template")
        projects: list[BenchProject] = []
        copier_seconds: dict[str, Spread] = {}
        install_seconds: dict[str, float] = {}
        for database in databases:
            project, copier_seconds[database], install_seconds[database] = rendered(template, work, database)
            projects.append(project)
            log(
                f"{database}: copier copy {copier_seconds[database].shown()} s, "
                f"uv sync {install_seconds[database]:.1f} s"
            )
        try:
            statements = {project.database: project.statements() for project in projects}
            log(f"statements per test counted: {statements}")
            own_runs = {
                project.database: [own_suite_run(project) for _ in range(plan.repeats)]
                for project in projects
            }
            log("generated suites timed")
            interleaved = interleaved_costs(projects, plan, log)
            costs, round_trips = marginal_costs(projects, plan, log)
            parallel = {
                (project.database, label): [
                    harness_suite_run(project, plan.parallel_tests, arguments) for _ in range(plan.repeats)
                ]
                for project in projects
                for label, arguments in PARALLEL_RUNS.items()
            }
            log("parallel runs timed")
            versions = {
                project.database: project.server("version", project.test_database_url(1))
                for project in projects
            }
        finally:
            for kept in projects:
                kept.server("drop", *(kept.test_database_url(count) for count in plan.tables))
    write_results(
        Results(
            plan=plan,
            databases=databases,
            date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            machine=machine.description(),
            servers=versions,
            load=f"{load_before} at the start, {machine.load()} at the end",
            minutes=(time.perf_counter() - started) / 60,
            costs=costs,
            round_trips=round_trips,
            copier_seconds=copier_seconds,
            install_seconds=install_seconds,
            own_runs=own_runs,
            parallel=parallel,
            statements=statements,
            interleaved=interleaved,
        ),
        options.results,
    )
    log(f"wrote {options.results}: results.md, cost-per-test.png, results.json")


if __name__ == "__main__":
    main()
