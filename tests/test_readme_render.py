"""README's render commands, typed as written from a fresh clone or with the repository's URL, give
projects that `copier check-update` and `copier update` can update; a relative source is told how
to become updatable. The copier of the template's own venv (>= 9.19, as README asks) stands in for
`uvx --from "copier>=9.19" copier`; the rest of each command line is README's."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.conftest import ROOT
from tests.generated import GIT_IDENTITY, git
from tests.terminal import ENTER, WIDTH, on_terminal, shown
from tests.updates import FIX, leftovers, release

UVX_COPIER = 'uvx --from "copier>=9.19" copier '
VENV_COPIER = f"{shlex.quote(sys.executable)} -m copier "
NEWER = "v0.2.2"
NEWER_LINE = "# a line released in v0.2.2\n"
RELEASED_FILE = "template/.gitignore"
RELATIVE_SOURCE_HINT = "To update later, make _src_path in .copier-answers.yml an absolute path or URL."
QUESTIONS_AFTER_THE_NAME = [
    "One line",
    "Author or team name",
    "e-mail",
    "Distribution name",
    "Python package name",
    "Database the service",
    "Lowest Python version",
]


def readme_commands(marker: str) -> list[str]:
    """The `uvx` lines of the code block after `<!-- marker -->` in README.md, copier taken from the venv."""
    block = (ROOT / "README.md").read_text().split(f"<!-- {marker} -->\n```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.startswith("uvx ")]
    assert commands, f"README.md has no command after <!-- {marker} -->"
    assert all(command.startswith(UVX_COPIER) for command in commands), commands
    return [VENV_COPIER + command.removeprefix(UVX_COPIER) for command in commands]


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **GIT_IDENTITY, "NO_COLOR": "1"},
        check=False,
    )
    assert completed.returncode == 0, f"{command}\n{completed.stdout}{completed.stderr}"
    return completed


def render_at_the_prompt(command: str, cwd: Path) -> str:
    """README's interactive command in a shell on an 80-column terminal: a name, then every default."""
    prompt = on_terminal("bash", ["-c", command], cwd=cwd, **GIT_IDENTITY)
    prompt.expect("Human name of the service")
    prompt.send("Acme Orders" + ENTER)
    for question in QUESTIONS_AFTER_THE_NAME:
        prompt.expect(question)
        prompt.send(ENTER)
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus == 0, shown(prompt)
    return shown(prompt)


def next_step(printed: str, starting: str) -> str:
    """The line of copier's closing message that starts with `starting`."""
    return next(line.strip() for line in printed.splitlines() if line.strip().startswith(starting))


def answers(project: Path) -> dict[str, str]:
    recorded: dict[str, str] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return recorded


def release_a_newer_version(repository: Path) -> None:
    released = repository / RELEASED_FILE
    released.write_text(released.read_text() + NEWER_LINE)
    release(repository, NEWER)


def updated_as_the_readme_says(project: Path) -> None:
    """README's check-update sees the newer release, its update brings it in, cleanly."""
    check_update, update = readme_commands("update-commands")
    checked = shell(check_update, project)
    assert f"latest version is {NEWER.removeprefix('v')}" in checked.stdout
    shell(update, project)
    assert answers(project)["_commit"] == NEWER
    assert (project / RELEASED_FILE.removeprefix("template/")).read_text().endswith(NEWER_LINE)
    assert leftovers(project) == []


@pytest.fixture
def clone(releases: Path, tmp_path: Path) -> Path:
    """A fresh clone of the template, its releases tagged."""
    git(tmp_path, "clone", "-q", str(releases), "fastapi-async-db-template")
    return tmp_path / "fastapi-async-db-template"


def test_rendered_from_a_clone_as_the_readme_says_the_project_updates(clone: Path) -> None:
    (command,) = readme_commands("render-command")
    printed = render_at_the_prompt(command, clone)
    project = clone.parent / "my-service"
    assert answers(project)["_src_path"] == str(clone)
    assert answers(project)["_commit"] == FIX
    assert RELATIVE_SOURCE_HINT not in printed
    assert next_step(printed, "cd ") == "cd ../my-service"
    shell(next_step(printed, "git init"), project)
    up_to_date = shell(readme_commands("update-commands")[0], project)
    assert "up-to-date" in up_to_date.stdout + up_to_date.stderr

    release_a_newer_version(clone)
    updated_as_the_readme_says(project)


def test_rendered_from_the_repository_url_as_the_readme_says_the_project_updates(
    releases: Path, tmp_path: Path
) -> None:
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "clone", "-q", "--bare", str(releases), str(upstream))
    (command,) = readme_commands("render-command-url")
    url = upstream.as_uri()
    printed = render_at_the_prompt(command.replace("<repository URL>", url), tmp_path)
    project = tmp_path / "my-service"
    assert answers(project)["_src_path"] == url
    shell(next_step(printed, "git init"), project)

    maintainer = tmp_path / "maintainer"
    git(tmp_path, "clone", "-q", url, str(maintainer))
    release_a_newer_version(maintainer)
    git(maintainer, "push", "-q", "origin", "HEAD", NEWER)
    updated_as_the_readme_says(project)


def test_the_readme_render_without_a_prompt_records_its_answers_and_an_absolute_source(clone: Path) -> None:
    (command,) = readme_commands("render-command-defaults")
    printed = shell(command, clone).stderr
    project = clone.parent / "acme-orders"
    recorded = answers(project)
    assert (recorded["_src_path"], recorded["project_name"], recorded["database"]) == (
        str(clone),
        "Acme Orders",
        "mysql",
    )
    assert next_step(printed, "cd ") == "cd ../acme-orders"


def test_a_relative_source_is_told_in_one_line_and_fixed_as_it_says(clone: Path) -> None:
    printed = shell(f"{VENV_COPIER}copy --defaults --data project_name=Acme . ../relative", clone).stderr
    project = clone.parent / "relative"
    assert answers(project)["_src_path"] == "."
    message = printed[printed.index(RELATIVE_SOURCE_HINT) :].splitlines()
    assert message[0] == RELATIVE_SOURCE_HINT
    assert [line for line in message if len(line) > WIDTH] == []

    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(answers_file.read_text().replace("_src_path: .\n", f"_src_path: {clone}\n"))
    shell(next_step(printed, "git init"), project)
    release_a_newer_version(clone)
    updated_as_the_readme_says(project)
