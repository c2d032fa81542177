"""The generated harness's guards, as users meet them: through the README's test command."""

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.generated import Project

HANGING_TEST = """
import asyncio

from httpx import AsyncClient


async def test_waits_forever(client: AsyncClient) -> None:
    await client.post("/items", json={"name": "before-the-hang"})
    await asyncio.Event().wait()
"""


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A loopback listener that never answers; connections wait in its backlog, where they can be counted."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield listener


def url_on(listener: socket.socket, project: Project, database: str) -> str:
    """A URL for `project`'s driver that leads to `listener`."""
    port = listener.getsockname()[1]
    return project.server.url._replace(netloc=f"user@127.0.0.1:{port}", path=f"/{database}").geturl()


def was_connected_to(listener: socket.socket) -> bool:
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def test_a_database_without_test_in_its_name_is_refused_before_any_connection(
    project: Project, silent_server: socket.socket
) -> None:
    refused = f"{project.database_name}_live"
    outcome = project.pytest(TEST_DATABASE_URL=url_on(silent_server, project, refused))
    assert outcome.returncode == pytest.ExitCode.USAGE_ERROR, outcome.output
    assert f"database name '{refused}' does not contain 'test'" in outcome.output, outcome.output
    assert not was_connected_to(silent_server)


def test_a_server_that_never_answers_stops_the_run_with_the_harness_message(
    project: Project, silent_server: socket.socket
) -> None:
    url = url_on(silent_server, project, f"{project.database_name}_test")
    outcome = project.pytest(TEST_DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="1")
    assert outcome.returncode == pytest.ExitCode.USAGE_ERROR, outcome.output
    assert "cannot use the database server at" in outcome.output, outcome.output
    assert was_connected_to(silent_server)


def test_a_hanging_test_fails_by_name_and_the_run_goes_on(project: Project, tmp_path: Path) -> None:
    hanging = project.copy(tmp_path / "hanging")
    (hanging.path / "tests" / "test_hangs.py").write_text(HANGING_TEST)
    pyproject = hanging.path / "pyproject.toml"
    assert "\ntimeout = 60\n" in pyproject.read_text(), "the generated project sets no per-test timeout"
    # The configured limit, shortened so the hang costs seconds; it also covers the session's setup.
    pyproject.write_text(pyproject.read_text().replace("\ntimeout = 60\n", "\ntimeout = 15\n"))
    hanging.install()  # the project is rebuilt now, not noisily by the run below
    outcome = hanging.pytest("-p no:randomly tests/test_items.py tests/test_hangs.py")
    assert outcome.returncode == pytest.ExitCode.TESTS_FAILED, outcome.output
    assert "FAILED tests/test_hangs.py::test_waits_forever" in outcome.output, outcome.output
    assert "Failed: Timeout (>15.0s) from pytest-timeout" in outcome.output
    assert outcome["failed"] == 1, outcome.output
    assert outcome["passed"] > 0, outcome.output
    assert set(outcome.counts) == {"failed", "passed"}, outcome.output
