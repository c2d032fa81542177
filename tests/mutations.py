"""Mutations: each breaks one promise in a fresh copy, then the suite that should notice it runs.

`python -m tests.mutations [--database NAME ...] [MUTATION ...]` (`uv run nox -s mutations`) renders
the working tree for each database, runs the generated project's README test command once unbroken
(it must pass, and its duration bounds every mutated run), then applies each project mutation to a
fresh copy and runs the same command; each template mutation is applied to a snapshot of the
template, whose own validator tests then run. A mutation is killed when its suite fails, and survives
when it passes or hangs past the bound. The table printed at the end names the failed tests; the run
exits non-zero while any mutation survives or no longer applies.
"""

import argparse
import itertools
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.breaks import Break, StaleEdit
from tests.generated import Project, render, snapshot_template
from tests.servers import DATABASES, Server

ROOT = Path(__file__).parents[1]
PACKAGE = "src/acme_orders"
CONFTEST, HARNESS = "tests/conftest.py", "tests/harness.py"
ERRORS, HEALTH, DB, MAIN, MAINTENANCE = (
    f"{PACKAGE}/{name}" for name in ("errors.py", "api/health.py", "db.py", "main.py", "maintenance.py")
)
TEMPLATE_SUITE = "tests/test_answers.py tests/test_prompt.py"
ANSWERS = "includes/answers.jinja"
# A hang is not a kill: a mutated run may take this many times the unbroken one (and at least a minute).
BOUND_FACTOR, MIN_BOUND_SECONDS = 4, 60
FAILED_TEST = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - (.*))?$", re.MULTILINE)  # ids may hold spaces
SHOWN_TESTS, SHOWN_MESSAGE = 3, 100


@dataclass(frozen=True)
class Mutation:
    """One promise broken on purpose: in a rendered `project` or the `template`, and on which databases."""

    where: str
    change: Break
    databases: tuple[str, ...] = DATABASES
    tests: str = (
        ""  # a project's: more pytest arguments; the template's: which of its tests, if not the answers'
    )


def project(
    *edits: tuple[str, str, str], databases: tuple[str, ...] = DATABASES, arguments: str = ""
) -> Mutation:
    return Mutation("project", Break(edits), databases, arguments)


def template(*edits: tuple[str, str, str], tests: str = TEMPLATE_SUITE) -> Mutation:
    return Mutation("template", Break(edits), tests=tests)


MUTATIONS = {
    # The isolation promises.
    "roll_back_test commits": project(
        (
            HARNESS,
            "    connection.close()\n    session.close()\n",
            "    connection.commit()\n    connection.close()\n    session.close()\n",
        )
    ),
    "outage handler answers 500": project(
        (
            ERRORS,
            "status_code=status.HTTP_503_SERVICE_UNAVAILABLE",
            "status_code=status.HTTP_500_INTERNAL_SERVER_ERROR",
        )
    ),
    "pre-ping off": project((DB, "pre_ping: bool = True", "pre_ping: bool = False")),
    "real_commits cleanup dropped": project(
        (CONFTEST, "        yield session\n    await delete_all_rows(engine)\n", "        yield session\n")
    ),
    "app's engine not disposed": project(
        (MAIN, "        yield\n        await engine.dispose()\n", "        yield\n")
    ),
    # The promises no test held.
    # Refused end to end by the template's own test, which runs a project rendered from the template.
    "database_url guard skips instead of exiting": template(
        (
            f"template/{CONFTEST}.jinja",
            'os.environ.get("PYTEST_XDIST_WORKER"))\n    except HarnessError as error:\n'
            "        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)\n",
            'os.environ.get("PYTEST_XDIST_WORKER"))\n    except HarnessError as error:\n'
            "        pytest.skip(str(error))\n",
        ),
        tests="tests/test_harness_guards.py -k refused --database=postgresql",
    ),
    "/health answers 200 with the database down": project(
        (
            HEALTH,
            '    await session.execute(text("SELECT 1"))\n',
            '    with contextlib.suppress(Exception):\n        await session.execute(text("SELECT 1"))\n',
        ),
        (HEALTH, "from fastapi import APIRouter", "import contextlib\n\nfrom fastapi import APIRouter"),
    ),
    "PoolTimeoutError not handled": project(
        (ERRORS, "DATABASE_ERRORS = (DBAPIError, PoolTimeoutError)", "DATABASE_ERRORS = (DBAPIError,)")
    ),
    "every DBAPIError an outage": project(
        (
            ERRORS,
            '        return "cannot reach the database server"\n    return None\n',
            '        return "cannot reach the database server"\n    return "query failed"\n',
        )
    ),
    "every OSError an outage": project(
        (
            ERRORS,
            "DATABASE_ERRORS = (DBAPIError, PoolTimeoutError)",
            "DATABASE_ERRORS = (DBAPIError, PoolTimeoutError, OSError)",
        ),
        (
            ERRORS,
            "    if not isinstance(error, DBAPIError):\n        return None\n",
            '    if not isinstance(error, DBAPIError):\n        return "cannot reach the database server"\n',
        ),
    ),
    "MySQL connect bounded by the driver's TCP timeout only": project(
        (
            DB,
            "async_creator=lambda: connect_within_timeout(engine, settings),",
            "connect_args=connect_args(settings),",
        ),
        databases=("mysql",),
    ),
    "item names compared by MySQL's default collation": project(
        (
            "migrations/versions/20261122_0001_create_items.py",
            '.with_variant(mysql.VARCHAR(length=100, collation="utf8mb4_bin"), "mysql")',
            "",
        ),
        databases=("mysql",),
    ),
    "worker suffix not counted in the name length": project(
        (HARNESS, 'if len(url.database or "") > MAX_NAME_LENGTH:', "if len(name) > MAX_NAME_LENGTH:")
    ),
    "no lock timeout in the test settings": project(
        (HARNESS, "        database_lock_timeout=LOCK_TIMEOUT_SECONDS,\n", "")
    ),
    "no asyncio.timeout around the maintenance connect": project(
        (
            MAINTENANCE,
            "        async with asyncio.timeout(settings.database_connect_timeout):\n"
            "            connection = await engine.connect()\n",
            "        connection = await engine.connect()\n",
        ),
        databases=("mysql",),
    ),
    "conftest passes no xdist worker id": project(
        (
            CONFTEST,
            'resolve_test_database_url(os.environ, os.environ.get("PYTEST_XDIST_WORKER"))',
            "resolve_test_database_url(os.environ)",
        ),
        arguments="-n 2",  # a serial run has no worker id to lose
    ),
    # Validators.
    "one-line rule accepts a backslash": template(
        (ANSWERS, r"""LINE_BREAKERS = '["\\\\\\x00-""", r"""LINE_BREAKERS = '["\\x00-""")
    ),
    "e-mail without a top-level domain accepted": template(
        (ANSWERS, r"""+\\.[a-zA-Z]{2,}$'""", r"""+(\\.[a-zA-Z]{2,})?$'""")
    ),
}


@dataclass(frozen=True)
class Result:
    mutation: str
    target: str
    outcome: str
    detail: str
    seconds: float


@dataclass(frozen=True)
class Run:
    returncode: int | None  # None: stopped at the bound
    output: str
    seconds: float


def run_bounded(command: str, cwd: Path, environment: dict[str, str], bound: float) -> Run:
    """`command` in its own process group, killed whole (pytest and servers it started) at the bound."""
    started = time.monotonic()
    with subprocess.Popen(
        command,
        shell=True,
        cwd=cwd,
        env={**environment, "COLUMNS": "400"},  # pytest cuts its short summary's messages to the width
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=bound)
            returncode: int | None = process.returncode
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            returncode = None
    return Run(returncode, output, time.monotonic() - started)


def judged(name: str, target: str, run: Run, bound: float) -> Result:
    if run.returncode is None:
        return Result(name, target, "survived", f"hung: no result within {bound:.0f} s", run.seconds)
    lines = run.output.strip().splitlines()
    last = lines[-1].strip("= ") if lines else "no output"
    if run.returncode == 0:
        return Result(name, target, "survived", last, run.seconds)
    failures = FAILED_TEST.findall(run.output)
    tests = list(dict.fromkeys(test for test, _ in failures))
    detail = ", ".join(tests[:SHOWN_TESTS]) + (
        f" (+{len(tests) - SHOWN_TESTS} more)" if tests[SHOWN_TESTS:] else ""
    )
    if message := next((message for _, message in failures if message), ""):
        detail += f" — {message[:SHOWN_MESSAGE]}"
    return Result(name, target, "killed", f"exit {run.returncode}: {detail or last}", run.seconds)


def stale(name: str, target: str, error: StaleEdit) -> Result:
    return Result(name, target, "edit no longer applies", str(error), 0.0)


def project_results(database: str, chosen: dict[str, Mutation], scratch: Path) -> Iterator[Result]:
    server = Server(database)
    if reason := server.unreachable_reason():
        raise SystemExit(reason)
    unbroken = Project(
        render(
            snapshot_template(ROOT, scratch / "template"),
            scratch / "unbroken",
            project_name="Acme Orders",
            database=database,
        ),
        server,
    )
    unbroken.install()
    command = f"{unbroken.readme_test_command()} -p no:randomly"
    baseline = run_bounded(command, unbroken.path, unbroken.environment, bound=600)
    if baseline.returncode != 0:
        raise SystemExit(f"the unbroken {database} project's suite does not pass:\n{baseline.output[-3000:]}")
    bound = max(MIN_BOUND_SECONDS, BOUND_FACTOR * baseline.seconds)
    print(
        f"{database}: unbroken suite passed in {baseline.seconds:.0f} s; mutated runs stop at {bound:.0f} s",
        flush=True,
    )
    for name, mutation in chosen.items():
        if mutation.where != "project" or database not in mutation.databases:
            continue
        copy = unbroken.copy(scratch / re.sub(r"\W+", "-", name))
        try:
            mutation.change.apply(copy.path)
        except StaleEdit as error:
            yield stale(name, database, error)
            continue
        try:
            run = run_bounded(f"{command} {mutation.tests}", copy.path, copy.environment, bound)
            yield judged(name, database, run, bound)
        finally:
            for leftover in copy.databases():  # a broken harness cannot be trusted to drop its own
                copy.on_server(f"DROP DATABASE {leftover}")
            shutil.rmtree(copy.path)


def template_results(chosen: dict[str, Mutation], scratch: Path) -> Iterator[Result]:
    command = f"{shlex.quote(sys.executable)} -m pytest -p no:cacheprovider -q"
    for name, mutation in chosen.items():
        if mutation.where != "template":
            continue
        copy = snapshot_template(ROOT, scratch / re.sub(r"\W+", "-", name))
        try:
            mutation.change.apply(copy)
        except StaleEdit as error:
            yield stale(name, "template", error)
            continue
        try:
            run = run_bounded(f"{command} {mutation.tests}", copy, dict(os.environ), bound=600)
            yield judged(name, "template", run, 600)
        finally:
            shutil.rmtree(copy)


def table(results: list[Result]) -> str:
    rows = ["| mutation | on | outcome | which test failed / why | s |", "|---|---|---|---|---|"]
    cells = (
        [r.mutation, r.target, r.outcome, r.detail.replace("|", "\\|"), f"{r.seconds:.0f}"] for r in results
    )
    rows += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", choices=DATABASES, help="repeatable; default: all")
    parser.add_argument("mutation", nargs="*", help="default: all")
    arguments = parser.parse_args()
    if unknown := set(arguments.mutation) - set(MUTATIONS):
        parser.error(
            f"no mutation named {', '.join(map(repr, sorted(unknown)))}; known: {', '.join(MUTATIONS)}"
        )
    chosen = {name: MUTATIONS[name] for name in arguments.mutation or MUTATIONS}
    databases = arguments.database or list(DATABASES)
    started = time.monotonic()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="mutations-") as scratch:
        runs = [template_results(chosen, Path(scratch) / "template")]
        runs += [
            project_results(database, chosen, Path(scratch) / database)
            for database in databases
            if any(
                mutation.where == "project" and database in mutation.databases for mutation in chosen.values()
            )
        ]
        for result in itertools.chain.from_iterable(runs):
            print(
                f"{result.mutation} on {result.target}: {result.outcome} ({result.seconds:.0f} s)", flush=True
            )
            results.append(result)
    print(table(results))
    survivors = [result for result in results if result.outcome != "killed"]
    print(
        f"{len(results) - len(survivors)} killed, {len(survivors)} not, in {time.monotonic() - started:.0f} s"
    )
    sys.exit(1 if survivors else 0)


if __name__ == "__main__":
    main()
