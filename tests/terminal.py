"""Driving `copier copy` at its interactive prompt through a pseudo-terminal."""

import os
import sys
from pathlib import Path

import pexpect

DOWN = "\x1b[B"
ENTER = "\r"


def copier_prompt(template: Path, destination: Path) -> "pexpect.spawn[str]":
    """`copier copy` running on a pseudo-terminal; send keys, expect prompts."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "copier", "copy", str(template), str(destination)],
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
        env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
    )
