"""Deliberate breaks: text replacements that put one mistake into a copy of a project or the template."""

from dataclasses import dataclass
from pathlib import Path


class StaleEdit(Exception):
    """An edit whose text is no longer in its file (or not exactly once): the break must be updated."""


@dataclass(frozen=True)
class Break:
    """Replacements that put one known mistake into a copy, and (for a control) what it must cause."""

    edits: tuple[tuple[str, str, str], ...]
    symptoms: tuple[str, ...] = ()

    def apply(self, root: Path) -> None:
        """Make every edit under `root`; StaleEdit, before anything is written, when one no longer fits."""
        sources = {relative: (root / relative).read_text() for relative, _, _ in self.edits}
        for relative, old, new in self.edits:
            if (found := sources[relative].count(old)) != 1:
                raise StaleEdit(f"{relative} contains {old!r} {found} times, not once: update this break")
            sources[relative] = sources[relative].replace(old, new)
        for relative, source in sources.items():
            (root / relative).write_text(source)
