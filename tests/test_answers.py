"""Every rule of every answer: a bad answer is refused with one line that starts with the fix and
fits an 80-column prompt, nothing is written, and its accepting neighbour (and every suggestion
the message offers) is accepted."""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import copier
import pexpect
import pytest
import yaml

from tests.generated import copier_copy_command, render
from tests.terminal import ENTER, WIDTH, copier_prompt, shown, wait_for_refusal

CLEAR_LINE = "\x15"
CTRL_C = "\x03"
# How copier shows a validator's message, at the prompt and in the error that ends a `--data` run.
REFUSAL = "Validation error for question '{question}': {message}"
OFFERED = re.compile(r'(?:use|try|e\.g\.) "([^"]+)"')
LONGEST_PACKAGE = "a" * 51


@dataclass(frozen=True)
class Rule:
    question: str
    rejected: str
    message: str  # the whole refusal after copier's "Validation error for question '...': "
    accepted: str  # the neighbour of `rejected` that keeps the rule
    destination: str = "missing"  # or "existing": what is at the destination before the run


RULES = {
    "project name: required": Rule("project_name", "   ", 'give a name, e.g. "Acme Orders"', " Acme "),
    "project name: no double quote": Rule(
        "project_name", 'Acme "Orders"', 'use one line, no " or \\', "Acme 'Orders'", "existing"
    ),
    "project name: no backslash": Rule(
        "project_name", "Acme\\Orders", 'use one line, no " or \\', "Acme/Orders"
    ),
    "project name: no tab": Rule("project_name", "Acme\tOrders", 'use one line, no " or \\', "Acme  Orders"),
    "project name: no DEL": Rule("project_name", "Acme\x7fOrders", 'use one line, no " or \\', "Acme~Orders"),
    "description: one line": Rule(
        "project_description",
        "Takes orders.\nAnd more.",
        'use one line, no " or \\',
        "Takes orders. And more.",
        "existing",
    ),
    "description: no double quote": Rule(
        "project_description", 'Takes "orders".', 'use one line, no " or \\', "Takes 'orders'."
    ),
    "description: no backslash": Rule(
        "project_description", "Takes orders\\returns.", 'use one line, no " or \\', "Takes orders/returns."
    ),
    "author: required": Rule("author_name", " ", 'give a name, e.g. "Orders Team"', "Q"),
    "author: one line": Rule("author_name", "Orders\nTeam", 'use one line, no " or \\', "Orders Team"),
    "author: no double quote": Rule(
        "author_name", '"Orders" Team', 'use one line, no " or \\', "Orders Team"
    ),
    "author: no backslash": Rule("author_name", "Orders\\Team", 'use one line, no " or \\', "Orders/Team"),
    "e-mail: an @": Rule(
        "author_email", "team-at-example.com", "write it as name@domain.tld", "team@example.com"
    ),
    "e-mail: one @": Rule(
        "author_email", "team@orders@example.com", "write it as name@domain.tld", "team.orders@example.com"
    ),
    "e-mail: a name": Rule("author_email", "@example.com", "write it as name@domain.tld", "t@example.com"),
    "e-mail: a top-level domain": Rule(
        "author_email", "team@example", "write it as name@domain.tld", "team@example.io", "existing"
    ),
    "e-mail: a top-level domain of letters": Rule(
        "author_email", "team@example.c0m", "write it as name@domain.tld", "team@example.com"
    ),
    "e-mail: a top-level domain of two letters or more": Rule(
        "author_email", "team@example.c", "write it as name@domain.tld", "team@example.co"
    ),
    "e-mail: no space": Rule(
        "author_email", "team @example.com", "write it as name@domain.tld", "team_@example.com"
    ),
    "e-mail: no double quote": Rule(
        "author_email", 'te"am@example.com', "write it as name@domain.tld", "te'am@example.com"
    ),
    "e-mail: no backslash": Rule(
        "author_email", "te\\am@example.com", "write it as name@domain.tld", "te/am@example.com"
    ),
    "slug: required": Rule("project_slug", "", 'type one, e.g. "acme-orders"', "a"),
    "slug: a letter first": Rule("project_slug", "1acme", "start with a letter a-z", "acme1"),
    "slug: lowercase": Rule("project_slug", "My-Pkg", 'use "my-pkg": a-z, 0-9, -', "my-pkg", "existing"),
    "slug: no underscore": Rule(
        "project_slug", "acme_orders", 'use "acme-orders": a-z, 0-9, -', "acme-orders"
    ),
    "slug: single hyphens": Rule(
        "project_slug", "acme--orders", 'use "acme-orders": a-z, 0-9, -', "acme-o-rders"
    ),
    "slug: no hyphen last": Rule("project_slug", "acme-", 'use "acme": a-z, 0-9, -', "acme"),
    "slug: a suggestion too long to show is not offered": Rule(
        "project_slug", "Acme-" * 9, 'try "acme-orders": a-z, 0-9, -', "acme-" * 8 + "acme"
    ),
    "package: required": Rule("package_name", "", 'type one, e.g. "acme_orders"', "a"),
    "package: a letter first": Rule("package_name", "1acme", "start with a letter a-z", "acme1", "existing"),
    "package: no underscore first": Rule("package_name", "_acme", "start with a letter a-z", "acme_"),
    "package: lowercase": Rule("package_name", "AcmeOrders", 'use "acmeorders": a-z, 0-9, _', "acmeorders"),
    "package: no hyphen": Rule("package_name", "My-Pkg", 'use "my_pkg": a-z, 0-9, _', "my_pkg"),
    "package: an identifier": Rule(
        "package_name", "acme.orders", 'use "acme_orders": a-z, 0-9, _', "acme_orders", "existing"
    ),
    "package: no keyword": Rule("package_name", "lambda", 'use "lambda_service": name in use', "lambdas"),
    "package: no standard library module": Rule(
        "package_name", "json", 'use "json_service": name in use', "jsons"
    ),
    "package: no dependency": Rule(
        "package_name", "sqlalchemy", 'use "sqlalchemy_service"', "sqlalchemy_models", "existing"
    ),
    "package: not the tests' package": Rule(
        "package_name", "tests", 'use "tests_service": name in use', "testing"
    ),
    "package: short enough for the test databases": Rule(
        "package_name", LONGEST_PACKAGE + "a", "use at most 51 characters", LONGEST_PACKAGE
    ),
    "package: a suggestion too long to show is not offered": Rule(
        "package_name", "A" * 41, 'try "acme_orders": a-z, 0-9, _', "a" * 41
    ),
}
# Refused by copier itself before any validator runs, with its own message.
CHOICES = {
    "database": Rule(
        "database",
        "sqlite",
        "Invalid choice for 'database': 'sqlite' is not in ['postgresql', 'mysql']",
        "mysql",
    ),
    "python_version": Rule(
        "python_version",
        "3.9",
        "Invalid choice for 'python_version': '3.9' is not in ['3.11', '3.12', '3.13']",
        "3.13",
    ),
}
GOOD_ANSWERS = {"project_name": "Acme Orders"}


# Run through the copier CLI as well: what a user sees with `--data` (a traceback, then the refusal).
ON_THE_COMMAND_LINE = ["project name: required", "e-mail: a top-level domain", "package: no dependency"]


@dataclass(frozen=True)
class Run:
    output: str
    before: dict[str, bytes | None]
    after: dict[str, bytes | None]

    @property
    def error(self) -> str:
        """The last line: what copier ends a refused run with (after its traceback, on the command line)."""
        return self.output.strip().splitlines()[-1]


def contents(root: Path) -> dict[str, bytes | None]:
    """Every path under `root` with its bytes (None for a directory) and modification time."""
    return {
        f"{path.relative_to(root)} @{path.stat().st_mtime_ns}": None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


def prepared(room: Path, rule: Rule) -> Path:
    """`room/project`, missing or holding a file of the user's as `rule.destination` says."""
    destination = room / "project"
    if rule.destination == "existing":
        destination.mkdir(parents=True)
        (destination / "notes.txt").write_bytes(b"keep me\n")
    else:
        room.mkdir(parents=True)
    return destination


def copied(template: Path, room: Path, rule: Rule) -> Run:
    """`copier.run_copy` with the rejected answer into `room/project`, `room` compared before and after."""
    destination = prepared(room, rule)
    before = contents(room)
    with pytest.raises(ValueError, match=r"^Validation error for question") as refused:
        copier.run_copy(
            str(template),
            destination,
            data={**GOOD_ANSWERS, rule.question: rule.rejected},
            defaults=True,
            quiet=True,
        )
    return Run(str(refused.value), before, contents(room))


def copied_on_the_command_line(template: Path, room: Path, rule: Rule) -> Run:
    """`copier copy --defaults --data ...` with the rejected answer, `room` compared before and after."""
    destination = prepared(room, rule)
    before = contents(room)
    completed = subprocess.run(
        copier_copy_command(template, destination, **{**GOOD_ANSWERS, rule.question: rule.rejected}),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert completed.returncode != 0, completed.stdout + completed.stderr
    return Run(completed.stdout + completed.stderr, before, contents(room))


def refusal_of(rule: Rule) -> str:
    return REFUSAL.format(question=rule.question, message=rule.message)


@pytest.fixture(scope="module")
def checks_answers(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template without its git history: copier reads it in place instead of cloning it per run."""
    plain = tmp_path_factory.mktemp("plain") / "template"
    return Path(shutil.copytree(template, plain, ignore=shutil.ignore_patterns(".git")))


def accepted(template: Path, destination: Path, **answers: str) -> bool:
    """Whether copier takes `answers` (a dry run: nothing is written)."""
    try:
        copier.run_copy(
            str(template),
            destination,
            data={**GOOD_ANSWERS, **answers},
            defaults=True,
            pretend=True,
            quiet=True,
        )
    except ValueError:
        return False
    assert not destination.exists()
    return True


@pytest.mark.parametrize("name", RULES)
def test_a_bad_answer_is_refused_with_its_message_and_writes_nothing(
    checks_answers: Path, tmp_path: Path, name: str
) -> None:
    rule = RULES[name]
    run = copied(checks_answers, tmp_path / "room", rule)
    assert run.error == refusal_of(rule)
    assert run.after == run.before


@pytest.mark.parametrize("name", RULES)
def test_the_refusal_fits_one_80_column_line_with_copiers_prefix(name: str) -> None:
    assert len(refusal_of(RULES[name])) <= WIDTH


@pytest.mark.parametrize("name", RULES)
def test_the_accepting_neighbour_and_every_offered_answer_are_accepted(
    checks_answers: Path, tmp_path: Path, name: str
) -> None:
    rule = RULES[name]
    for answer in [rule.accepted, *OFFERED.findall(rule.message)]:
        assert accepted(checks_answers, tmp_path / "project", **{rule.question: answer}), answer


@pytest.mark.parametrize("name", ON_THE_COMMAND_LINE)
def test_with_data_copier_prints_its_traceback_then_the_refusal_and_writes_nothing(
    template: Path, tmp_path: Path, name: str
) -> None:
    rule = RULES[name]
    run = copied_on_the_command_line(template, tmp_path / "room", rule)
    assert "Traceback (most recent call last):" in run.output
    assert run.error == f"ValueError: {refusal_of(rule)}", run.output
    assert run.after == run.before


# At the prompt copier stops with a traceback on a default it refuses, so every derived default is accepted.
DERIVED_NAMES = {
    "Email": ("email", "email_service"),
    "2024 Orders": ("orders", "orders"),
    "Заказы": ("service", "service"),
    "Acme " * 14: (("acme-" * 14).rstrip("-"), ("acme_" * 14)[: len(LONGEST_PACKAGE)].strip("_")),
}


@pytest.mark.parametrize("project_name", DERIVED_NAMES)
def test_the_slug_and_package_derived_from_any_project_name_are_accepted(
    checks_answers: Path, tmp_path: Path, project_name: str
) -> None:
    copier.run_copy(
        str(checks_answers), tmp_path, data={"project_name": project_name}, defaults=True, quiet=True
    )
    answers = yaml.safe_load((tmp_path / ".copier-answers.yml").read_text())
    assert (answers["project_slug"], answers["package_name"]) == DERIVED_NAMES[project_name]


@pytest.mark.parametrize("name", CHOICES)
def test_an_answer_outside_the_choices_is_refused_by_copier_and_writes_nothing(
    template: Path, checks_answers: Path, tmp_path: Path, name: str
) -> None:
    rule = CHOICES[name]
    run = copied_on_the_command_line(template, tmp_path / "room", rule)
    assert run.error == f"ValueError: {rule.message}", run.output
    assert run.after == run.before
    assert accepted(checks_answers, tmp_path / "project", **{rule.question: rule.accepted})


def test_a_padded_project_name_is_trimmed_where_it_is_shown(template: Path, tmp_path: Path) -> None:
    project = render(template, tmp_path / "project", project_name="  Acme Orders  ")
    assert (
        (project / "README.md").read_text().startswith("# Acme Orders\n\nAcme Orders: a FastAPI service.\n")
    )
    assert 'FastAPI(title="Acme Orders",' in (project / "src/acme_orders/main.py").read_text()


def test_a_bad_answer_at_the_prompt_is_explained_and_asked_again(template: Path, tmp_path: Path) -> None:
    destination = tmp_path / "project"
    prompt = copier_prompt(template, destination)
    prompt.expect("Human name of the service")
    prompt.send("   " + ENTER)
    wait_for_refusal(prompt, "project_name")
    assert refusal_of(RULES["project name: required"]) in shown(prompt)
    prompt.send(CLEAR_LINE + "Acme Orders" + ENTER)
    for question in ["One line", "Author or team name", "e-mail", "Distribution name"]:
        prompt.expect(question)
        prompt.send(ENTER)
    prompt.expect("Python package name")
    prompt.send(CLEAR_LINE + "json" + ENTER)
    wait_for_refusal(prompt, "package_name")
    assert refusal_of(RULES["package: no standard library module"]) in shown(prompt)
    prompt.send(CTRL_C)
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus != 0
    assert not destination.exists()
