"""A reason a catalog file or entry cannot be imported, kept as data from the validator to the page.

The command line prints a problem as one line; the admin puts it beside the field its path names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`source` is the file (the admin's form is "form"); `entry` the entry's position in it, from 1
    (None: the file as a whole); `path` the field inside the entry, list positions counted from 1
    (empty: the entry as a whole)."""

    source: str
    message: str
    entry: int | None = None
    slug: str = "?"
    path: tuple[str | int, ...] = ()

    @property
    def field(self) -> str:
        """The path as the command line writes it: "rules.2.targets", or "entry"."""
        return ".".join(str(part) for part in self.path) or "entry"

    def __str__(self) -> str:
        if self.entry is None:
            return f"{self.source}: {self.message}"
        return f"{self.source}: entry {self.entry} ({self.slug}): {self.field}: {self.message}"
