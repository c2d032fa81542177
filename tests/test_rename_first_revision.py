"""hooks/rename_first_revision.py on scratch repositories: a template, and a project as copier updated it."""

from pathlib import Path

import pytest

from hooks.rename_first_revision import NEW, OLD, carry_edits, main
from tests.generated import git

SHIPPED_OLD = "".join(f"line {number}\n" for number in range(1, 11))
SHIPPED_NEW = SHIPPED_OLD.replace("line 9\n", "line 9, fixed by the template\n")
UPDATE = {"COPIER_OPERATION": "update", "STAGE": "after", "VERSION_FROM": "v0.1.0"}


def commit_all(repository: Path, message: str) -> None:
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A template repository: the revision under its old name at v0.1.0, renamed (and fixed) after."""
    template = tmp_path / "template-repo"
    (template / "template" / OLD).parent.mkdir(parents=True)
    (template / "template" / OLD).write_text(SHIPPED_OLD)
    git(template, "init", "-q", "-b", "main")
    commit_all(template, "v0.1.0")
    git(template, "tag", "v0.1.0")
    (template / "template" / OLD).unlink()
    (template / "template" / NEW).write_text(SHIPPED_NEW)
    commit_all(template, "v0.2.0")
    return template


def updated_project(tmp_path: Path, committed_old: str | None) -> Path:
    """A project that committed `committed_old` under the old name, as copier leaves it after updating."""
    project = tmp_path / "project"
    (project / NEW).parent.mkdir(parents=True)
    (project / "README.md").write_text("a project\n")
    if committed_old is not None:
        (project / OLD).write_text(committed_old)
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "before updating")
    (project / OLD).unlink(missing_ok=True)
    (project / NEW).write_text(SHIPPED_NEW)
    return project


def said(project: Path, template: Path, version_from: str) -> str:
    """What `carry_edits` reports, where it must have done something."""
    done = carry_edits(project, template, version_from)
    assert done is not None, "carry_edits did nothing"
    return done


def test_an_unedited_revision_stays_as_the_template_ships_it(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD)
    assert carry_edits(project, template, "v0.1.0") is None
    assert (project / NEW).read_text() == SHIPPED_NEW


def test_a_project_that_already_had_the_new_name_is_left_alone(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, None)
    (project / NEW).write_text(SHIPPED_OLD)
    commit_all(project, "generated after the rename")
    (project / NEW).write_text(SHIPPED_NEW)
    assert carry_edits(project, template, "v0.1.0") is None
    assert (project / NEW).read_text() == SHIPPED_NEW


def test_a_project_without_the_new_revision_is_left_alone(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD + "line 11, added by the project\n")
    (project / NEW).unlink()
    assert carry_edits(project, template, "v0.1.0") is None
    assert not (project / NEW).exists()


def test_edits_move_to_the_new_name_merged_with_the_templates_fix(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD.replace("line 2\n", "line 2, edited by the project\n"))
    assert "carried the edits" in said(project, template, "v0.1.0")
    assert (project / NEW).read_text() == SHIPPED_NEW.replace("line 2\n", "line 2, edited by the project\n")
    assert not (project / OLD).exists()


def test_running_again_changes_nothing(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD + "line 11, added by the project\n")
    carry_edits(project, template, "v0.1.0")
    merged = (project / NEW).read_text()
    assert carry_edits(project, template, "v0.1.0") is None
    assert (project / NEW).read_text() == merged


def test_a_file_changed_since_the_update_is_left_alone(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD + "line 11, added by the project\n")
    (project / NEW).write_text("resolved by hand\n")
    assert "left as it is" in said(project, template, "v0.1.0")
    assert (project / NEW).read_text() == "resolved by hand\n"


def test_overlapping_edits_become_conflict_markers_keeping_both(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD.replace("line 9\n", "line 9, edited by the project\n"))
    assert "resolve the conflict markers" in said(project, template, "v0.1.0")
    merged = (project / NEW).read_text()
    assert "<<<<<<< before updating\nline 9, edited by the project\n=======\n" in merged
    assert "line 9, fixed by the template\n>>>>>>> after updating\n" in merged


def test_an_unknown_previous_version_keeps_every_edit_as_a_conflict(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD.replace("line 2\n", "line 2, edited by the project\n"))
    assert "resolve the conflict markers" in said(project, template, "v0.0.9")
    merged = (project / NEW).read_text()
    assert "line 2, edited by the project\n" in merged
    assert "line 9, fixed by the template\n" in merged


def test_a_revision_the_project_deleted_is_not_brought_back(template: Path, tmp_path: Path) -> None:
    project = updated_project(tmp_path, None)
    assert "removed" in said(project, template, "v0.1.0")
    assert not (project / NEW).exists()


@pytest.mark.parametrize(
    "environment",
    [
        {**UPDATE, "STAGE": "before"},
        {**UPDATE, "COPIER_OPERATION": "copy"},
        {},
    ],
)
def test_outside_the_after_stage_of_an_update_it_does_nothing(
    template: Path, tmp_path: Path, environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD + "line 11, added by the project\n")
    assert main(environment, project, template) == 0
    assert "nothing done" in capsys.readouterr().out
    assert (project / NEW).read_text() == SHIPPED_NEW


def test_as_an_update_migration_it_carries_the_edits(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD + "line 11, added by the project\n")
    assert main(UPDATE, project, template) == 0
    assert "carried the edits" in capsys.readouterr().out
    assert (project / NEW).read_text() == SHIPPED_NEW + "line 11, added by the project\n"


def test_as_an_update_migration_with_nothing_to_carry_it_prints_nothing(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = updated_project(tmp_path, SHIPPED_OLD)
    assert main(UPDATE, project, template) == 0
    assert capsys.readouterr().out == ""
