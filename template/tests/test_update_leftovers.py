"""What `copier update` may leave behind: conflict markers and `.rej` files fail the suite until resolved."""

from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).parents[1]
NOT_THE_PROJECTS_OWN = {
    ".git",
    ".venv",
    ".nox",
    ".tox",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
}
# Not "=======": on its own it is also a Markdown heading underline.
CONFLICT_MARKERS = (b"<<<<<<<", b"|||||||", b">>>>>>>")


def project_files(directory: Path = PROJECT) -> Iterator[Path]:
    for path in directory.iterdir():
        if path.is_dir() and not path.is_symlink():
            if path.name not in NOT_THE_PROJECTS_OWN:
                yield from project_files(path)
        elif path.is_file():
            yield path


def has_conflict_markers(path: Path) -> bool:
    with path.open("rb") as lines:
        return any(line.startswith(CONFLICT_MARKERS) for line in lines)


def test_no_file_holds_conflict_markers() -> None:
    conflicted = [str(path.relative_to(PROJECT)) for path in project_files() if has_conflict_markers(path)]
    assert not conflicted, (
        f"resolve the update's conflicts (lines starting <<<<<<<, >>>>>>>) in: {conflicted}"
    )


def test_no_rejected_hunks_are_left() -> None:
    rejected = [str(path.relative_to(PROJECT)) for path in project_files() if path.suffix == ".rej"]
    assert not rejected, f"apply or drop the rejected hunks, then delete: {rejected}"
