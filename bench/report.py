"""The results as a markdown table and a PNG chart."""

import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench.measure import Key, ParallelRun, Plan, SuiteRun
from bench.spread import Spread
from bench.strategies import CONTROL, COUNTED, HARNESS, INTERLEAVED, RECIPE, STRATEGIES

HARNESS_OWN_COST = "harness's own cost (harness - control)"
Statements = dict[tuple[str, bool], list[str]]
"""(strategy name, whether the test commits): the statements one test sends"""
PARALLEL_RUNS = {"serial": "", "-n 2": "-n 2"}


@dataclass(frozen=True)
class Results:
    """Everything one benchmark run measured, and where."""

    plan: Plan
    databases: list[str]
    date: str
    machine: str
    servers: dict[str, str]
    load: str
    minutes: float
    costs: dict[Key, list[float]]
    round_trips: dict[str, list[float]]
    copier_seconds: dict[str, Spread]
    install_seconds: dict[str, float]
    own_runs: dict[str, list[SuiteRun]]
    parallel: dict[tuple[str, str], list[ParallelRun]]
    statements: dict[str, Statements]
    interleaved: dict[str, list[dict[str, float]]]


def write_results(results: Results, folder: Path) -> None:
    """results.md (tables), cost-per-test.png (chart), results.json (every run's cost per test)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = list(results.plan.tables)
    (folder / "results.md").write_text(results_markdown(results))
    chart(results.costs, results.databases, tables, folder / "cost-per-test.png")
    raw = {"/".join(map(str, key)): values for key, values in results.costs.items()}
    figures = {
        "milliseconds_per_test": raw,
        "round_trip_milliseconds": results.round_trips,
        "test_by_test_median_milliseconds": results.interleaved,
        "statements_per_test": {
            f"{database}/{strategy}/{'commits' if commits else 'no-commit'}": sent
            for database, counted in results.statements.items()
            for (strategy, commits), sent in counted.items()
        },
    }
    (folder / "results.json").write_text(json.dumps(figures, indent=1) + "\n")


RESULTS_MARKDOWN = """# Benchmark results

Measured {date} on {machine}; servers: {servers}. Load average (1/5/15 minutes): {load}.
The run took {minutes:.1f} minutes.

**What travels between machines**: the ratios to the plain recipe below, each taken within this
run, where every strategy met the same machine, servers and load. The milliseconds do not: they
follow the CPU, the servers and the load (the same project on another machine of the same kind
measured a control 15-50% slower and the harness's own cost up to twice as high). Compare
milliseconds only within one results file.

## Cost per test

Milliseconds per test: the difference between pytest's reported duration of a suite of {small} tests
and a larger one, divided by the extra tests; median (lowest-highest) of {repeats} runs, the
strategies interleaved within each run. Every test is the same body (INSERT a row, SELECT it back,
commit); only the per-test isolation differs. The control runs the body on one connection in one
transaction for the whole run, with no isolation.

{cost_table}

![cost per test](cost-per-test.png)

## Own cost per test, as a ratio to the plain recipe's

Timed test by test: in one pytest process, {rounds} tests per strategy run round by round (every
strategy's n-th test, then every strategy's next), each test's setup, call and teardown timed by
pytest; per strategy the median test, once per run. An isolation's own cost is its median minus
the control's from the same process, and its ratio divides that by the plain recipe's own cost from
the same process (connect, begin, a `create_savepoint` session; close the session, roll back,
close the connection). Median (lowest-highest) of {repeats} runs. The strategies that empty the
tables cannot share a process with the control's open transaction; their ratios follow from the
suites above.

{interleaved_table}

From the suites above: an isolation's own cost is its cost per test minus the control's, paired
run by run, over the recipe's from the same run: median (lowest-highest) of the {repeats} runs'
ratios, then the median own cost in milliseconds; noisier than the test-by-test figures, as each
comes from two pytest processes seconds apart. The recipe's own cost:
{recipe_own_cost} ms.

{own_cost_table}

One round trip (`SELECT 1` through SQLAlchemy, median of 1000, measured between the suites) cost
{round_trip} ms on this machine during the run.

## Statements per test

Every statement one test sends, the body's INSERT and SELECT included, counted by SQLAlchemy's
`before_cursor_execute` plus the transaction statements the driver sends by itself (asyncpg's
BEGIN; COMMIT and ROLLBACK of both drivers), in the third run of each test, once the session's
fixtures are set up. "Own" counts what the control does not send.

{statements_table}

## Fixed costs

Seconds. `copier copy` with defaults; `uv sync` of the new project (warm uv cache); the generated
suite run with its README command on a database that does not exist yet: time to the first passed
test (interpreter start-up, database creation, migrations), then the whole suite.

{fixed_table}

## {parallel_tests} harness tests, serial and `-n 2`

Seconds, on new databases each run (one per worker under xdist), on the machine's 2 cores.

{parallel_table}
"""


def results_markdown(results: Results) -> str:
    databases, tables = results.databases, list(results.plan.tables)
    fixed_rows = [
        [
            database,
            results.copier_seconds[database].shown(),
            f"{results.install_seconds[database]:.1f}",
            Spread.of([run.first_result_seconds for run in results.own_runs[database]]).shown(),
            f"{results.own_runs[database][0].tests} tests: "
            + Spread.of([run.wall_seconds for run in results.own_runs[database]]).shown(),
        ]
        for database in databases
    ]
    parallel_rows = [
        [
            database,
            label,
            Spread.of([run.wall_seconds for run in results.parallel[(database, label)]]).shown(),
            Spread.of([run.pytest_seconds for run in results.parallel[(database, label)]]).shown(),
        ]
        for database in databases
        for label in PARALLEL_RUNS
    ]
    return RESULTS_MARKDOWN.format(
        date=results.date,
        machine=results.machine,
        servers="; ".join(f"{database} `{version}`" for database, version in results.servers.items()),
        load=results.load,
        minutes=results.minutes,
        small=results.plan.small_suite,
        repeats=results.plan.repeats,
        cost_table=cost_table(results.costs, databases, tables),
        own_cost_table=own_cost_table(results.costs, databases, tables),
        rounds=results.plan.rounds,
        interleaved_table=interleaved_table(results.interleaved),
        recipe_own_cost="; ".join(
            f"{database}, {count} table{'s' * (count > 1)}: "
            + Spread.of(own_costs(results.costs, database, RECIPE.name, count)).shown()
            for database in databases
            for count in tables
        ),
        statements_table=statements_table(results.statements),
        round_trip="; ".join(
            f"{database} {Spread.of(results.round_trips[database]).shown(3)}" for database in databases
        ),
        fixed_table=markdown(
            ["database", "copier copy", "uv sync", "first test result", "whole generated suite"], fixed_rows
        ),
        parallel_tests=results.plan.parallel_tests,
        parallel_table=markdown(["database", "run", "wall time", "pytest's duration"], parallel_rows),
    )


def own_costs(costs: dict[Key, list[float]], database: str, strategy: str, tables: int) -> list[float]:
    """A strategy minus the control, paired run by run so both saw the same load."""
    isolated, control = costs[(database, strategy, tables)], costs[(database, CONTROL.name, tables)]
    return [with_isolation - without for with_isolation, without in zip(isolated, control, strict=True)]


def ratios_to_recipe(costs: dict[Key, list[float]], database: str, strategy: str, tables: int) -> list[float]:
    """A strategy's own cost over the recipe's own cost, run by run."""
    recipe = own_costs(costs, database, RECIPE.name, tables)
    own = own_costs(costs, database, strategy, tables)
    return [isolation / reference for isolation, reference in zip(own, recipe, strict=True)]


def own_cost_table(costs: dict[Key, list[float]], databases: list[str], tables: list[int]) -> str:
    """Per isolation: its own cost over the recipe's (median and range of the runs), then in milliseconds."""
    header = [
        "isolation",
        *(f"{database}, {count} table{'s' * (count > 1)}" for database in databases for count in tables),
    ]
    rows = [
        [
            f"**{strategy.label}**" if strategy is HARNESS else strategy.label,
            *(
                f"{Spread.of(ratios_to_recipe(costs, database, strategy.name, count)).shown(unit='x')}, "
                f"{Spread.of(own_costs(costs, database, strategy.name, count)).median:.2f} ms"
                for database in databases
                for count in tables
            ),
        ]
        for strategy in STRATEGIES
        if strategy not in (CONTROL, RECIPE)
    ]
    return markdown(header, rows)


def interleaved_table(runs: dict[str, list[dict[str, float]]]) -> str:
    """Per database and strategy: its median test, its own cost, and that over the recipe's own cost."""
    rows = []
    for database, measured in runs.items():
        recipe = [run[RECIPE.name] - run[CONTROL.name] for run in measured]
        for strategy in INTERLEAVED:
            own = [run[strategy.name] - run[CONTROL.name] for run in measured]
            ratios = [isolation / reference for isolation, reference in zip(own, recipe, strict=True)]
            rows.append(
                [
                    database,
                    f"**{strategy.label}**" if strategy is HARNESS else strategy.label,
                    Spread.of([run[strategy.name] for run in measured]).shown(),
                    "" if strategy is CONTROL else Spread.of(own).shown(),
                    "" if strategy in (CONTROL, RECIPE) else f"**{Spread.of(ratios).shown(unit='x')}**",
                ]
            )
    header = ["database", "strategy", "ms per test", "own cost, ms", "own cost / recipe's own cost"]
    return markdown(header, rows)


def statements_table(statements: dict[str, Statements]) -> str:
    """One row per database, counted strategy and test kind: the statements in order, and how many."""
    rows = []
    for database, counted in statements.items():
        for strategy in COUNTED:
            for commits in (True, False):
                sent, control = counted[(strategy.name, commits)], counted[(CONTROL.name, commits)]
                rows.append(
                    [
                        database,
                        strategy.label,
                        "commits" if commits else "does not commit",
                        ", ".join(sent),
                        f"{len(sent)} ({len(sent) - len(control)} own)",
                    ]
                )
    return markdown(["database", "strategy", "the test", "statements", "count"], rows)


def cost_table(costs: dict[Key, list[float]], databases: list[str], tables: list[int]) -> str:
    """Milliseconds per test, median (lowest-highest) over the repeats, one row per strategy."""
    header = [
        "strategy",
        *(f"{database}, {count} table{'s' * (count > 1)}" for database in databases for count in tables),
    ]
    rows = [
        [
            strategy.label,
            *(
                Spread.of(costs[(database, strategy.name, count)]).shown()
                for database in databases
                for count in tables
            ),
        ]
        for strategy in STRATEGIES
    ]
    return markdown(header, rows)


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def chart(costs: dict[Key, list[float]], databases: list[str], tables: list[int], path: Path) -> None:
    """Cost per test against the number of tables, one panel per database, log scale."""
    figure, axes = plt.subplots(
        1, len(databases), figsize=(6 * len(databases), 4.5), sharey=True, squeeze=False
    )
    for axis, database in zip(axes[0], databases, strict=True):
        for strategy in STRATEGIES:
            spreads = [Spread.of(costs[(database, strategy.name, count)]) for count in tables]
            axis.errorbar(
                tables,
                [spread.median for spread in spreads],
                marker="o",
                capsize=3,
                label=strategy.label,
                yerr=[
                    [spread.median - spread.low for spread in spreads],
                    [spread.high - spread.median for spread in spreads],
                ],
            )
        own = [Spread.of(own_costs(costs, database, HARNESS.name, count)).median for count in tables]
        axis.plot(tables, own, "k--", marker="x", label=HARNESS_OWN_COST)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(tables, [str(count) for count in tables])
        axis.set_title(database)
        axis.set_xlabel("tables in the schema")
        axis.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("milliseconds per test (median, bars: lowest-highest)")
    axes[0][-1].legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
