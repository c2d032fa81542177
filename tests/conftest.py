"""Shared, per session: the template snapshot and one installed project per database."""

from pathlib import Path

import pytest

from tests.generated import Project, render, snapshot_template, unrendered_leftovers
from tests.servers import DATABASES, Server

ROOT = Path(__file__).parents[1]
PROJECT_NAME = "Acme Orders"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        action="append",
        choices=DATABASES,
        help="test the projects generated for this database only (repeatable; default: all)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("database") or list(DATABASES)
        metafunc.parametrize("database", chosen, scope="session")


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
