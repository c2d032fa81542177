"""A user's first hour, through the commands they type: render, add a model with its routes, tests and
migration, stay green serially and on two workers, then `copier update` with that code in place."""

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PROJECT_NAME
from tests.generated import Outcome, Project, git
from tests.servers import Server
from tests.updates import FIX, RENAME, commit_all, leftovers, replace_once, run_copier

PACKAGE = "acme_orders"
REVISION_MESSAGE = "add notes"
UPGRADE_TO_TEMPLATE_HEAD = "uv run alembic upgrade head (before the new revision)"
AUTOGENERATE = f'uv run alembic revision --autogenerate -m "{REVISION_MESSAGE}"'
REVISION_CHECKS = ("uv run ruff check", "uv run ruff format --check")
LINT = ("uv run ruff check", "uv run ruff format --check", "uv run mypy")
IMPORT_ROUTERS = f"from {PACKAGE}.api import health, items\n"
INCLUDE_ITEMS = "    app.include_router(items.router)\n"
FIRST_SQLALCHEMY_IMPORT = re.compile(r"^from sqlalchemy import ", re.MULTILINE)

# The user's own code: a table referring to `items`, a router on SessionDep, and tests on the fixtures.
NOTE_MODEL = '''

class Note(Base):
    """A note on an item, deleted with it."""

    __tablename__ = "notes"
    __table_args__ = ({"mysql_charset": "utf8mb4"},)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
'''
NOTES_ROUTER = f'''"""Notes on items."""

from datetime import datetime

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from {PACKAGE}.api.responses import DATABASE_UNAVAILABLE, UNREADABLE_BODY, error
from {PACKAGE}.db import SessionDep
from {PACKAGE}.models import Item, Note
from {PACKAGE}.schemas import ItemId

router = APIRouter(prefix="/items/{{item_id}}/notes", tags=["notes"], responses=DATABASE_UNAVAILABLE)
NO_ITEM = error(status.HTTP_404_NOT_FOUND, "No item with this id")


async def ensure_item(session: SessionDep, item_id: int) -> None:
    if await session.get(Item, item_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"item {{item_id}} not found")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200, pattern=r"^[^\\x00-\\x1f\\x7f]+$")


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    item_id: int
    text: str
    created_at: datetime


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NoteRead,
    responses={{**NO_ITEM, **UNREADABLE_BODY}},
)
async def add_note(item_id: ItemId, payload: NoteCreate, session: SessionDep) -> Note:
    await ensure_item(session, item_id)
    note = Note(item_id=item_id, text=payload.text)
    session.add(note)
    await session.commit()
    return note


@router.get("", response_model=list[NoteRead], responses=NO_ITEM)
async def list_notes(item_id: ItemId, session: SessionDep) -> list[Note]:
    await ensure_item(session, item_id)
    return list(await session.scalars(select(Note).where(Note.item_id == item_id).order_by(Note.id)))
'''
NOTES_TESTS = f'''"""Notes on items, through HTTP and the test's own session."""

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from {PACKAGE}.models import Item, Note


async def test_a_note_is_added_to_an_item_and_listed(client: AsyncClient) -> None:
    item = (await client.post("/items", json={{"name": "noted"}})).json()
    created = await client.post(f"/items/{{item['id']}}/notes", json={{"text": "fragile"}})
    assert created.status_code == 201
    assert (await client.get(f"/items/{{item['id']}}/notes")).json() == [created.json()]


async def test_a_note_on_an_unknown_item_is_404(client: AsyncClient) -> None:
    response = await client.post("/items/999999/notes", json={{"text": "lost"}})
    assert response.status_code == 404


async def test_deleting_an_item_deletes_its_notes(client: AsyncClient, db_session: AsyncSession) -> None:
    item = Item(name="short-lived")
    db_session.add(item)
    await db_session.flush()
    db_session.add(Note(item_id=item.id, text="goes with it"))
    await db_session.commit()
    assert (await client.delete(f"/items/{{item.id}}")).status_code == 204
    db_session.expunge_all()
    assert await db_session.scalar(select(Note.id).where(Note.item_id == item.id)) is None
'''
USER_FILES = {
    f"src/{PACKAGE}/api/notes.py": NOTES_ROUTER,
    "tests/test_notes.py": NOTES_TESTS,
}


@dataclass
class Scenario:
    """The user's project, its new revision, and each step's outcome by the command the user typed."""

    project: Project
    revision: Path
    before_update: dict[str, Outcome] = field(default_factory=dict)
    after_update: dict[str, Outcome] = field(default_factory=dict)


def create_development_database(project: Project) -> None:
    """DATABASE_URL's database on the server, made as the README says: `uv run create-database`."""
    created = project.run("uv run create-database")
    assert created.returncode == 0, created.stdout + created.stderr
    assert created.stdout.startswith("created database"), created.stdout


def rendered_by_the_copier_cli(releases: Path, path: Path, server: Server) -> Project:
    """`copier copy` of release v0.2.0, installed and committed as the project's first commit."""
    answers = [f"--data=project_name={PROJECT_NAME}", f"--data=database={server.database}"]
    copied = run_copier(
        path.parent, "copy", "--defaults", f"--vcs-ref={RENAME}", *answers, str(releases), str(path)
    )
    assert copied.returncode == 0, copied.stdout + copied.stderr
    project = Project(path, server)
    project.install()
    git(path, "init", "-q", "-b", "main")
    commit_all(path, f"generated from {RENAME}")
    return project


def add_the_users_code(path: Path) -> None:
    """`Note` in models.py (a foreign key to items), its router registered in the app, and its tests."""
    models = path / "src" / PACKAGE / "models.py"
    source = models.read_text()
    assert len(FIRST_SQLALCHEMY_IMPORT.findall(source)) == 1, (
        f"no single `from sqlalchemy import` in {models}"
    )
    with_sa = FIRST_SQLALCHEMY_IMPORT.sub("import sqlalchemy as sa\nfrom sqlalchemy import ", source)
    models.write_text(with_sa + NOTE_MODEL)
    main = path / "src" / PACKAGE / "main.py"
    replace_once(main, IMPORT_ROUTERS, IMPORT_ROUTERS.replace("items", "items, notes"))
    replace_once(main, INCLUDE_ITEMS, INCLUDE_ITEMS + INCLUDE_ITEMS.replace("items", "notes"))
    for relative, source in USER_FILES.items():
        (path / relative).write_text(source)


def revisions(path: Path) -> set[Path]:
    return set((path / "migrations" / "versions").glob("*.py"))


def revision_checks(revision: Path) -> list[str]:
    return [f"{check} migrations/versions/{revision.name}" for check in REVISION_CHECKS]


def migrate_check_and_test(project: Project) -> tuple[Path, dict[str, Outcome]]:
    """The new revision autogenerated on the development database, then every check and the suite."""
    outcomes = {UPGRADE_TO_TEMPLATE_HEAD: Outcome.of(project.run("uv run alembic upgrade head"))}
    existing = revisions(project.path)
    outcomes[AUTOGENERATE] = Outcome.of(project.run(AUTOGENERATE))
    [revision] = revisions(project.path) - existing
    for command in revision_checks(revision):  # the revision as written, before anything else touches it
        outcomes[command] = Outcome.of(project.run(command))
    for command in ("uv run alembic upgrade head", "uv run alembic check", *LINT):
        outcomes[command] = Outcome.of(project.run(command))
    outcomes["pytest"] = project.pytest()
    outcomes["pytest -n 2"] = project.pytest("-n 2")
    return revision, outcomes


def update_and_test(project: Project) -> dict[str, Outcome]:
    """The user's code committed, `copier update` to v0.2.1, then the checks and the suite again."""
    commit_all(project.path, "notes on items")
    updated = run_copier(project.path, "update", "--trust", "--defaults", f"--vcs-ref={FIX}")
    outcomes = {"copier update": Outcome.of(updated), "uv sync": Outcome.of(project.run("uv sync --quiet"))}
    for command in LINT:
        outcomes[command] = Outcome.of(project.run(command))
    outcomes["pytest"] = project.pytest()
    return outcomes


@pytest.fixture(scope="session")
def scenario(releases: Path, server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """One project per database taken through every step; each test below checks one step's promise."""
    project = rendered_by_the_copier_cli(
        releases, tmp_path_factory.mktemp(f"scenario-{server.database}") / "acme-orders", server
    )
    add_the_users_code(project.path)
    create_development_database(project)
    try:
        revision, before_update = migrate_check_and_test(project)
        yield Scenario(project, revision, before_update, update_and_test(project))
    finally:
        project.on_server(f"DROP DATABASE {project.database_name}")


def assert_succeeded(outcomes: dict[str, Outcome], *commands: str) -> None:
    for command in commands:
        assert outcomes[command].returncode == 0, f"`{command}` failed:\n{outcomes[command].output}"


def assert_all_passed(outcome: Outcome) -> None:
    """Every test passed: none failed, errored or was skipped."""
    assert outcome.returncode == 0, outcome.output
    assert list(outcome.counts) == ["passed"], outcome.output


def test_the_autogenerated_revision_creates_the_users_table_with_its_foreign_key(scenario: Scenario) -> None:
    assert_succeeded(scenario.before_update, UPGRADE_TO_TEMPLATE_HEAD, AUTOGENERATE)
    text = scenario.revision.read_text()
    assert f'"""{REVISION_MESSAGE}' in text
    assert 'op.create_table(\n        "notes",' in text
    assert '["item_id"], ["items.id"]' in text
    assert 'ondelete="CASCADE"' in text
    assert f"import {PACKAGE}.models\n" in text, "the revision uses UTCDateTime, so it must import it"


def test_the_new_revision_passes_ruff_check_and_format_as_written(scenario: Scenario) -> None:
    assert_succeeded(scenario.before_update, *revision_checks(scenario.revision))


def test_the_revision_upgrades_the_development_database_and_alembic_check_finds_nothing_missing(
    scenario: Scenario,
) -> None:
    assert_succeeded(scenario.before_update, "uv run alembic upgrade head", "uv run alembic check")
    assert "No new upgrade operations detected" in scenario.before_update["uv run alembic check"].output


def test_ruff_and_mypy_pass_on_the_extended_project(scenario: Scenario) -> None:
    assert_succeeded(scenario.before_update, *LINT)


def test_the_whole_generated_suite_passes_serially_with_the_users_tests(scenario: Scenario) -> None:
    assert_all_passed(scenario.before_update["pytest"])
    assert "tests/test_notes.py ..." in scenario.before_update["pytest"].output


def test_the_whole_generated_suite_passes_on_two_workers_and_leaves_only_the_development_database(
    scenario: Scenario,
) -> None:
    assert_all_passed(scenario.before_update["pytest -n 2"])
    assert scenario.before_update["pytest -n 2"]["passed"] == scenario.before_update["pytest"]["passed"]
    assert scenario.project.databases() == [scenario.project.database_name]


def test_copier_update_brings_the_fix_and_keeps_the_users_code_without_conflicts(scenario: Scenario) -> None:
    assert_succeeded(scenario.after_update, "copier update")
    path = scenario.project.path
    pyproject = tomllib.loads((path / "pyproject.toml").read_text())
    assert pyproject["tool"]["pytest"]["ini_options"]["xfail_strict"] is True
    assert leftovers(path) == []
    for relative, source in USER_FILES.items():
        assert (path / relative).read_text() == source
    assert NOTE_MODEL in (path / "src" / PACKAGE / "models.py").read_text()
    assert scenario.revision.is_file()
    changed = git(path, "status", "--porcelain").splitlines()
    assert sorted(changed) == [" M .copier-answers.yml", " M pyproject.toml"], changed


def test_after_the_update_everything_is_still_green(scenario: Scenario) -> None:
    assert_succeeded(scenario.after_update, "uv sync", *LINT)
    assert_all_passed(scenario.after_update["pytest"])
    assert scenario.after_update["pytest"]["passed"] == scenario.before_update["pytest"]["passed"]
