"""The real database servers the generated projects are tested against."""

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

import jinja2
import yaml

QUESTIONS: dict[str, Any] = yaml.safe_load((Path(__file__).parents[1] / "copier.yml").read_text())
DATABASES: tuple[str, ...] = tuple(QUESTIONS["database"]["choices"].values())
# How to start each server here, and what a throwaway container of its image needs.
START_COMMANDS = {
    "postgresql": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "mysql": "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd",
}
CONTAINER_OPTIONS = {
    "postgresql": "-e POSTGRES_HOST_AUTH_METHOD=trust",
    "mysql": "-e MYSQL_ALLOW_EMPTY_PASSWORD=yes",
}


def computed(name: str, database: str) -> str:
    """copier.yml's computed value `name` as rendered for `database` (and a package named `package`)."""
    return (
        jinja2.Environment()
        .from_string(QUESTIONS[name]["default"])
        .render(database=database, package_name="package")
    )


@dataclass(frozen=True)
class Server:
    """A database server, by the environment variable that can point elsewhere."""

    database: str

    @property
    def generated_url(self) -> SplitResult:
        """The DATABASE_URL a project generated for this database defaults to."""
        return urlsplit(computed("database_url", self.database))

    @property
    def driver(self) -> str:
        """The URL scheme, dialect and driver: `postgresql+asyncpg`."""
        return self.generated_url.scheme

    @property
    def image(self) -> str:
        """The image the generated compose file and CI run."""
        return computed("database_image", self.database)

    @property
    def variable(self) -> str:
        return f"TEMPLATE_{self.database.upper()}_URL"

    @property
    def url(self) -> SplitResult:
        """The server in $TEMPLATE_<DATABASE>_URL, else the generated default's user on 127.0.0.1."""
        if explicit := os.environ.get(self.variable):
            return urlsplit(explicit)
        default = self.generated_url
        return default._replace(netloc=f"{default.username}@127.0.0.1:{default.port}", path="", query="")

    def database_url(self, name: str) -> str:
        """The URL of database `name` on this server, as a generated project's DATABASE_URL."""
        return self.url._replace(path=f"/{name}", query=self.generated_url.query).geturl()

    def unreachable_reason(self) -> str | None:
        """Why the server cannot be used, with how to start one; None when it answers."""
        host, port = self.url.hostname or "127.0.0.1", self.url.port or 0
        try:
            with socket.create_connection((host, port), timeout=3):
                return None
        except OSError as error:
            options = f"-p {port}:{self.generated_url.port} {CONTAINER_OPTIONS[self.database]}"
            container = f"docker run -d {options} {self.image}"
            return (
                f"{self.database} server at {host}:{port} is unreachable ({error}); start it with "
                f"`{START_COMMANDS[self.database]}`, or `{container}`, or point {self.variable} at a "
                "running server."
            )
