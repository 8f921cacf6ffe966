"""The seeds README's tables of slots, rating axes and capabilities, written from the vocabulary.

Each table sits between `<!-- vocabulary:NAME -->` and `<!-- /vocabulary -->`; a test checks that the
README matches, and `python -m advisor.catalog.readme` rewrites the tables after a vocabulary change.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from advisor.engine import vocabulary as v

README = Path(__file__).resolve().parents[2] / "seeds" / "README.md"
REGION = re.compile(r"(<!-- vocabulary:(\w+) -->\n)(.*?)(<!-- /vocabulary -->)", re.DOTALL)


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [head, tuple("---" for _ in head), *rows]
    return "".join("| " + " | ".join(cells) + " |\n" for cells in lines)


def slots() -> str:
    return _table(
        ("slot", "label", "in stacks"),
        [
            (f"`{s}`", v.SLOT_LABELS[s], "yes" if s in v.STACK_SLOTS else "only when a project must use it")
            for s in v.SLOTS
        ],
    )


def rating_axes() -> str:
    return _table(
        ("axis", "label", "meaning", "a priority"),
        [
            (f"`{axis}`", label, hint, "yes" if axis in v.PRIORITY_AXES else "derived")
            for axis, (label, hint) in v.RATING_WORDS.items()
        ],
    )


def capabilities() -> str:
    return _table(
        ("group", "capability", "label", "note"),
        [
            (group if i == 0 else "", f"`{c}`", *v.CAPABILITY_WORDS[c])
            for group, members in v.CAPABILITY_GROUPS.items()
            for i, c in enumerate(members)
        ],
    )


TABLES = {"slots": slots, "rating_axes": rating_axes, "capabilities": capabilities}


def render(text: str) -> str:
    """The README text with every vocabulary table written afresh."""
    return REGION.sub(lambda m: m.group(1) + TABLES[m.group(2)]() + m.group(4), text)


if __name__ == "__main__":
    old = README.read_text(encoding="utf-8")
    new = render(old)
    if new != old:
        README.write_text(new, encoding="utf-8")
    sys.stdout.write(f"{README}: {'rewritten' if new != old else 'up to date'}\n")
