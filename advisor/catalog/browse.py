"""Browsing the public catalog: search and filters over listed entries, grouped by slot."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from advisor.engine.vocabulary import SLOT_LABELS, SLOTS


@dataclass(frozen=True)
class Filters:
    """What the catalog page and the API filter by; empty strings filter nothing."""

    q: str = ""
    slot: str = ""
    status: str = ""
    capability: str = ""

    @property
    def active(self) -> bool:
        return bool(self.q or self.slot or self.status or self.capability)


def _words(q: str) -> list[str]:
    return q.casefold().split()


def _matches_text(entry: dict, words: list[str]) -> bool:
    """Every word appears in the slug, name, summary or an alias ("postgres driver" finds asyncpg)."""
    haystack = "\n".join(
        (entry["slug"], entry["name"], entry.get("summary") or "", *(entry.get("aliases") or ()))
    ).casefold()
    return all(word in haystack for word in words)


def search(entries: Iterable[dict], filters: Filters) -> list[dict]:
    """The entries that pass every filter, by name."""
    words = _words(filters.q)
    found = [
        e
        for e in entries
        if (not filters.slot or filters.slot in e["slots"])
        and (not filters.status or e["status"] == filters.status)
        and (not filters.capability or filters.capability in e["capabilities"])
        and (not words or _matches_text(e, words))
    ]
    return sorted(found, key=lambda e: (e["name"].casefold(), e["slug"]))


def by_slot(entries: list[dict], only: str = "") -> list[tuple[str, str, list[dict]]]:
    """(slot, label, entries) in slot order; an entry appears under every slot it fills, or under
    `only` alone when the search is for one slot."""
    groups = []
    for slot in [only] if only else SLOTS:
        members = [e for e in entries if slot in e["slots"]]
        if members:
            groups.append((slot, SLOT_LABELS.get(slot, slot), members))
    return groups
