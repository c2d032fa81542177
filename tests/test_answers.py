"""Bad answers are refused with a message saying what is wrong and what would be right; nothing is written."""

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from tests.generated import copier_copy_command
from tests.terminal import ENTER, copier_prompt

CLEAR_LINE = "\x15"
CTRL_C = "\x03"


@dataclass(frozen=True)
class BadAnswer:
    answers: dict[str, str]
    question: str
    message: str
    destination: str  # "missing" or "existing": what is at the destination before the run


BAD_ANSWERS = {
    "empty project name": BadAnswer(
        {"project_name": "   "},
        "project_name",
        'project_name must not be empty: give the service a human name such as "Acme Orders".',
        "missing",
    ),
    "quote in project name": BadAnswer(
        {"project_name": 'Acme "Orders"'},
        "project_name",
        "must be one line of plain text without double quotes, backslashes or control characters",
        "existing",
    ),
    "project name without ASCII letters": BadAnswer(
        {"project_name": "Заказы"},
        "project_slug",
        "project_slug is empty: the project name has no ASCII letter or digit to derive it from",
        "missing",
    ),
    "multi-line description": BadAnswer(
        {"project_description": "Takes orders.\nAnd more."},
        "project_description",
        'project_description "Takes orders. And more." must be one line of plain text',
        "existing",
    ),
    "blank author": BadAnswer(
        {"author_name": " "}, "author_name", "author_name must not be empty", "missing"
    ),
    "malformed e-mail": BadAnswer(
        {"author_email": "team-at-example"},
        "author_email",
        'author_email "team-at-example" is not an e-mail address: write it as name@domain',
        "existing",
    ),
    "uppercase slug": BadAnswer(
        {"project_slug": "Acme-Orders"},
        "project_slug",
        'project_slug "Acme-Orders" must be lowercase: use "acme-orders".',
        "missing",
    ),
    "slug with underscore": BadAnswer(
        {"project_slug": "acme_orders"},
        "project_slug",
        'project_slug "acme_orders" is not a valid distribution name: use lowercase ASCII letters, '
        "digits and single hyphens",
        "existing",
    ),
    "package with hyphen": BadAnswer(
        {"package_name": "acme-orders"},
        "package_name",
        'package_name "acme-orders" contains a hyphen, which Python cannot import: use underscores, '
        '"acme_orders".',
        "missing",
    ),
    "uppercase package": BadAnswer(
        {"package_name": "AcmeOrders"},
        "package_name",
        'package_name "AcmeOrders" must be lowercase: use "acmeorders".',
        "existing",
    ),
    "package starting with a digit": BadAnswer(
        {"package_name": "1acme"},
        "package_name",
        'package_name "1acme" starts with a digit, which Python cannot import',
        "missing",
    ),
    "package that is no identifier": BadAnswer(
        {"package_name": "acme.orders"},
        "package_name",
        'package_name "acme.orders" is not a Python identifier',
        "existing",
    ),
    "keyword package": BadAnswer(
        {"package_name": "lambda"},
        "package_name",
        'package_name "lambda" would shadow a Python keyword, the standard library or one of the '
        "project's dependencies",
        "missing",
    ),
    "standard library package": BadAnswer(
        {"package_name": "json"}, "package_name", 'for example "json_service"', "existing"
    ),
    "dependency package": BadAnswer(
        {"package_name": "sqlalchemy"}, "package_name", 'package_name "sqlalchemy" would shadow', "missing"
    ),
    "test package": BadAnswer(
        {"package_name": "tests"}, "package_name", 'package_name "tests" would shadow', "existing"
    ),
    "package too long for a database name": BadAnswer(
        {"package_name": "a" * 52},
        "package_name",
        f'package_name "{"a" * 52}" is too long (52 characters): the test database names derived from it '
        f'(up to "{"a" * 52}_test_gw99_m") must fit the 63-character identifier limit of PostgreSQL '
        "and MySQL, so use at most 51 characters.",
        "missing",
    ),
    "unknown database": BadAnswer(
        {"database": "sqlite"}, "database", "'sqlite' is not in ['postgresql', 'mysql']", "existing"
    ),
    "unsupported Python": BadAnswer(
        {"python_version": "3.9"}, "python_version", "'3.9' is not in ['3.11', '3.12', '3.13']", "missing"
    ),
}
GOOD_ANSWERS = {"project_name": "Acme Orders"}


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    before: dict[str, bytes | None]
    after: dict[str, bytes | None]


def contents(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a directory) and modification time."""
    return {
        f"{path.relative_to(root)} @{path.stat().st_mtime_ns}": None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def copier_with_data(template: Path, room: Path, case: BadAnswer) -> Run:
    """`copier copy --defaults --data ...` into `room/project`, with `room` compared before and after."""
    destination = room / "project"
    if case.destination == "existing":
        destination.mkdir(parents=True)
        (destination / "notes.txt").write_bytes(b"keep me\n")
    else:
        room.mkdir(parents=True)
    before = contents(room)
    completed = subprocess.run(
        copier_copy_command(template, destination, **{**GOOD_ANSWERS, **case.answers}),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return Run(completed.returncode, completed.stdout + completed.stderr, before, contents(room))


@pytest.fixture(scope="module")
def refused(template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every bad answer run through the copier CLI once, a few at a time."""
    rooms = tmp_path_factory.mktemp("refused")
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = {
            name: pool.submit(copier_with_data, template, rooms / f"case{number}", case)
            for number, (name, case) in enumerate(BAD_ANSWERS.items())
        }
        return {name: run.result() for name, run in runs.items()}


@pytest.mark.parametrize("name", BAD_ANSWERS)
def test_a_bad_answer_in_data_fails_with_its_message_and_writes_nothing(
    refused: dict[str, Run], name: str
) -> None:
    case, run = BAD_ANSWERS[name], refused[name]
    assert run.returncode != 0, run.output
    assert f"question '{case.question}'" in run.output or f"for '{case.question}'" in run.output, run.output
    assert case.message in run.output.strip().splitlines()[-1], run.output
    assert run.after == run.before


def test_a_bad_answer_at_the_prompt_is_explained_and_asked_again(template: Path, tmp_path: Path) -> None:
    destination = tmp_path / "project"
    prompt = copier_prompt(template, destination)
    prompt.expect("Human name of the service")
    prompt.send("   " + ENTER)
    prompt.expect("project_name must not be empty")
    prompt.send(CLEAR_LINE + "Acme Orders" + ENTER)
    for question in ["One line", "Author or team name", "e-mail", "Distribution name"]:
        prompt.expect(question)
        prompt.send(ENTER)
    prompt.expect("Python package name")
    prompt.send(CLEAR_LINE + "json" + ENTER)
    prompt.expect("would shadow a Python keyword")
    prompt.send(CTRL_C)
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus != 0
    assert not destination.exists()
