"""In a generated project's venv: `version URL`, `round-trip URL` (ms of SELECT 1), `drop URL...`."""

import asyncio
import statistics
import sys
import time

from acme_orders.maintenance import drop_database, on_server
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

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


async def main(command: str, urls: list[str]) -> None:
    for url in map(make_url, urls):
        if command == "drop":
            await drop_database(url)
            continue
        async with on_server(url) as server:
            print(await version(server) if command == "version" else await round_trip(server))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
