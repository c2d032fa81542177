"""A pytest plugin (`-p tests.bench.statements`): each test's statements, appended to $BENCH_STATEMENTS.

SQLAlchemy's `before_cursor_execute` sees every statement it sends; the transaction statements the
driver sends by itself (asyncpg: BEGIN, COMMIT, ROLLBACK; aiomysql: COMMIT, ROLLBACK) are seen by
wrapping the driver methods that send them, for this run only.
"""

import json
import os
from collections.abc import Awaitable, Callable, Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

SENT: list[str] = []
Method = Callable[..., Awaitable[object]]


def driver_methods() -> tuple[type, dict[str, str]]:
    """The driver class whose methods send transaction statements, and the statement each sends."""
    try:
        from asyncpg.transaction import Transaction

        return Transaction, {"start": "BEGIN", "commit": "COMMIT", "rollback": "ROLLBACK"}
    except ImportError:
        from aiomysql.connection import Connection

        return Connection, {"begin": "BEGIN", "commit": "COMMIT", "rollback": "ROLLBACK"}


def counted(method: Method, statement: str) -> Method:
    async def sending(self: object, *arguments: object, **options: object) -> object:
        # asyncpg begins while executing the statement that needs a transaction: BEGIN goes first.
        SENT.insert(len(SENT) - 1 if statement == "BEGIN" and SENT else len(SENT), statement)
        return await method(self, *arguments, **options)

    return sending


def record(connection: object, cursor: object, statement: str, *arguments: object) -> None:
    words = [word for word in statement.split()[:4] if not word.startswith("sa_savepoint")]
    SENT.append(" ".join(words[:3]) if "SAVEPOINT" in words else words[0])


@pytest.fixture(scope="session", autouse=True)
def statements_seen(engine: AsyncEngine) -> Iterator[None]:
    owner, statements = driver_methods()
    originals = {name: getattr(owner, name) for name in statements}
    for name, statement in statements.items():
        setattr(owner, name, counted(originals[name], statement))
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    yield
    event.remove(engine.sync_engine, "before_cursor_execute", record)
    for name, original in originals.items():
        setattr(owner, name, original)


@pytest.fixture(autouse=True)
def statements_of_the_test(request: pytest.FixtureRequest, statements_seen: None) -> Iterator[None]:
    """Set up before and torn down after the test's own fixtures: their statements count."""
    SENT.clear()
    yield
    entry = {"strategy": request.node.originalname.removeprefix("test_"), **request.node.callspec.params}
    with open(os.environ["BENCH_STATEMENTS"], "a") as log:
        log.write(json.dumps({**entry, "statements": SENT}) + "\n")
