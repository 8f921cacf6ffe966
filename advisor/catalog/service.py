"""The catalog in the database: entries to rows and back (with the audit trail), versions and the
engine's snapshot. Reading and validating catalog files is in `advisor.catalog.files`."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import sqlalchemy as sa
import yaml
from flask import current_app
from sqlalchemy.orm import selectinload

from advisor.catalog.models import (
    AuditEntry,
    CatalogState,
    CompatibilityRule,
    Technology,
    TechnologyCapability,
    TechnologySlot,
    Tradeoff,
)
from advisor.catalog.schemas import MAINTENANCE_KEYS, canonical
from advisor.core.clock import utcnow
from advisor.core.database import reads_only
from advisor.engine.catalog import Catalog
from advisor.engine.vocabulary import LISTED_STATUSES, SLOT_LABELS, SLOTS, TRADEOFF_KINDS
from advisor.extensions import db


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- database <-> entries ---------------------------------------------------------------------


def _load_all() -> list[Technology]:
    return list(
        db.session.scalars(
            sa.select(Technology)
            .order_by(Technology.slug)
            .options(
                selectinload(Technology.slots),
                selectinload(Technology.capabilities),
                selectinload(Technology.tradeoffs),
                selectinload(Technology.rules).selectinload(CompatibilityRule.targets),
            )
        )
    )


def to_entry(tech: Technology) -> dict:
    """A technology as a canonical seed-format mapping."""
    lines = {kind: [t.text for t in tech.tradeoffs if t.kind == kind] for kind in TRADEOFF_KINDS}
    return canonical(
        {
            "slug": tech.slug,
            "name": tech.name,
            "aliases": list(tech.aliases or []),
            "summary": tech.summary,
            "description": tech.description,
            "homepage": tech.homepage,
            "package": tech.package,
            "version": tech.version_range,
            **{key: getattr(tech, key) for key in MAINTENANCE_KEYS},
            "ring": tech.ring,
            "slots": [s.slot for s in tech.slots],
            "ratings": tech.ratings(),
            "capabilities": [c.name for c in tech.capabilities],
            **lines,
            "rules": [
                {
                    "kind": r.kind,
                    "targets": [t.slug for t in r.targets],
                    "slot": r.slot,
                    "when_in": r.owner_slot,
                    "strength": r.strength,
                    "reason": r.reason,
                }
                for r in tech.rules
            ],
        }
    )


def export_entries() -> list[dict]:
    return [to_entry(t) for t in _load_all()]


def dump_yaml(entries: list[dict]) -> str:
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)


def apply_entries(entries: list[dict], actor: str, action: str) -> ApplyReport:
    """Upsert canonical entries in one transaction; one version bump and one audit row per change."""
    techs = {t.slug: t for t in _load_all()}
    report = ApplyReport()
    changed: list[tuple[Technology, dict, dict | None]] = []
    for entry in entries:
        tech = techs.get(entry["slug"])
        before = to_entry(tech) if tech else None
        if before == entry:
            report.unchanged += 1
            continue
        if tech is None:
            tech = Technology(slug=entry["slug"])
            db.session.add(tech)
            techs[entry["slug"]] = tech
            report.created.append(entry["slug"])
        else:
            report.updated.append(entry["slug"])
        _set_scalars(tech, entry)
        changed.append((tech, entry, before))
    if not changed:
        report.version = current_version()
        return report
    # Old child rows go first: their unique keys would clash with the new rows in one flush.
    for tech, _, before in changed:
        if before is not None:
            tech.slots, tech.capabilities, tech.tradeoffs, tech.rules = [], [], [], []
    db.session.flush()
    for tech, entry, _ in changed:
        _set_children(tech, entry)
    db.session.flush()
    for tech, entry, _ in changed:
        tech.rules = [
            CompatibilityRule(
                kind=r["kind"],
                slot=r["slot"],
                owner_slot=r["when_in"],
                strength=r["strength"],
                reason=r["reason"],
                position=i,
                targets=[techs[s] for s in r["targets"]],
            )
            for i, r in enumerate(entry["rules"])
        ]
    report.version = bump_version()
    for tech, entry, before in changed:
        record_audit(actor, action if before else "create", tech, before, entry, report.version)
    return report


def _set_scalars(tech: Technology, entry: dict) -> None:
    tech.name, tech.summary = entry["name"], entry["summary"] or ""
    tech.description = entry["description"] or ""
    tech.homepage, tech.package = entry["homepage"], entry["package"]
    tech.version_range = entry["version"]
    for key in MAINTENANCE_KEYS:
        setattr(tech, key, entry[key])
    tech.ring = entry["ring"]
    tech.aliases = list(entry["aliases"] or [])
    tech.set_ratings(entry["ratings"])
    # Always touch the row: an edit of child rows only (pros, rules) must still bump lock_version,
    # or a curator's form opened before this write would overwrite it without a conflict.
    tech.updated_at = utcnow()


def _set_children(tech: Technology, entry: dict) -> None:
    tech.slots = [TechnologySlot(slot=s, position=i) for i, s in enumerate(entry["slots"])]
    tech.capabilities = [TechnologyCapability(name=c) for c in entry["capabilities"]]
    tech.tradeoffs = [
        Tradeoff(kind=kind, position=i, text=text)
        for kind in TRADEOFF_KINDS
        for i, text in enumerate(entry[kind] or [])
    ]


def record_audit(
    actor: str, action: str, tech: Technology, before: dict | None, after: dict, version: int
) -> AuditEntry:
    """Add one audit row holding the old and new value of each changed field."""
    before = before or {}
    changes = {
        key: {"old": before.get(key), "new": value}
        for key, value in after.items()
        if before.get(key) != value
    }
    row = AuditEntry(
        actor=actor,
        action=action,
        slug=tech.slug,
        technology_id=tech.id,
        catalog_version=version,
        changes=changes,
    )
    db.session.add(row)
    return row


# --- versions and snapshots -------------------------------------------------------------------

_VERSION = sa.select(CatalogState.version).where(CatalogState.id == 1)


def current_version() -> int:
    """The catalog version: one indexed single-row read, in the request's session (so a writer sees
    its own uncommitted bump)."""
    return db.session.scalar(_VERSION) or 0


def published_version() -> int:
    """The committed catalog version, read on a bare connection in a read-only transaction: for hot
    paths that need nothing else from the database (no ORM session, no SQLite write lock)."""
    with reads_only(), db.engine.connect() as conn:
        return conn.scalar(_VERSION) or 0


def bump_version() -> int:
    """Increment the catalog version atomically inside the caller's transaction."""
    result: sa.CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE's result
        sa.update(CatalogState)
        .where(CatalogState.id == 1)
        .values(version=CatalogState.version + 1, updated_at=utcnow())
    )
    if result.rowcount == 0:
        db.session.add(CatalogState(id=1, version=1))
        db.session.flush()
    return current_version()


def snapshot() -> Catalog:
    """The engine's catalog for the current version; rebuilt only when another write bumped it."""
    version = current_version()
    cached = current_app.extensions.get("advisor_snapshot")
    if cached is not None and cached.version == version:
        return cached
    catalog = Catalog.from_entries(export_entries(), version=version)
    current_app.extensions["advisor_snapshot"] = catalog
    if current_app.config.get("SNAPSHOT_GC_FREEZE"):
        # The snapshot lives until the next edit, as do the app, its templates and SQLAlchemy's
        # set-up. Frozen, the collector's full passes (which every recommendation's allocations
        # trigger) no longer walk them: on the seed catalog the what-if re-rank's p95 falls from
        # about 100 ms to 45 (benchmarks/whatif_bench.py --no-gc-freeze shows the difference).
        # Collect first so that no garbage is frozen with it.
        gc.collect()
        gc.freeze()
    return catalog


def published_snapshot() -> Catalog:
    """The snapshot for a view that has no transaction open and writes nothing to the catalog (a
    recommendation): its version is checked on a bare connection, as `published_version` reads it,
    which costs less than half of a read transaction in the ORM session (that the caller would then
    have to end). Only a rebuild reads the catalog in the session, in a read-only transaction that
    the caller ends, so that version and entries come from one read."""
    cached = current_app.extensions.get("advisor_snapshot")
    if cached is not None and cached.version == published_version():
        return cached
    with reads_only():
        return snapshot()


def listed_entries() -> list[dict]:
    """Every listed technology (any status but archived) as a seed-format entry; rebuilt only when
    the catalog version moves. Callers must not change the entries."""
    version = current_version()
    cached = current_app.extensions.get("advisor_listed_entries")
    if cached is None or cached[0] != version:
        cached = (version, [e for e in export_entries() if e["status"] in LISTED_STATUSES])
        current_app.extensions["advisor_listed_entries"] = cached
    return cached[1]


def catalog_by_slot() -> list[tuple[str, str, list]]:
    """Listed technologies (every status but archived) grouped by slot, in slot order."""
    catalog = snapshot()
    groups = []
    for slot in SLOTS:
        techs = [catalog.techs[s] for s in catalog.by_slot.get(slot, ()) if catalog.listed(s)]
        if techs:
            groups.append((slot, SLOT_LABELS.get(slot, slot), sorted(techs, key=lambda t: t.name.lower())))
    return groups
