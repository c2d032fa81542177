"""Driving `copier copy` at its interactive prompt through an 80-column pseudo-terminal."""

import io
import os
import re
import sys
from pathlib import Path

import pexpect

DOWN = "\x1b[B"
ENTER = "\r"
WIDTH = 80
# prompt_toolkit does not wrap: past the last column a line is cut. It writes a line's 80th
# character after moving the cursor there, so removing that move joins a line that fits exactly.
TO_LAST_COLUMN = f"\r\x1b[{WIDTH - 1}C"
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def copier_prompt(template: Path, destination: Path) -> "pexpect.spawn[str]":
    """`copier copy` running on a pseudo-terminal; send keys, expect prompts, read `shown(prompt)`."""
    return on_terminal(sys.executable, ["-m", "copier", "copy", str(template), str(destination)])


def on_terminal(
    program: str, arguments: list[str], cwd: Path | None = None, **environment: str
) -> "pexpect.spawn[str]":
    """`program` running on an 80-column pseudo-terminal, what it shows recorded for `shown`."""
    prompt = pexpect.spawn(
        program,
        arguments,
        cwd=cwd,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, WIDTH),
        env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", **environment},
    )
    prompt.logfile_read = io.StringIO()
    return prompt


def shown(prompt: "pexpect.spawn[str]") -> str:
    """Everything the terminal showed so far, without escape sequences: a line cut at the edge stays cut."""
    assert isinstance(prompt.logfile_read, io.StringIO)
    return ESCAPE.sub("", prompt.logfile_read.getvalue().replace(TO_LAST_COLUMN, ""))


def wait_for_refusal(prompt: "pexpect.spawn[str]", question: str) -> None:
    """Until copier has shown its refusal of the answer to `question`, up to the line's end."""
    prompt.expect_exact(f"Validation error for question '{question}': ")
    prompt.expect_exact("\x1b[A")  # the refusal's line is written; the cursor goes back up to the answer
