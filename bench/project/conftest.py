"""The benchmark's strategies around one INSERT+SELECT test body, and extra tables to vary the schema.

Copied into a generated project as tests/bench/conftest.py; the project's own conftest (the harness)
still applies: its engine, migrations, leak check and `db_session`/`client` fixtures.
"""

import os
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from acme_orders.models import Base
from sqlalchemy import Column, ForeignKey, Integer, String, Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

for number in range(1, int(os.environ.get("BENCH_TABLES", "1"))):
    Table(
        f"bench_extra_{number}",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("item_id", ForeignKey("items.id")),
        Column("label", String(100), nullable=False, default=""),
        mysql_charset="utf8mb4",
    )

Reset = Callable[[AsyncConnection], Awaitable[None]]


@pytest.fixture(scope="session", autouse=True)
async def migrations(migrations: None, engine: AsyncEngine) -> None:
    """The migrated schema plus the extra tables, before the leak check counts rows."""
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


@pytest.fixture(scope="session")
async def control_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """No per-test isolation: one connection, one transaction for the whole run, rolled back at the end."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        # Joined to a transaction it did not begin, the session's commit() leaves that transaction open.
        async with AsyncSession(bind=connection, expire_on_commit=False) as session:
            yield session
        await transaction.rollback()


async def committing_session(engine: AsyncEngine, reset: Reset) -> AsyncIterator[AsyncSession]:
    """A session that commits for real; `reset` empties the database after the test."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
    async with engine.begin() as connection:
        await reset(connection)


async def drop_and_create_all(connection: AsyncConnection) -> None:
    await connection.run_sync(Base.metadata.drop_all)
    await connection.run_sync(Base.metadata.create_all)


async def truncate_all(connection: AsyncConnection) -> None:
    names = [
        connection.dialect.identifier_preparer.quote(table.name) for table in Base.metadata.sorted_tables
    ]
    if connection.dialect.name == "postgresql":
        await connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        return
    # MySQL refuses to TRUNCATE a table another table's foreign key points at, even an empty one.
    await connection.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
    for name in names:
        await connection.execute(text(f"TRUNCATE TABLE {name}"))
    await connection.execute(text("SET FOREIGN_KEY_CHECKS = 1"))


async def delete_all(connection: AsyncConnection) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        await connection.execute(table.delete())


@pytest.fixture
async def drop_create_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """`drop_all` + `create_all` after every test."""
    async for session in committing_session(engine, drop_and_create_all):
        yield session


@pytest.fixture
async def truncate_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """TRUNCATE of every table after every test."""
    async for session in committing_session(engine, truncate_all):
        yield session


@pytest.fixture
async def delete_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """DELETE FROM every table after every test."""
    async for session in committing_session(engine, delete_all):
        yield session


@pytest.fixture
async def recipe_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """The plain recipe: connect, begin, a create_savepoint session; close the session, roll back, close."""
    connection = await engine.connect()
    transaction = await connection.begin()
    session = AsyncSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    await session.close()
    await transaction.rollback()
    await connection.close()
