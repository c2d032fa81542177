"""A generated project's CI job, read and run outside GitHub: the commands it shares with the README.

`python -m tests.workflow PROJECT JOB` runs the `run` steps of one job of PROJECT's
`.github/workflows/ci.yml` in order, with bash as GitHub's `shell: bash` does, honouring
`if: failure()` and `if: always()` and carrying `$GITHUB_ENV` from step to step. The `uses` steps
(checkout, setup-uv) are what the caller provides: the project's folder and uv on the PATH.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = ".github/workflows/ci.yml"
CONTAINER_COMMANDS = "<!-- container-commands -->"
RUNNER_FILES = re.compile(r"\$\{?GITHUB_(ENV|STEP_SUMMARY|OUTPUT|PATH)\b")
STEP_TIMEOUT_SECONDS = 15 * 60


def job(project: Path, name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((project / WORKFLOW).read_text())
    found: dict[str, Any] = workflow["jobs"][name]
    return found


def shared_commands(steps: list[dict[str, Any]]) -> list[str]:
    """The commands of the steps a user runs too: not the bookkeeping that writes to the runner's
    files, not the diagnostics that run only on failure."""
    return [
        line
        for step in steps
        if "run" in step and step.get("if") != "failure()" and not RUNNER_FILES.search(step["run"])
        for line in step["run"].strip().splitlines()
    ]


def readme_commands(readme: str, marker: str = CONTAINER_COMMANDS) -> list[str]:
    """The lines of the first fenced block after `marker` in the README."""
    after = readme.split(marker, 1)[1]
    block = after.split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip()]


def run_job(project: Path, name: str, summary: Path) -> bool:
    """Run the job's `run` steps in `project`; True when every step that ran succeeded."""
    environment = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    failed = False
    for step in job(project, name)["steps"]:
        title = step.get("name") or step.get("uses") or step.get("run", "")
        if "uses" in step:
            print(f"--- {title}: provided by the caller", flush=True)
            continue
        condition = step.get("if")
        if condition not in {None, "failure()", "always()"}:
            raise SystemExit(f"step {title!r}: cannot evaluate `if: {condition}` outside GitHub")
        if "${{" in step["run"]:
            raise SystemExit(f"step {title!r}: its GitHub expressions cannot be evaluated outside GitHub")
        if (condition is None and failed) or (condition == "failure()" and not failed):
            print(f"--- {title}: skipped", flush=True)
            continue
        print(f"--- {title}\n{step['run'].rstrip()}", flush=True)
        with tempfile.NamedTemporaryFile("r", suffix=".env") as github_env:
            environment["GITHUB_ENV"] = github_env.name
            completed = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=project,
                env=environment,
                timeout=STEP_TIMEOUT_SECONDS,
            )
            for line in github_env.read().splitlines():
                variable, _, value = line.partition("=")
                environment[variable] = value
        if completed.returncode != 0:
            print(f"--- {title}: failed with exit status {completed.returncode}", flush=True)
            failed = True
    return not failed


def main() -> None:
    project, name = Path(sys.argv[1]), sys.argv[2]
    given = os.environ.get("GITHUB_STEP_SUMMARY")
    with tempfile.TemporaryDirectory() as scratch:
        summary = Path(given) if given else Path(scratch) / "summary.md"
        succeeded = run_job(project, name, summary)
        if not given and summary.exists():
            print(f"--- summary\n{summary.read_text()}", flush=True)
    sys.exit(0 if succeeded else 1)


if __name__ == "__main__":
    main()
