"""The generated project's day-two tooling: compose, CI workflow, image and pre-commit hooks."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.generated import Project, git
from tests.workflow import readme_commands, shared_commands


def load(project: Project, relative: str) -> Any:
    return yaml.safe_load((project.path / relative).read_text())


def schema_errors(path: Path, schema: str) -> str:
    """What check-jsonschema finds wrong with `path` under one of its vendored schemas; empty when valid."""
    completed = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
    )
    return "" if completed.returncode == 0 else completed.stdout + completed.stderr


def docker_compose_missing() -> str | None:
    """Why `docker compose` cannot run here; None when it can."""
    if shutil.which("docker") is None:
        return "no docker client is installed"
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    if version.returncode == 0:
        return None
    return f"`docker compose version` failed ({version.stderr.strip().splitlines()[0]})"


def test_compose_starts_the_database_then_migrates_then_serves(project: Project) -> None:
    services = load(project, "compose.yaml")["services"]
    assert services["db"]["image"] == project.server.image
    # Over TCP: during first-start initialisation the image's server answers on its Unix socket only.
    assert "127.0.0.1" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["alembic", "upgrade", "head"]
    assert services["migrate"]["healthcheck"] == {"disable": True}, "a one-shot job has nothing to probe"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    for name in ("migrate", "app"):
        assert services[name]["build"] == "."
        assert "@db:" in services[name]["environment"]["DATABASE_URL"]


def test_compose_file_follows_the_compose_specification(project: Project) -> None:
    assert schema_errors(project.path / "compose.yaml", "vendor.compose-spec") == ""


def test_docker_compose_accepts_the_compose_file(project: Project) -> None:
    if reason := docker_compose_missing():
        pytest.fail(
            f"`docker compose config` cannot run: {reason}. `.ci/run` installs the compose plugin.",
            pytrace=False,
        )
    completed = project.run("docker compose config --quiet")
    assert completed.returncode == 0, completed.stderr


def test_ci_tests_on_the_chosen_database_with_the_readme_command(project: Project) -> None:
    job = load(project, ".github/workflows/ci.yml")["jobs"]["check"]
    database_service = job["services"]["db"]
    assert database_service["image"] == project.server.image
    assert "--health-cmd" in database_service["options"]
    setup_uv = next(step for step in job["steps"] if step.get("uses", "").startswith("astral-sh/setup-uv"))
    assert setup_uv["with"]["enable-cache"] is True
    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert commands[-1] == project.readme_test_command()
    assert "uv run ruff check" in " ".join(commands)
    assert "uv run ruff format --check" in " ".join(commands)
    assert "uv run mypy" in commands
    assert "uvx pre-commit run hadolint --all-files" in commands


def test_ci_container_job_runs_the_readme_container_commands(project: Project) -> None:
    steps = load(project, ".github/workflows/ci.yml")["jobs"]["container"]["steps"]
    readme = readme_commands((project.path / "README.md").read_text())
    assert "docker compose up --build --wait" in readme
    assert shared_commands(steps) == readme
    teardown = steps[-1]
    assert teardown["run"] == "docker compose down --volumes"
    assert teardown["if"] == "always()", "the stack is taken down even when a step failed"
    summary = "\n".join(step["run"] for step in steps if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    assert "docker image inspect" in summary
    assert "BUILD_SECONDS" in summary


def test_ci_workflow_follows_the_github_workflow_schema(project: Project) -> None:
    assert schema_errors(project.path / ".github/workflows/ci.yml", "vendor.github-workflows") == ""


def test_github_expressions_survive_rendering(project: Project) -> None:
    workflow = load(project, ".github/workflows/ci.yml")
    assert workflow["concurrency"]["group"] == "${{ github.workflow }}-${{ github.ref }}"


def test_the_image_is_built_in_stages_and_runs_without_dev_dependencies_as_non_root(project: Project) -> None:
    lines = (project.path / "Dockerfile").read_text().splitlines()
    stages = [number for number, line in enumerate(lines) if line.startswith("FROM ")]
    assert len(stages) >= 2
    final_stage = lines[stages[-1] :]
    assert not any("astral-sh/uv" in line or "uv " in line for line in final_stage), "uv is a build tool"
    users = [line.split()[1] for line in final_stage if line.startswith("USER ")]
    assert users, "the final stage must switch to a user"
    assert users[-1] not in {"root", "0"}
    assert any(line.startswith("HEALTHCHECK ") for line in final_stage), "`up --wait` waits for it"
    syncs = [line for line in lines if "uv sync" in line]
    assert syncs
    assert all("--no-dev" in line and "--locked" in line for line in syncs)
    ignored = (project.path / ".dockerignore").read_text().splitlines()
    assert {".env", ".venv/", ".git/"} <= set(ignored)


def test_pre_commit_runs_ruff_mypy_hadolint_and_the_conflict_check(project: Project) -> None:
    config = load(project, ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repository in config["repos"] for hook in repository["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "check-merge-conflict", "check-yaml", "hadolint"} <= set(hooks)
    assert hooks["mypy"]["entry"] == "uv run mypy"
    validated = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=project.path,
        capture_output=True,
        text=True,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_pre_commit_hadolint_hook_passes_on_the_dockerfile(project: Project, tmp_path: Path) -> None:
    # The hook alone, as configured: pre-commit would clone every other hook's repository first.
    (hook,) = (
        hook
        for repository in load(project, ".pre-commit-config.yaml")["repos"]
        for hook in repository["hooks"]
        if hook["id"] == "hadolint"
    )
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    shutil.copy2(project.path / "Dockerfile", tmp_path / "Dockerfile")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    hook = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "hadolint", "--all-files"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert re.search(r"^hadolint\.+Passed$", hook.stdout, re.MULTILINE), hook.stdout
