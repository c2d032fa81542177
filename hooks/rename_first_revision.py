"""Migration for v0.2.0: the project's edits of the first revision follow it to its new name."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

# v0.2.0 renamed the first revision to follow alembic.ini's file_template. Copier knows nothing of
# renames: it writes the new file as the template has it and deletes the old one, edits and all.
# So after the update the edits are merged back in (base: the old file as the project's previous
# template version shipped it), and a revision the project had deleted is deleted again, so that
# Alembic never sees revision 0001 twice. Where there is nothing to carry (the revision unedited, or
# never under its old name), the update says nothing about it.
OLD = "migrations/versions/0001_create_items.py"
NEW = "migrations/versions/20261122_0001_create_items.py"
TEMPLATE_SUBDIRECTORY = "template"
MERGE_LABELS = ("before updating", "last update", "after updating")


def git_show(repository: Path, revision: str, path: str) -> str | None:
    """The file at `revision`, or None when the revision or the file is not there."""
    shown = subprocess.run(
        ["git", "show", f"{revision}:{path}"], cwd=repository, capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def merge(ours: str, base: str, theirs: str) -> tuple[str, bool]:
    """`git merge-file` of the three texts: the result, and whether it holds conflicts."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = [Path(scratch, name) for name in ("ours", "base", "theirs")]
        for path, text in zip(paths, (ours, base, theirs), strict=True):
            path.write_text(text)
        labels = [argument for label in MERGE_LABELS for argument in ("-L", label)]
        merged = subprocess.run(
            ["git", "merge-file", "-p", *labels, *map(str, paths)],
            capture_output=True,
            text=True,
            check=False,
        )
    if not 0 <= merged.returncode <= 127:  # above 127: git failed; below, the number of conflicts
        raise RuntimeError(f"git merge-file failed: {merged.stderr}")
    return merged.stdout, merged.returncode > 0


def carry_edits(project: Path, template: Path, version_from: str) -> str | None:
    """Bring the project's first revision to its new name; says what was done, None when nothing was."""
    renamed = project / NEW
    committed = git_show(project, "HEAD", OLD)
    if not renamed.is_file():
        return None
    if committed is None:
        if git_show(project, "HEAD", NEW) is None:
            renamed.unlink()
            return f"{OLD} had been deleted from the project: removed {NEW} again"
        return None
    shipped_new = (template / TEMPLATE_SUBDIRECTORY / NEW).read_text()
    shipped_old = git_show(template, version_from, f"{TEMPLATE_SUBDIRECTORY}/{OLD}")
    if committed == shipped_old:
        return None
    merged, conflicted = merge(committed, shipped_old or "", shipped_new)
    current = renamed.read_text()
    if current == merged:
        return None
    if current != shipped_new:
        return f"{NEW} was changed after the update: left as it is"
    renamed.write_text(merged)
    if conflicted:
        return f"carried the edits of {OLD} into {NEW}: resolve the conflict markers there"
    return f"carried the edits of {OLD} into {NEW}"


def main(environ: Mapping[str, str], project: Path, template: Path) -> int:
    if (environ.get("COPIER_OPERATION"), environ.get("STAGE")) != ("update", "after"):
        print(f"{Path(__file__).name}: runs only as a migration after `copier update`; nothing done")
        return 0
    if done := carry_edits(project, template, environ["VERSION_FROM"]):
        print(f"{Path(__file__).name}: {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ, Path.cwd(), Path(__file__).resolve().parents[1]))
