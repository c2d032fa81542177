"""Each Python version the template offers: pinned in `.python-version`, used by uv, the suite green."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_NAME, ROOT
from tests.generated import Project, render
from tests.servers import Server

QUESTION = yaml.safe_load((ROOT / "copier.yml").read_text())["python_version"]
OFFERED: list[str] = QUESTION["choices"]
DEFAULT: str = QUESTION["default"]
REPORT_VERSION = "import sys; print('%d.%d' % sys.version_info[:2])"


def reported_version(python: str) -> str | None:
    """The `major.minor` an interpreter reports; None when it does not run (a pyenv shim of another)."""
    completed = subprocess.run([python, "-c", REPORT_VERSION], capture_output=True, text=True, check=False)
    return completed.stdout.strip() if completed.returncode == 0 else None


def installed_interpreter(version: str) -> Path | None:
    """`python<version>` on this machine: one pyenv built, else one on PATH; None when there is none."""
    candidates = []
    if pyenv := shutil.which("pyenv"):
        for name in subprocess.run(
            [pyenv, "versions", "--bare"], capture_output=True, text=True
        ).stdout.split():
            if name.startswith(f"{version}."):
                found = subprocess.run(
                    [pyenv, "which", f"python{version}"],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "PYENV_VERSION": name},
                )
                candidates.append(found.stdout.strip())
    candidates.append(shutil.which(f"python{version}") or "")
    return next(
        (Path(python) for python in candidates if python and reported_version(python) == version), None
    )


def venv_version(project: Project) -> str | None:
    return reported_version(str(project.path / ".venv" / "bin" / "python"))


@dataclass
class VersionedProject:
    """A project rendered for `version`, and the environment uv ran in: every offered Python, no downloads."""

    version: str
    project: Project
    environment: dict[str, str]


@pytest.fixture(scope="session", params=[version for version in OFFERED if version != DEFAULT])
def versioned(
    request: pytest.FixtureRequest, template: Path, server: Server, tmp_path_factory: pytest.TempPathFactory
) -> VersionedProject:
    """A project for a non-default version, installed by uv with that version last on PATH.

    Every other offered version this machine has comes first on PATH, so uv takes the chosen one only
    because `.python-version` names it; downloads are off, so it cannot fetch one either.
    """
    version: str = request.param
    interpreters = {offered: installed_interpreter(offered) for offered in OFFERED}
    chosen = interpreters[version]
    if chosen is None:
        pytest.skip(f"Python {version} is not installed on this machine (neither pyenv nor PATH has it)")
    others = [str(found.parent) for offered, found in interpreters.items() if found and offered != version]
    environment = {
        "PATH": os.pathsep.join([*others, str(chosen.parent), os.environ["PATH"]]),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    destination = tmp_path_factory.mktemp(f"python-{version}-{server.database}")
    render(template, destination, project_name=PROJECT_NAME, database=server.database, python_version=version)
    project = Project(destination, server)
    installed = project.run("uv sync --quiet", **environment)
    assert installed.returncode == 0, installed.stderr
    return VersionedProject(version, project, environment)


def test_the_default_version_is_pinned_and_is_the_venvs(project: Project) -> None:
    assert (project.path / ".python-version").read_text() == f"{DEFAULT}\n"
    assert venv_version(project) == DEFAULT


def test_the_chosen_version_is_pinned_and_uv_builds_the_venv_on_it(versioned: VersionedProject) -> None:
    assert (versioned.project.path / ".python-version").read_text() == f"{versioned.version}\n"
    assert venv_version(versioned.project) == versioned.version


def test_the_generated_suite_passes_on_the_chosen_version(versioned: VersionedProject) -> None:
    outcome = versioned.project.pytest(**versioned.environment)
    assert outcome.returncode == 0, outcome.output
    assert list(outcome.counts) == ["passed"], outcome.output
    assert f"python {versioned.version}." in outcome.output.lower()
