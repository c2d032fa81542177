"""The mutation table (`uv run nox -s mutations`) keeps up with the code it breaks."""

import re
import shutil
from pathlib import Path

from tests.breaks import StaleEdit
from tests.generated import Project
from tests.mutations import MUTATIONS


def stale_edits(root: Path, names: list[str], scratch: Path) -> list[str]:
    """Each named mutation applied to its own copy of `root`: the ones whose edits no longer fit."""
    stale = []
    for name in names:
        copy = scratch / re.sub(r"\W+", "-", name)
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".venv", ".git"))
        try:
            MUTATIONS[name].change.apply(copy)
        except StaleEdit as error:
            stale.append(f"{name}: {error}")
    return stale


def test_every_project_mutation_applies_to_a_fresh_render(
    project: Project, database: str, tmp_path: Path
) -> None:
    names = [name for name, m in MUTATIONS.items() if m.where == "project" and database in m.databases]
    assert stale_edits(project.path, names, tmp_path) == []


def test_every_template_mutation_applies_to_the_template(template: Path, tmp_path: Path) -> None:
    names = [name for name, mutation in MUTATIONS.items() if mutation.where == "template"]
    assert stale_edits(template, names, tmp_path) == []
