"""Rendering the template and running what it generates."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import copier
import yaml

from tests.servers import Server

# Through the project's own maintenance helper, with its own driver.
ON_SERVER = """
import asyncio, os, sys
from sqlalchemy import text
from sqlalchemy.engine import make_url
from {package}.maintenance import on_server

async def main():
    async with on_server(make_url(os.environ["DATABASE_URL"])) as server:
        result = await server.execute(text(sys.argv[1]))
        print(*(result.scalars() if result.returns_rows else ()), sep="\\n")

asyncio.run(main())
"""
UNRENDERED = re.compile(r"{{|}}|{%|%}")
GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")  # `${{ github.ref }}`: meant to survive rendering
# The template's own run must not leak into a generated project's venv, Python, pytest or test database.
NOT_INHERITED = frozenset(
    {
        "VIRTUAL_ENV",
        "UV_PROJECT_ENVIRONMENT",
        "UV_PYTHON",
        "TEST_DATABASE_URL",
        "PYTEST_XDIST_WORKER",
        "PYTEST_ADDOPTS",
        "KEEP_TEST_DATABASE",
    }
)
OUTCOME = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")


def snapshot_template(source: Path, destination: Path) -> Path:
    """Commit the working tree as it is (uncommitted edits and new files included) into a new repo."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=source,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for relative in filter(None, listed):
        if (source / relative).is_file():
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, destination / relative)
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "snapshot")
    return destination


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}


def git(cwd: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_IDENTITY},
    ).stdout


def render(template: Path, destination: Path, vcs_ref: str = "HEAD", **data: str) -> Path:
    """`copier copy --defaults` through copier's Python API."""
    copier.run_copy(
        str(template), destination, data=data, defaults=True, unsafe=True, quiet=True, vcs_ref=vcs_ref
    )
    return destination


def copier_copy_command(template: Path, destination: Path, *options: str, **data: str) -> list[str]:
    """`copier copy` on the command line as a user runs it: defaults for what `data` leaves open."""
    answers = [f"--data={question}={answer}" for question, answer in data.items()]
    command = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref=HEAD"]
    return [*command, *options, *answers, str(template), str(destination)]


def unrendered_leftovers(root: Path) -> list[str]:
    """Files still named `.jinja` or holding Jinja delimiters after rendering."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        if (
            path.suffix == ".jinja"
            or "{{" in path.name
            or UNRENDERED.search(GITHUB_EXPRESSION.sub("", path.read_text(errors="replace")))
        ):
            found.append(str(path.relative_to(root)))
    return found


@dataclass
class Outcome:
    returncode: int
    output: str
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, completed: subprocess.CompletedProcess[str]) -> "Outcome":
        output = completed.stdout + completed.stderr
        summary = output.strip().splitlines()[-1] if output.strip() else ""
        counts = {
            kind.rstrip("s") if kind.startswith("error") else kind: int(number)
            for number, kind in OUTCOME.findall(summary)
        }
        return cls(completed.returncode, output, counts)

    def __getitem__(self, kind: str) -> int:
        return self.counts.get(kind, 0)


@dataclass
class Project:
    """A rendered project, installed in its own venv, aimed at its own databases on a real server."""

    path: Path
    server: Server
    unrendered: list[str] = field(default_factory=list)
    database_name: str = field(default_factory=lambda: f"tpl_{uuid.uuid4().hex[:8]}")

    @property
    def package(self) -> str:
        """The import name the project was rendered with."""
        return str(yaml.safe_load((self.path / ".copier-answers.yml").read_text())["package_name"])

    @property
    def environment(self) -> dict[str, str]:
        environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
        environment["DATABASE_URL"] = self.server.database_url(self.database_name)
        return environment

    def run(self, command: str, **extra_environment: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            shell=True,
            cwd=self.path,
            capture_output=True,
            text=True,
            timeout=600,
            env={**self.environment, **extra_environment},
        )

    def install(self) -> None:
        completed = self.run("uv sync --quiet")
        assert completed.returncode == 0, completed.stderr

    def readme_test_command(self) -> str:
        """The test command the generated README tells users to type."""
        readme = (self.path / "README.md").read_text()
        section = readme.split("## Test", 1)[1]
        return next(line for line in section.splitlines() if line.startswith("uv run pytest"))

    def pytest(self, arguments: str = "", **extra_environment: str) -> Outcome:
        return Outcome.of(self.run(f"{self.readme_test_command()} {arguments}", **extra_environment))

    def collected(self) -> int:
        output = self.run(f"{self.readme_test_command()} --collect-only -q").stdout
        found = re.search(r"(\d+) tests? collected", output)
        assert found, f"pytest collected nothing:\n{output}"
        return int(found.group(1))

    def on_server(self, statement: str) -> list[str]:
        """Run one SQL statement on the maintenance database of the project's server."""
        script = ON_SERVER.format(package=self.package)
        completed = self.run(f".venv/bin/python -c {shlex.quote(script)} {shlex.quote(statement)}")
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.split()

    def databases(self) -> list[str]:
        """Databases on the server that belong to this project's runs."""
        listing = {
            "postgresql": "SELECT datname FROM pg_database",
            "mysql": "SELECT schema_name FROM information_schema.schemata",
        }[self.server.database]
        return sorted(name for name in self.on_server(listing) if name.startswith(self.database_name))

    def copy(self, destination: Path) -> "Project":
        """A copy with its own venv and its own databases, for a variant of the code."""
        shutil.copytree(self.path, destination, ignore=shutil.ignore_patterns(".venv"))
        copied = Project(destination, self.server)
        copied.install()
        return copied
