"""In a generated project's venv: `version URL`, `round-trip URL` (ms of SELECT 1), `drop URL...`."""

import asyncio
import statistics
import sys
import time

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

MAINTENANCE_DATABASE = {"postgresql": "postgres", "mysql": "information_schema"}
ROUND_TRIPS = 1000


async def version(connection: AsyncConnection) -> object:
    return await connection.scalar(text("SELECT version()"))


async def round_trip(connection: AsyncConnection) -> float:
    """Milliseconds of one `SELECT 1` through SQLAlchemy and the driver: the unit a harness spends."""
    samples = []
    for _ in range(ROUND_TRIPS):
        started = time.perf_counter()
        await connection.exec_driver_sql("SELECT 1")
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def on_server(url: str, command: str) -> None:
    parsed = make_url(url)
    server = create_async_engine(
        parsed.set(database=MAINTENANCE_DATABASE[parsed.get_backend_name()]), isolation_level="AUTOCOMMIT"
    )
    try:
        async with server.connect() as connection:
            if command == "version":
                print(await version(connection))
            elif command == "round-trip":
                print(await round_trip(connection))
            else:
                quoted = parsed.get_dialect()().identifier_preparer.quote(parsed.database or "")
                await connection.execute(text(f"DROP DATABASE IF EXISTS {quoted}"))
    finally:
        await server.dispose()


async def main(command: str, urls: list[str]) -> None:
    for url in urls:
        await on_server(url, command)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
