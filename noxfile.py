"""Sessions: `tests` (per database), `render` and `bench`; `uv run nox` runs the default ones."""

import shutil
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
DATABASES = ["postgresql", "mysql"]


def install(session: nox.Session, *groups: str) -> None:
    """The template's own dev dependencies (and `groups`), from uv.lock, into the session's venv."""
    session.run_install(
        "uv", "sync", "--frozen", "--quiet", *(f"--group={group}" for group in groups),
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session
@nox.parametrize("database", DATABASES)
def tests(session: nox.Session, database: str) -> None:
    """Render the template for `database` and run everything it generates against the real server."""
    install(session)
    session.run("pytest", f"--database={database}", *session.posargs)


@nox.session(default=False)
def render(session: nox.Session) -> None:
    """Render both variants into ./rendered/ for inspection."""
    install(session)
    target = ROOT / "rendered"
    shutil.rmtree(target, ignore_errors=True)
    for database in DATABASES:
        session.run(
            "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD",
            "--data", "project_name=Acme Orders", "--data", f"database={database}",
            str(ROOT), str(target / database),
        )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the generated harness against the alternatives; writes bench/results/ (`-- --quick` to try)."""
    install(session, "bench")
    session.run("python", "-m", "bench", *session.posargs)
