"""The interactive prompt: the database is picked by its label with the arrow keys."""

from pathlib import Path

import pexpect

from tests.terminal import DOWN, ENTER, copier_prompt


def test_choosing_mysql_with_the_arrow_keys_renders_the_mysql_driver(template: Path, tmp_path: Path) -> None:
    prompt = copier_prompt(template, tmp_path)
    prompt.expect("Human name of the service")
    prompt.send("Acme Orders" + ENTER)
    for question in ["One line", "Author or team name", "e-mail", "Distribution name", "Python package name"]:
        prompt.expect(question)
        prompt.send(ENTER)
    prompt.expect("Database the service")
    prompt.expect("MySQL \\(aiomysql\\)")
    prompt.send(DOWN + ENTER)
    prompt.expect("Lowest Python version")
    prompt.send(ENTER)
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus == 0

    pyproject = (tmp_path / "pyproject.toml").read_text()
    assert '"aiomysql' in pyproject
    assert "asyncpg" not in pyproject
    assert "database: mysql" in (tmp_path / ".copier-answers.yml").read_text()
