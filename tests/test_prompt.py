"""The interactive prompt at 80 columns: every question's help and every refusal read whole, the
suggested answer is taken, the database is picked by its label with the arrow keys."""

from pathlib import Path

import pexpect
import yaml

from tests.terminal import DOWN, ENTER, copier_prompt, shown, wait_for_refusal

CLEAR_LINE = "\x15"
MARK = "🎤 "  # before each help text: copier's question mark (two columns wide) and a space


def help_texts(template: Path) -> dict[str, str]:
    questions = yaml.safe_load((template / "copier.yml").read_text())
    return {
        name: spec["help"] for name, spec in questions.items() if isinstance(spec, dict) and "help" in spec
    }


def test_at_80_columns_the_prompt_reads_whole_and_takes_the_answer_it_suggests(
    template: Path, tmp_path: Path
) -> None:
    prompt = copier_prompt(template, tmp_path)
    prompt.expect("Human name of the service")
    prompt.send("Acme Orders" + ENTER)
    for question in ["One line", "Author or team name", "e-mail", "Distribution name"]:
        prompt.expect(question)
        prompt.send(ENTER)
    prompt.expect("Python package name")
    prompt.send(CLEAR_LINE + "My-Pkg" + ENTER)
    wait_for_refusal(prompt, "package_name")
    refusal = "Validation error for question 'package_name': use \"my_pkg\": a-z, 0-9, _"
    assert refusal in shown(prompt)
    prompt.send(CLEAR_LINE + "my_pkg" + ENTER)
    prompt.expect("Database the service")
    prompt.expect("MySQL \\(aiomysql\\)")
    prompt.send(DOWN + ENTER)
    prompt.expect("Lowest Python version")
    prompt.send(ENTER)
    prompt.expect(pexpect.EOF)
    prompt.close()
    assert prompt.exitstatus == 0, shown(prompt)

    screen = shown(prompt)
    cut = [text for text in help_texts(template).values() if MARK + text not in screen]
    assert cut == [], screen
    pyproject = (tmp_path / "pyproject.toml").read_text()
    assert '"aiomysql' in pyproject
    assert "asyncpg" not in pyproject
    answers = (tmp_path / ".copier-answers.yml").read_text()
    assert "database: mysql" in answers
    assert "package_name: my_pkg" in answers
