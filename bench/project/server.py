"""Run inside a generated project's venv: `version URL` prints the server's version, `drop URL...` drops."""

import asyncio
import sys

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

MAINTENANCE_DATABASE = {"postgresql": "postgres", "mysql": "information_schema"}


async def on_server(url: str, statement: str) -> object:
    parsed = make_url(url)
    server = create_async_engine(
        parsed.set(database=MAINTENANCE_DATABASE[parsed.get_backend_name()]), isolation_level="AUTOCOMMIT"
    )
    try:
        async with server.connect() as connection:
            result = await connection.execute(text(statement))
            return result.scalar() if result.returns_rows else None
    finally:
        await server.dispose()


async def main(command: str, urls: list[str]) -> None:
    if command == "version":
        print(await on_server(urls[0], "SELECT version()"))
        return
    for url in urls:
        quoted = make_url(url).get_dialect()().identifier_preparer.quote(make_url(url).database or "")
        await on_server(url, f"DROP DATABASE IF EXISTS {quoted}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
