"""What the catalog pages say of a technology's health: its last release, its status, its successor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from advisor.engine.catalog import Catalog
from advisor.engine.maintenance import STATUS_LABELS, STATUS_WORDS, is_stale, months_since, release_label

FLAGGED_STATUSES = ("maintenance", "deprecated", "end_of_life", "archived")


@dataclass(frozen=True)
class Successor:
    slug: str
    name: str
    listed: bool  # has a public page to link to


@dataclass(frozen=True)
class Freshness:
    status: str
    status_label: str  # "End of life"
    status_words: str  # "past its end of life"
    note: str | None
    successor: Successor | None
    latest_version: str | None
    last_release: str | None  # "Oct 2026"
    stale: bool  # no release for STALE_AFTER_MONTHS or more
    months_since_release: int | None

    @property
    def flagged(self) -> bool:
        """Worth a warning next to the name: anything but actively maintained."""
        return self.status in FLAGGED_STATUSES


def freshness(tech, catalog: Catalog, today: date | None = None) -> Freshness:
    """Freshness of an engine Tech or a seed-format entry, as of `today` (UTC by default)."""
    get = tech.get if isinstance(tech, Mapping) else lambda key: getattr(tech, key)
    today = today or datetime.now(UTC).date()
    status = str(get("status"))
    successor = None
    slug: str | None = get("successor")
    if slug:
        known = catalog.techs.get(slug)
        successor = Successor(slug, known.name if known else slug, catalog.listed(slug))
    return Freshness(
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        status_words=STATUS_WORDS.get(status, status),
        note=get("status_note"),
        successor=successor,
        latest_version=get("latest_version"),
        last_release=release_label(get("last_release")),
        stale=is_stale(get("last_release"), today),
        months_since_release=months_since(get("last_release"), today),
    )
