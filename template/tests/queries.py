"""Counting the SQL statements a session sends, to catch one query per row (N+1) in a test."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

QueryLimit = Callable[[int], AbstractContextManager[list[str]]]  # the `assert_max_queries` fixture


@contextmanager
def count_queries(session: AsyncSession) -> Iterator[list[str]]:
    """The statements `session`'s connection sends while the block runs (savepoints included), in order."""
    statements: list[str] = []
    bind = session.sync_session.get_bind()

    def record(
        connection: Connection, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        statements.append(statement)

    event.listen(bind, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(bind, "before_cursor_execute", record)


@contextmanager
def at_most_queries(session: AsyncSession, limit: int) -> Iterator[list[str]]:
    """Fails the test, listing the SQL, when the block sends more than `limit` statements."""
    with count_queries(session) as statements:
        yield statements
    if len(statements) > limit:
        listed = "\n".join(f"{number}. {statement}" for number, statement in enumerate(statements, 1))
        pytest.fail(f"{len(statements)} SQL statements, more than {limit}:\n{listed}", pytrace=False)
