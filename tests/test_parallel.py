"""`pytest -n 2`: one database per worker, and only the databases a run created are dropped."""

from tests.generated import Project


def test_two_workers_pass_twice_and_leave_no_database_behind(project: Project) -> None:
    expected = project.collected()
    for _ in range(2):
        outcome = project.pytest("-n 2")
        assert outcome.returncode == 0, outcome.output
        assert outcome.counts == {"passed": expected}, outcome.output
        assert project.databases() == []


def test_workers_use_their_own_databases_and_keep_them_on_request(project: Project) -> None:
    outcome = project.pytest("-n 2", KEEP_TEST_DATABASE="1")
    assert outcome.returncode == 0, outcome.output
    kept = project.databases()
    try:
        assert kept == [f"{project.database_name}_test_gw0", f"{project.database_name}_test_gw1"]
    finally:
        for name in kept:
            project.on_server(f"DROP DATABASE IF EXISTS {name}")


def test_databases_the_run_did_not_create_are_never_dropped(project: Project) -> None:
    # The test database, and the migration test's scratch database beside it.
    existing = [f"{project.database_name}_test", f"{project.database_name}_test_m"]
    for name in existing:
        project.on_server(f"CREATE DATABASE {name}")
    try:
        # The migration tests: enough to create, use and finish with both databases.
        outcome = project.pytest("tests/test_migrations.py")
        assert outcome.returncode == 0, outcome.output
        assert project.databases() == existing
    finally:
        for name in existing:
            project.on_server(f"DROP DATABASE IF EXISTS {name}")
