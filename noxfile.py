"""Sessions: `lint`, `tests` (per database), `render`, `bench`, `container` (per database) and
`mutations`; `uv run nox` runs `lint` and `tests`."""

import shutil
import sys
import tempfile
from pathlib import Path

import nox
import yaml

# nox does not put the noxfile's folder on the import path; the template's tests live there.
sys.path.insert(0, str(Path(__file__).parent))
from tests.generated import copier_copy_command
from tests.servers import DATABASES

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
OWN_CODE = ["tests", "hooks", "bench", "noxfile.py"]
RENDERED_CHECKS = [["ruff", "check"], ["ruff", "format", "--check"], ["mypy"]]
# Its package sorts after `tests`, so a lint session also proves import order holds for any name.
LINTED_PROJECT_NAME = "Warehouse Orders"


def install(session: nox.Session, *groups: str) -> None:
    """The template's own dev dependencies (and `groups`), from uv.lock, into the session's venv."""
    session.run_install(
        "uv",
        "sync",
        "--frozen",
        "--quiet",
        *(f"--group={group}" for group in groups),
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


def render_variants(session: nox.Session, target: Path, project_name: str = "Acme Orders") -> list[Path]:
    """Render the working tree for each database into `target`, as a user would with copier's CLI."""
    shutil.rmtree(target, ignore_errors=True)
    for database in DATABASES:
        command = copier_copy_command(ROOT, target / database, project_name=project_name, database=database)
        session.run(*command, external=True)
    return [target / database for database in DATABASES]


def yaml_files(project: Path) -> list[Path]:
    """The project's own YAML files, hidden ones included, not those of its venv."""
    return sorted(
        path
        for path in project.rglob("*")
        if path.suffix in {".yml", ".yaml"} and ".venv" not in path.relative_to(project).parts
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff and strict mypy on the template's code; on each rendered variant its own ruff, mypy, YAML."""
    install(session, "bench")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", *[path for path in OWN_CODE if (ROOT / path).exists()])
    workflows = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)
    # Outside the repository, whose .gitignore would hide the rendered files from ruff.
    with tempfile.TemporaryDirectory() as scratch:
        for project in render_variants(session, Path(scratch), LINTED_PROJECT_NAME):
            lint_rendered(session, project)


def lint_rendered(session: nox.Session, project: Path) -> None:
    """The checks a rendered project's own CI runs (hadolint too), and every one of its YAML files parses."""
    # The project's own .venv: nox points uv at the session's venv, which a project sync would empty.
    own_venv = {"VIRTUAL_ENV": None, "UV_PROJECT_ENVIRONMENT": None}
    with session.chdir(project):
        session.run("uv", "sync", "--quiet", external=True, env=own_venv)
        for command in RENDERED_CHECKS:
            session.run("uv", "run", *command, external=True, env=own_venv)
        session.run("hadolint", "Dockerfile")
    checked = yaml_files(project)
    for path in checked:
        try:
            yaml.safe_load(path.read_text())
        except yaml.YAMLError as error:
            session.error(f"{path} is not valid YAML: {error}")
    session.log(f"{project.name}: {', '.join(str(path.relative_to(project)) for path in checked)} parse")


@nox.session
@nox.parametrize("database", DATABASES)
def tests(session: nox.Session, database: str) -> None:
    """Render the template for `database` and run everything it generates against the real server."""
    install(session)
    # The tests that need no server (answers, prompt, README render) run once, with the first database.
    only_server_tests = [] if database == DATABASES[0] else ["--server-tests-only"]
    session.run("pytest", f"--database={database}", *only_server_tests, *session.posargs)


@nox.session(default=False)
def render(session: nox.Session) -> None:
    """Render both variants into ./rendered/ for inspection."""
    install(session)
    render_variants(session, ROOT / "rendered")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the generated harness against the alternatives; writes bench/results/ (`-- --quick` to try)."""
    install(session, "bench")
    session.run("python", "-m", "bench", *session.posargs)


@nox.session(default=False)
@nox.parametrize("database", DATABASES)
def container(session: nox.Session, database: str) -> None:
    """Render `database`'s variant, lock it as a user would, run its CI job `container` (needs Docker)."""
    install(session)
    with tempfile.TemporaryDirectory() as scratch:
        project = render_variants(session, Path(scratch))[DATABASES.index(database)]
        with session.chdir(project):
            session.run("uv", "lock", "--quiet", external=True)
        session.run("python", "-m", "tests.workflow", str(project), "container")


@nox.session(default=False)
def mutations(session: nox.Session) -> None:
    """Break each promise of tests/mutations.py in a fresh copy; fails while any survives (`-- --help`)."""
    install(session)
    session.run("python", "-m", "tests.mutations", *session.posargs)
