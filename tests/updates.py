"""Releases tagged in a scratch clone of the template, and projects committed and updated across them."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hooks.rename_first_revision import NEW, OLD
from tests.generated import git, render

BEFORE_RENAME, RENAME, FIX = "v0.1.0", "v0.2.0", "v0.2.1"
PYTEST_SECTION = "[tool.pytest.ini_options]\n"
FIX_LINE = "xfail_strict = true\n"
CONFLICT_MARKER = r"^(<<<<<<<|>>>>>>>)( |$)"
# Made by git and by installing the project, not by the template.
NOT_RENDERED = {".git", ".venv", "uv.lock"}

USER_DESCRIPTION = "Acme Orders takes the web shop's orders."
HEALTH_ROUTE = '@router.get("/health")\n'
ROUTE_ALIAS = '@router.get("/healthz")\n'
USER_MODULE = "tests/test_healthz.py"
USER_MODULE_SOURCE = '''"""The project's own alias of /health."""

from httpx import AsyncClient


async def test_healthz_answers_like_health(client: AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
'''
UPGRADE = "def upgrade() -> None:\n"
REVISION_NOTE = "    # Reviewed before the first deploy.\n"


def tag_releases(snapshot: Path, destination: Path) -> Path:
    """A clone of the snapshot tagged v0.1.0 (first revision under its old name), v0.2.0 (as is), v0.2.1."""
    git(destination.parent, "clone", "-q", str(snapshot), str(destination))
    git(destination, "mv", f"template/{NEW}", f"template/{OLD}")
    release(destination, BEFORE_RENAME)
    git(destination, "mv", f"template/{OLD}", f"template/{NEW}")
    release(destination, RENAME)
    pyproject = destination / "template" / "pyproject.toml.jinja"
    assert PYTEST_SECTION in pyproject.read_text()
    pyproject.write_text(pyproject.read_text().replace(PYTEST_SECTION, PYTEST_SECTION + FIX_LINE))
    release(destination, FIX)
    return destination


def release(repository: Path, tag: str) -> None:
    commit_all(repository, f"release {tag}")
    git(repository, "tag", tag)


def commit_all(repository: Path, message: str) -> None:
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


def render_committed(releases: Path, destination: Path, vcs_ref: str, **data: str) -> Path:
    """A project rendered from release `vcs_ref`, in a git repository with everything committed."""
    render(releases, destination, vcs_ref=vcs_ref, **data)
    git(destination, "init", "-q", "-b", "main")
    commit_all(destination, f"generated from {vcs_ref}")
    return destination


def edit_as_a_user(project: Path, package: str, description: str) -> None:
    """A changed README line, a changed route, a new module, and a note in the first revision."""
    replace_once(project / "README.md", f"\n{description}\n", f"\n{USER_DESCRIPTION}\n")
    replace_once(project / "src" / package / "api" / "health.py", HEALTH_ROUTE, HEALTH_ROUTE + ROUTE_ALIAS)
    (project / USER_MODULE).write_text(USER_MODULE_SOURCE)
    replace_once(project / OLD, UPGRADE, UPGRADE + REVISION_NOTE)
    commit_all(project, "our own changes")


def run_copier(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The copier command line, run in the project as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "copier", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def update(project: Path, vcs_ref: str, **data: str) -> str:
    """`copier update --trust --defaults`; its output."""
    choices = [f"--data={name}={value}" for name, value in data.items()]
    completed = run_copier(project, "update", "--trust", "--defaults", f"--vcs-ref={vcs_ref}", *choices)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout + completed.stderr


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new))


def leftovers(project: Path) -> list[str]:
    """Unmerged paths, `.rej` files and files with conflict markers."""
    unmerged = git(project, "diff", "--name-only", "--diff-filter=U").splitlines()
    rejected = [str(path.relative_to(project)) for path in project.rglob("*.rej")]
    marked = subprocess.run(
        ["git", "grep", "--untracked", "-l", "-E", CONFLICT_MARKER],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return unmerged + rejected + marked


def files(project: Path) -> dict[str, bytes]:
    """Every file the template renders by path, the answers file without its `_commit` line."""
    contents = {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and not NOT_RENDERED.intersection(path.relative_to(project).parts)
    }
    answers = contents[".copier-answers.yml"].splitlines(keepends=True)
    contents[".copier-answers.yml"] = b"".join(line for line in answers if not line.startswith(b"_commit:"))
    return contents


@dataclass
class Updated:
    """A project after one or more `copier update`s, with what each printed, by the version it went to."""

    path: Path
    outputs: dict[str, str]
