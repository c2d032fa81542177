"""`copier copy` renders a complete project for each database."""

import tomllib
from pathlib import Path

import yaml

from tests.generated import Project, render
from tests.servers import DATABASES, Server


def test_nothing_is_left_unrendered(project: Project) -> None:
    assert project.unrendered == []


def test_names_are_derived_once_from_the_project_name(project: Project) -> None:
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    assert answers["project_slug"] == "acme-orders"
    assert answers["package_name"] == "acme_orders"
    assert (project.path / "src" / "acme_orders" / "main.py").is_file()
    assert tomllib.loads((project.path / "pyproject.toml").read_text())["project"]["name"] == "acme-orders"


def test_the_chosen_database_drives_driver_url_and_compose(project: Project, database: str) -> None:
    driver = project.server.driver
    other_driver = next(Server(name).driver for name in DATABASES if name != database)
    dependencies = " ".join(
        tomllib.loads((project.path / "pyproject.toml").read_text())["project"]["dependencies"]
    )
    assert driver.split("+")[1] in dependencies
    assert other_driver.split("+")[1] not in dependencies
    assert f"{driver}://" in (project.path / "src/acme_orders/config.py").read_text()
    compose = yaml.safe_load((project.path / "compose.yaml").read_text())
    assert compose["services"]["db"]["image"] == project.server.image
    assert "healthcheck" in compose["services"]["db"]
    answers = yaml.safe_load((project.path / ".copier-answers.yml").read_text())
    assert answers["database"] == database


def test_the_test_harness_runs_in_one_session_loop(project: Project) -> None:
    options = tomllib.loads((project.path / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert options["asyncio_mode"] == "auto"
    assert options["asyncio_default_fixture_loop_scope"] == "session"
    assert options["asyncio_default_test_loop_scope"] == "session"
    assert options["filterwarnings"] == ["error"]


def test_a_unicode_name_renders_an_ascii_slug_and_package(template: Path, tmp_path: Path) -> None:
    render(template, tmp_path, project_name="Café Orders", database="mysql")
    answers = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text())
    assert (answers["project_slug"], answers["package_name"]) == ("cafe-orders", "cafe_orders")
    assert (tmp_path / "src" / "cafe_orders" / "__init__.py").is_file()
