"""Shared, per session: the template snapshot, its tagged releases, and the projects made from them."""

from pathlib import Path

import pytest

from tests.generated import Project, render, snapshot_template, unrendered_leftovers
from tests.servers import DATABASES, Server
from tests.updates import (
    BEFORE_RENAME,
    FIX,
    RENAME,
    Updated,
    commit_all,
    edit_as_a_user,
    render_committed,
    tag_releases,
    update,
)

ROOT = Path(__file__).parents[1]
PROJECT_NAME = "Acme Orders"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        action="append",
        choices=DATABASES,
        help="test the projects generated for this database only (repeatable; default: all)",
    )
    parser.addoption(
        "--server-tests-only",
        action="store_true",
        help="leave out the tests that need no database server (another run has them)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("database") or list(DATABASES)
        metafunc.parametrize("database", chosen, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("server_tests_only"):
        serverless = [item for item in items if "database" not in getattr(item, "fixturenames", ())]
        config.hook.pytest_deselected(items=serverless)
        items[:] = [item for item in items if item not in serverless]


@pytest.fixture(scope="session")
def server(database: str) -> Server:
    """The real server for `database`; unreachable, every test that needs it fails saying how to start it."""
    server = Server(database)
    if reason := server.unreachable_reason():
        pytest.fail(reason, pytrace=False)
    return server


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as it is in the working tree, committed into a scratch repository."""
    return snapshot_template(ROOT, tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def project(template: Path, server: Server, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """One project per database, rendered with defaults and installed into its own venv."""
    destination = tmp_path_factory.mktemp(f"acme-orders-{server.database}")
    render(template, destination, project_name=PROJECT_NAME, database=server.database)
    project = Project(destination, server, unrendered_leftovers(destination))
    project.install()
    return project


def generated_and_committed(
    releases: Path, tmp_path_factory: pytest.TempPathFactory, vcs_ref: str, database: str
) -> Path:
    destination = tmp_path_factory.mktemp(f"{database}-from-{vcs_ref}")
    return render_committed(releases, destination, vcs_ref, project_name=PROJECT_NAME, database=database)


@pytest.fixture(scope="session")
def releases(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot tagged as releases v0.1.0, v0.2.0 and v0.2.1 in a scratch clone."""
    return tag_releases(template, tmp_path_factory.mktemp("releases") / "template")


@pytest.fixture(scope="session")
def updated_with_edits(releases: Path, database: str, tmp_path_factory: pytest.TempPathFactory) -> Updated:
    """Generated from v0.1.0, edited and committed by its user, then updated straight to v0.2.1."""
    path = generated_and_committed(releases, tmp_path_factory, BEFORE_RENAME, database)
    edit_as_a_user(path, "acme_orders", f"{PROJECT_NAME}: a FastAPI service.")
    return Updated(path, {FIX: update(path, FIX)})


@pytest.fixture(scope="session")
def updated_without_edits(releases: Path, database: str, tmp_path_factory: pytest.TempPathFactory) -> Updated:
    """Generated from v0.1.0, then updated to v0.2.0 and, committed, to v0.2.1."""
    path = generated_and_committed(releases, tmp_path_factory, BEFORE_RENAME, database)
    outputs = {RENAME: update(path, RENAME)}
    commit_all(path, f"update to {RENAME}")
    outputs[FIX] = update(path, FIX)
    return Updated(path, outputs)


@pytest.fixture(scope="session")
def switched(releases: Path, database: str, tmp_path_factory: pytest.TempPathFactory) -> Updated:
    """Generated from v0.2.1 for the other database, then switched to `database` by `copier update --data`."""
    other = next(name for name in DATABASES if name != database)
    path = generated_and_committed(releases, tmp_path_factory, FIX, other)
    return Updated(path, {FIX: update(path, FIX, database=database)})
