"""`copier update`: fixes arrive, users' edits stay, migrations run where they belong, databases switch."""

import tomllib
from pathlib import Path

import yaml

from hooks.rename_first_revision import NEW, OLD
from tests.conftest import PROJECT_NAME
from tests.generated import Project, render
from tests.servers import Server
from tests.test_generated_suite import assert_all_passed
from tests.updates import (
    FIX,
    HEALTH_ROUTE,
    RENAME,
    REVISION_NOTE,
    ROUTE_ALIAS,
    USER_DESCRIPTION,
    USER_MODULE,
    USER_MODULE_SOURCE,
    Updated,
    files,
    leftovers,
    render_committed,
    run_copier,
)

MIGRATION = "rename_first_revision.py"
DRIVERS = {"postgresql": "asyncpg", "mysql": "aiomysql"}
IMAGES = {"postgresql": "postgres", "mysql": "mysql"}


def answers(project: Path) -> dict[str, object]:
    recorded: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return recorded


def test_a_fix_released_later_arrives(updated_with_edits: Updated) -> None:
    pyproject = tomllib.loads((updated_with_edits.path / "pyproject.toml").read_text())
    assert pyproject["tool"]["pytest"]["ini_options"]["xfail_strict"] is True


def test_the_users_edits_survive(updated_with_edits: Updated) -> None:
    project = updated_with_edits.path
    assert f"\n{USER_DESCRIPTION}\n" in (project / "README.md").read_text()
    assert HEALTH_ROUTE + ROUTE_ALIAS in (project / "src/acme_orders/api/health.py").read_text()
    assert (project / USER_MODULE).read_text() == USER_MODULE_SOURCE


def test_the_update_leaves_no_conflicts_and_no_rej_files(updated_with_edits: Updated) -> None:
    assert leftovers(updated_with_edits.path) == []


def test_the_answers_file_records_the_new_version_and_keeps_the_database(
    updated_with_edits: Updated, database: str
) -> None:
    recorded = answers(updated_with_edits.path)
    assert recorded["_commit"] == FIX
    assert recorded["database"] == database


def test_without_edits_an_updated_project_equals_a_fresh_render(
    updated_without_edits: Updated, releases: Path, database: str, tmp_path: Path
) -> None:
    fresh = render(releases, tmp_path, vcs_ref=FIX, project_name=PROJECT_NAME, database=database)
    assert files(updated_without_edits.path) == files(fresh)


def test_the_migration_runs_on_updates_across_v0_2_0(
    updated_with_edits: Updated, updated_without_edits: Updated
) -> None:
    assert f"{MIGRATION}: carried the edits of {OLD} into {NEW}" in updated_with_edits.outputs[FIX]
    assert MIGRATION in updated_without_edits.outputs[RENAME]  # copier's task line: it ran
    assert f"{MIGRATION}:" not in updated_without_edits.outputs[RENAME]  # and had nothing to say


def test_the_migration_does_not_run_on_later_updates(updated_without_edits: Updated) -> None:
    assert MIGRATION not in updated_without_edits.outputs[FIX]


def test_the_migration_carries_the_users_edits_of_the_renamed_revision(updated_with_edits: Updated) -> None:
    project = updated_with_edits.path
    assert not (project / OLD).exists()
    assert REVISION_NOTE in (project / NEW).read_text()


def test_after_the_update_the_generated_suite_passes(updated_with_edits: Updated, server: Server) -> None:
    project = Project(updated_with_edits.path, server)
    project.install()
    assert_all_passed(project)


def test_the_generated_suite_fails_on_leftover_conflict_markers_and_rej_files(
    updated_with_edits: Updated, server: Server, tmp_path: Path
) -> None:
    project = Project(updated_with_edits.path, server).copy(tmp_path / "project")
    (project.path / "notes.md").write_text(
        "<<<<<<< before updating\nours\n=======\ntheirs\n>>>>>>> after updating\n"
    )
    (project.path / "README.md.rej").write_text("@@ -1 +1 @@\n")
    outcome = project.pytest("tests/test_update_leftovers.py -p no:randomly")
    assert outcome.counts == {"failed": 2}, outcome.output
    assert "notes.md" in outcome.output
    assert "README.md.rej" in outcome.output


def test_switching_database_renders_what_a_fresh_render_for_it_has(
    switched: Updated, releases: Path, database: str, tmp_path: Path
) -> None:
    fresh = render(releases, tmp_path, vcs_ref=FIX, project_name=PROJECT_NAME, database=database)
    assert files(switched.path) == files(fresh)
    assert leftovers(switched.path) == []


def test_switching_database_changes_driver_urls_and_compose(switched: Updated, database: str) -> None:
    project = switched.path
    other = next(name for name in DRIVERS if name != database)
    dependencies = " ".join(
        tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]
    )
    assert DRIVERS[database] in dependencies
    assert DRIVERS[other] not in dependencies
    assert f"+{DRIVERS[database]}://" in (project / "src/acme_orders/config.py").read_text()
    assert f"+{DRIVERS[database]}://" in (project / ".env.example").read_text()
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    assert compose["services"]["db"]["image"].split(":")[0] == IMAGES[database]
    assert answers(project)["database"] == database


def test_after_switching_the_generated_suite_passes_on_the_new_database(
    switched: Updated, server: Server
) -> None:
    project = Project(switched.path, server)
    project.install()
    assert_all_passed(project)


def test_check_update_exits_2_while_a_newer_release_exists(
    updated_without_edits: Updated, releases: Path, database: str, tmp_path: Path
) -> None:
    older = render_committed(releases, tmp_path, RENAME, project_name=PROJECT_NAME, database=database)
    behind = run_copier(older, "check-update", "--quiet")
    assert behind.returncode == 2, behind.stdout + behind.stderr
    assert run_copier(updated_without_edits.path, "check-update", "--quiet").returncode == 0
