"""The real database servers the generated projects are tested against."""

import os
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

START_HINTS = {
    "postgresql": (
        "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, "
        "or `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17`"
    ),
    "mysql": (
        "start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, "
        "or `docker run -d -p 3306:3306 -e MYSQL_ALLOW_EMPTY_PASSWORD=yes mysql:8.4`"
    ),
}
DEFAULT_URLS = {
    "postgresql": "postgresql+asyncpg://postgres@127.0.0.1:5432",
    "mysql": "mysql+aiomysql://root@127.0.0.1:3306",
}
DATABASES = tuple(DEFAULT_URLS)


@dataclass(frozen=True)
class Server:
    """A database server, by the environment variable that can point elsewhere."""

    database: str

    @property
    def variable(self) -> str:
        return f"TEMPLATE_{self.database.upper()}_URL"

    @property
    def url(self) -> SplitResult:
        return urlsplit(os.environ.get(self.variable) or DEFAULT_URLS[self.database])

    def database_url(self, name: str) -> str:
        """The URL of database `name` on this server, as a generated project's DATABASE_URL."""
        query = "charset=utf8mb4" if self.database == "mysql" else ""
        return self.url._replace(path=f"/{name}", query=query).geturl()

    def unreachable_reason(self) -> str | None:
        """Why the server cannot be used, with how to start one; None when it answers."""
        host, port = self.url.hostname or "127.0.0.1", self.url.port or 0
        try:
            with socket.create_connection((host, port), timeout=3):
                return None
        except OSError as error:
            return (
                f"{self.database} server at {host}:{port} is unreachable ({error}); "
                f"{START_HINTS[self.database]}, or point {self.variable} at a running server."
            )
