"""Radar reads and writes: the live radar, published editions, publishing, and what moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from advisor.catalog.history import Event
from advisor.catalog.models import AuditEntry
from advisor.catalog.service import current_version, listed_entries
from advisor.engine.vocabulary import QUADRANT_LABELS, QUADRANTS, RINGS
from advisor.extensions import db
from advisor.radar.models import RadarEdition, RadarEditionEntry
from advisor.radar.rings import Placement, movement, place

MAX_EDITION = 2**31 - 1  # editions are INTEGER columns; larger numbers cannot exist


class EditionConflict(Exception):
    """Someone published an edition with this number first."""


@dataclass
class RadarEntry:
    slug: str
    name: str
    quadrant: str
    ring: str
    source: str  # "curator" or "computed"
    reason: str
    moved: str | None = None  # in | up | down | None
    previous_ring: str | None = None
    number: int = 0  # the blip's number: quadrant, ring and name order


@dataclass
class Radar:
    """One radar: a published edition, or the live one computed now (`edition` None)."""

    edition: int | None
    published_at: datetime | None
    catalog_version: int
    entries: list[RadarEntry]
    previous_edition: int | None = None
    left: list[RadarEntry] = field(default_factory=list)  # on the previous edition, gone from this

    def by_quadrant(self) -> list[tuple[str, str, list[RadarEntry]]]:
        return [(q, QUADRANT_LABELS[q], [e for e in self.entries if e.quadrant == q]) for q in QUADRANTS]

    def moved(self) -> list[RadarEntry]:
        return [e for e in self.entries if e.moved]

    def ring_counts(self) -> dict[str, int]:
        return {ring: sum(1 for e in self.entries if e.ring == ring) for ring in RINGS}


def _numbered(entries: list[RadarEntry]) -> list[RadarEntry]:
    entries.sort(key=lambda e: (QUADRANTS.index(e.quadrant), RINGS.index(e.ring), e.name.casefold(), e.slug))
    for number, entry in enumerate(entries, start=1):
        entry.number = number
    return entries


# --- the live radar ---------------------------------------------------------------------------


def live_radar(previous: RadarEdition | None = None) -> Radar:
    """Every listed technology placed by today's facts (or its curator's ring); moves are counted
    against `previous` when given (the admin's preview of the next edition)."""
    today = datetime.now(UTC).date()
    before = {e.slug: e for e in previous.entries} if previous else {}
    entries = []
    for entry in listed_entries():
        placement = place(entry, today)
        old = before.get(entry["slug"])
        previous_ring = old.ring if old else None
        entries.append(
            RadarEntry(
                entry["slug"],
                entry["name"],
                placement.quadrant,
                placement.ring,
                placement.source,
                placement.reason,
                movement(previous_ring, placement.ring, previous is not None),
                previous_ring,
            )
        )
    radar = Radar(None, None, current_version(), _numbered(entries), previous.number if previous else None)
    if previous is not None:
        radar.left = _left(previous.entries, radar.entries)
    return radar


def _left(before: list[RadarEditionEntry], after: list[RadarEntry]) -> list[RadarEntry]:
    kept = {e.slug for e in after}
    return [_entry(e) for e in before if e.slug not in kept]


# --- editions ---------------------------------------------------------------------------------


def _edition_query():
    return sa.select(RadarEdition).options(selectinload(RadarEdition.entries))


def latest_edition() -> RadarEdition | None:
    return db.session.scalar(_edition_query().order_by(RadarEdition.number.desc()).limit(1))


def _entry(row: RadarEditionEntry) -> RadarEntry:
    return RadarEntry(
        row.slug, row.name, row.quadrant, row.ring, row.source, row.reason, row.moved, row.previous_ring
    )


def _radar(edition: RadarEdition, previous: RadarEdition | None) -> Radar:
    radar = Radar(
        edition.number,
        edition.published_at,
        edition.catalog_version,
        _numbered([_entry(e) for e in edition.entries]),
        previous.number if previous else None,
    )
    if previous is not None:
        radar.left = _left(previous.entries, radar.entries)
    return radar


def edition_radar(number: int) -> Radar | None:
    """A published edition as it was published, or None when there is no such edition."""
    if not 1 <= number <= MAX_EDITION:
        return None
    rows = list(
        db.session.scalars(
            _edition_query()
            .where(RadarEdition.number.in_((number - 1, number)))
            .order_by(RadarEdition.number)
        )
    )
    if not rows or rows[-1].number != number:
        return None
    return _radar(rows[-1], rows[0] if len(rows) == 2 else None)


def current_radar() -> Radar:
    """What /radar shows by default: the latest edition, or the live radar before the first."""
    latest = db.session.scalar(sa.select(sa.func.max(RadarEdition.number)))
    return live_radar() if latest is None else edition_radar(latest)


def all_editions() -> list[Radar]:
    """Every published edition, newest first, each with what moved and what left."""
    rows = list(db.session.scalars(_edition_query().order_by(RadarEdition.number)))
    radars = [_radar(edition, rows[i - 1] if i else None) for i, edition in enumerate(rows)]
    return radars[::-1]


def edition_numbers() -> list[int]:
    return list(db.session.scalars(sa.select(RadarEdition.number).order_by(RadarEdition.number)))


def current_rings() -> dict[str, str]:
    """slug -> ring as the radar shows it now: the latest edition's, or today's for technologies
    the latest edition does not hold yet."""
    latest = db.session.scalar(sa.select(sa.func.max(RadarEdition.number)))
    rings = {e.slug: e.ring for e in live_radar().entries}
    if latest is not None:
        rows = db.session.execute(
            sa.select(RadarEditionEntry.slug, RadarEditionEntry.ring)
            .join(RadarEdition)
            .where(RadarEdition.number == latest)
        )
        rings.update({slug: ring for slug, ring in rows if slug in rings})
    return rings


def history(slug: str) -> list[tuple[RadarEdition, RadarEditionEntry | None]]:
    """Each published edition, oldest first, with this technology's entry in it (or None)."""
    editions = list(db.session.scalars(sa.select(RadarEdition).order_by(RadarEdition.number)))
    rows = {
        row.edition_id: row
        for row in db.session.scalars(sa.select(RadarEditionEntry).where(RadarEditionEntry.slug == slug))
    }
    return [(edition, rows.get(edition.id)) for edition in editions]


# --- publishing -------------------------------------------------------------------------------


def publish(actor: str, expected_number: int | None = None) -> RadarEdition:
    """Snapshot the live radar as the next edition (audited; the caller commits).

    Raises EditionConflict when `expected_number` is not the next number, or when a concurrent
    publish took the number first."""
    previous = latest_edition()
    number = (previous.number if previous else 0) + 1
    if expected_number is not None and expected_number != number:
        raise EditionConflict(number - 1)
    live = live_radar(previous)
    edition = RadarEdition(
        number=number,
        published_by=actor,
        catalog_version=live.catalog_version,
        entries=[
            RadarEditionEntry(
                slug=e.slug,
                name=e.name,
                quadrant=e.quadrant,
                ring=e.ring,
                source=e.source,
                reason=e.reason[:500],
                moved=e.moved,
                previous_ring=e.previous_ring,
            )
            for e in live.entries
        ],
    )
    db.session.add(edition)
    moved = {kind: sorted(e.slug for e in live.entries if e.moved == kind) for kind in ("in", "up", "down")}
    db.session.add(
        AuditEntry(
            actor=actor,
            action="publish",
            slug="",
            catalog_version=live.catalog_version,
            changes={
                "radar_edition": {"old": previous.number if previous else None, "new": number},
                **{f"moved_{kind}": {"old": None, "new": slugs} for kind, slugs in moved.items() if slugs},
                **({"left": {"old": [e.slug for e in live.left], "new": None}} if live.left else {}),
            },
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise EditionConflict(number) from None
    return edition


# --- one technology ---------------------------------------------------------------------------


@dataclass
class Standing:
    """Where one technology stands: by today's facts, and in the latest edition that holds it."""

    live: Placement
    edition: int | None = None  # the latest published edition, if any
    published: RadarEditionEntry | None = None  # its entry there (None: not in it)


def standing(entry: dict) -> Standing:
    live = place(entry, datetime.now(UTC).date())
    latest = db.session.scalar(sa.select(sa.func.max(RadarEdition.number)))
    if latest is None:
        return Standing(live)
    row = db.session.scalar(
        sa.select(RadarEditionEntry)
        .join(RadarEdition)
        .where(RadarEdition.number == latest, RadarEditionEntry.slug == entry["slug"])
    )
    return Standing(live, latest, row)


def ring_events(slug: str) -> list[Event]:
    """The radar's part of a technology's history: when it came onto the radar, moved and left."""
    events, before, seen = [], None, False
    for edition, row in history(slug):
        n, at = edition.number, edition.published_at
        if row is None:
            if before is not None:
                events.append(
                    Event(at, "radar", f"Left the radar in edition {n} (it was in {before.ring}).", n)
                )
        elif before is None:
            events.append(
                Event(
                    at,
                    "radar",
                    f"{'Back on' if seen else 'On'} the radar from edition {n}, in {row.ring}.",
                    n,
                )
            )
            seen = True
        elif before.ring != row.ring:
            events.append(Event(at, "radar", f"Moved from {before.ring} to {row.ring} in edition {n}.", n))
        before = row
    return events
