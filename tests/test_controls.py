"""Negative controls: each known async-database test failure, made on purpose, fails the generated suite.

Every control copies the rendered project, applies one deliberate break to it, runs the generated
tests that should catch it (`HARNESS_TESTS` unless it says: the service's own tests through `client`
and `db_session`) and asserts they fail with the symptom users meet (recorded below as seen on
PostgreSQL and MariaDB).
`test_generated_suite.py` shows the same project, unbroken, passing its whole suite.
"""

from pathlib import Path

import pytest

from tests.breaks import Break
from tests.generated import Project

HARNESS_TESTS = "tests/test_items.py tests/test_isolation.py"
LEAKED = "rows committed outside the per-test transaction"


CONFTEST, HARNESS, PYPROJECT = "tests/conftest.py", "tests/harness.py", "pyproject.toml"
ITEMS_API = "src/acme_orders/api/items.py"
BREAKS = {
    "test loop scope back to function": Break(
        (
            (
                PYPROJECT,
                'asyncio_default_test_loop_scope = "session"',
                'asyncio_default_test_loop_scope = "function"',
            ),
        ),
        ("got Future", "attached to a different loop"),
    ),
    "fixture loop scope back to function": Break(
        (
            (
                PYPROJECT,
                'asyncio_default_fixture_loop_scope = "session"',
                'asyncio_default_fixture_loop_scope = "function"',
            ),
        ),
        (
            "ScopeMismatch: You tried to access the function scoped fixture _function_scoped_runner "
            "with a session scoped request object",
        ),
    ),
    "no outer transaction": Break(
        ((CONFTEST, "    begin_outer_transaction(connection)\n", ""),),
        (LEAKED, "FAILED tests/test_isolation.py::test_leak_probe_commit_is_visible_now_and_gone_next_test"),
    ),
    "a plain Session joined to the outer transaction": Break(
        ((HARNESS, "        sync_session_class=RolledBackSession,\n", ""),),
        (LEAKED, "FAILED tests/test_items.py::test_handler_rollback_keeps_the_tests_earlier_rows"),
    ),
    "engine never disposed": Break(
        ((CONFTEST, "    yield engine\n    await engine.dispose()\n", "    yield engine\n"),),
        ("are still open after the run: an engine was not disposed",),
    ),
    "alembic upgrade called inside the running loop": Break(
        (
            (
                CONFTEST,
                "    async with engine.begin() as connection:\n        await connection.run_sync(upgrade)\n",
                '    command.upgrade(Config(ALEMBIC_INI), "head")\n',
            ),
        ),
        ("RuntimeError: asyncio.run() cannot be called from a running event loop",),
    ),
    "a handler opening its own session": Break(
        (
            (
                "src/acme_orders/api/items.py",
                "from fastapi import APIRouter,",
                "from fastapi import APIRouter, Request,",
            ),
            (
                "src/acme_orders/api/items.py",
                "async def create_item(payload: ItemCreate, session: SessionDep)",
                "async def create_item(payload: ItemCreate, session: SessionDep, request: Request)",
            ),
            (
                "src/acme_orders/api/items.py",
                "    item = Item(name=payload.name)\n",
                "    item = Item(name=payload.name)\n    session = request.app.state.sessionmaker()\n",
            ),
        ),
        (LEAKED,),
    ),
    "alembic logging config disabling the application's loggers": Break(
        (("migrations/env.py", "disable_existing_loggers=False", "disable_existing_loggers=True"),),
        ("FAILED tests/test_items.py::test_application_loggers_survive_migrations",),
    ),
    "a route that answers 500 on some input": Break(
        (
            (
                ITEMS_API,
                "    return await _get_or_404(session, item_id)\n",
                '    if item_id > 1_000_000:\n        raise RuntimeError("a large id breaks this handler")\n'
                "    return await _get_or_404(session, item_id)\n",
            ),
        ),
        (
            "FAILED tests/test_api_contract.py::test_every_answer_matches_the_schema",
            "RuntimeError: a large id breaks this handler",
        ),
        "tests/test_api_contract.py",
    ),
    "a list route that loads its rows one query per row": Break(
        (
            (
                ITEMS_API,
                "    return list(await session.scalars(select(Item).order_by(Item.id)))\n",
                "    ids = list(await session.scalars(select(Item.id).order_by(Item.id)))\n"
                "    return [await _get_or_404(session, item_id) for item_id in ids]\n",
            ),
        ),
        (
            "FAILED tests/test_items.py::test_listing_sends_as_many_statements_for_many_rows_as_for_one",
            "SQL statements, more than",
        ),
        "tests/test_items.py",
    ),
    "a factory committing on an engine of its own": Break(
        (
            (CONFTEST, "def factories(db_session: AsyncSession)", "def factories(app: FastAPI)"),
            (CONFTEST, "__async_session__ = db_session", "__async_session__ = app.state.sessionmaker"),
        ),
        (LEAKED,),
        "tests/test_items.py",
    ),
}


@pytest.mark.parametrize("mistake", list(BREAKS))
def test_the_generated_suite_fails_on(mistake: str, project: Project, tmp_path: Path) -> None:
    broken = project.copy(tmp_path / "broken")
    BREAKS[mistake].apply(broken.path)
    try:
        outcome = broken.pytest(f"-p no:randomly {BREAKS[mistake].tests or HARNESS_TESTS}")
    finally:
        for leftover in broken.databases():  # a broken harness cannot be trusted to drop its own
            broken.on_server(f"DROP DATABASE {leftover}")
    assert outcome.returncode != 0, outcome.output
    for symptom in BREAKS[mistake].symptoms:
        assert symptom in outcome.output, f"expected {symptom!r} in:\n{outcome.output[-5000:]}"
