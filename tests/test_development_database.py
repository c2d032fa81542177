"""The README's steps on a server the user already has: create the database, migrate, serve."""

import json
import os
import signal
import socket
import subprocess
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.generated import Project

SERVICE_TIMEOUT_SECONDS = 60
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
Serve = Callable[[str], int]


def run_section(project: Project) -> str:
    """The generated README's Run section."""
    return (project.path / "README.md").read_text().split("## Run", 1)[1].split("\n## ", 1)[0]


def one_line_failure(completed: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed command printed; fails the test on a traceback or more lines."""
    output = (completed.stdout + completed.stderr).strip()
    assert completed.returncode != 0, output
    assert "Traceback" not in output, output
    assert len(output.splitlines()) == 1, output
    return output


def request(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """The status and JSON body of one request to the service on 127.0.0.1:`port`."""
    data = None if body is None else json.dumps(body).encode()
    sent = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with DIRECT.open(sent, timeout=SERVICE_TIMEOUT_SECONDS) as response:
        return response.status, json.loads(response.read())


@pytest.fixture
def development_database(project: Project) -> Iterator[str]:
    """A fresh database name on the project's server; dropped afterwards if anything created it."""
    name = f"tpl_{uuid.uuid4().hex[:8]}"
    yield name
    project.on_server(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
def serve(project: Project, tmp_path: Path) -> Iterator[Serve]:
    """Starts `uv run uvicorn <package>.main:app` on a database, on a loopback socket it is handed."""
    started: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "uvicorn.log"

    def start(database_url: str) -> int:
        with socket.socket() as listener, log.open("wb") as output:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            command = ["uv", "run", "uvicorn", f"{project.package}.main:app", "--fd", str(listener.fileno())]
            process = subprocess.Popen(
                command,
                cwd=project.path,
                env={**project.environment, "DATABASE_URL": database_url},
                pass_fds=[listener.fileno()],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            started.append(process)
            # Requests wait in the socket's backlog until the service accepts them.
            return int(listener.getsockname()[1])

    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if log.exists():
        print(f"uvicorn's output:\n{log.read_text()}")


def test_the_readme_steps_go_from_an_existing_server_to_a_running_service(
    project: Project, development_database: str, serve: Serve
) -> None:
    steps = [
        "uv run create-database",
        "uv run alembic upgrade head",
        f"uv run uvicorn {project.package}.main:app",
    ]
    assert all(step in run_section(project) for step in steps)
    name, server = development_database, project.server.url
    url, on = project.server.database_url(name), f"on {server.hostname}:{server.port}"

    refused = one_line_failure(project.run("uv run alembic upgrade head", DATABASE_URL=url))
    assert name in refused
    assert "uv run create-database" in refused

    created = project.run("uv run create-database", DATABASE_URL=url)
    assert (created.returncode, created.stdout) == (0, f"created database {name} {on}\n"), created.stderr
    again = project.run("uv run create-database", DATABASE_URL=url)
    assert (again.returncode, again.stdout) == (0, f"database {name} already exists {on}\n"), again.stderr

    migrated = project.run("uv run alembic upgrade head", DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr

    port = serve(url)
    assert request(port, "GET", "/health")[0] == 200
    status, item = request(port, "POST", "/items", {"name": "first item"})
    assert (status, item["name"]) == (201, "first item")
    assert request(port, "GET", f"/items/{item['id']}") == (200, item)


def test_create_database_on_an_unreachable_server_says_so_in_one_line(project: Project) -> None:
    user = project.server.url.username
    url = project.server.url._replace(netloc=f"{user}:secret@127.0.0.1:1", path="/tpl_nowhere").geturl()
    refused = one_line_failure(project.run("uv run create-database", DATABASE_URL=url))
    assert "127.0.0.1:1/tpl_nowhere" in refused
    assert "secret" not in refused
