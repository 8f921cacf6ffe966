"""Curator writes and reads: save with optimistic locking, create, archive, merge, preview, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from advisor.catalog import files
from advisor.catalog import service as catalog
from advisor.catalog.models import AuditEntry, CompatibilityRule, Technology, TechnologySlot, rule_target
from advisor.catalog.problems import Problem
from advisor.catalog.schemas import MAINTENANCE_KEYS
from advisor.engine import Catalog, ConstraintError, recommend
from advisor.engine.vocabulary import LISTED_STATUSES, PROJECT_KINDS, RATING_AXES
from advisor.extensions import db
from advisor.radar.rings import computed_ring

REFERENCE_FILE = Path(__file__).with_name("reference.yaml")


class DuplicateSlug(ValueError):
    """Another technology already has this slug."""


@dataclass
class SaveOutcome:
    status: str  # saved | unchanged | conflict
    version: int = 0  # the catalog version after the write
    theirs: dict | None = None  # on conflict: the entry as it is now
    lock_version: int = 0  # on conflict: the version the merged form must carry


# --- reading ----------------------------------------------------------------------------------


def load_technology(slug: str) -> Technology:
    """One technology with everything its form shows, or 404."""
    return db.first_or_404(
        sa.select(Technology)
        .where(Technology.slug == slug)
        .options(
            selectinload(Technology.slots),
            selectinload(Technology.capabilities),
            selectinload(Technology.tradeoffs),
            selectinload(Technology.rules).selectinload(CompatibilityRule.targets),
        )
    )


def computed_ring_reason(tech: Technology | None) -> str | None:
    """What the radar's rule says of a saved technology today, for the ring field's hint."""
    if tech is None:
        return None
    return computed_ring(catalog.to_entry(tech), datetime.now(UTC).date())[1]


def statuses() -> dict[str, str]:
    return dict(db.session.execute(sa.select(Technology.slug, Technology.status)).all())


def target_options() -> list[tuple[str, str, str, str]]:
    """(slug, name, primary slot, status) of every technology, for the rule target pickers."""
    rows = db.session.execute(
        sa.select(Technology.slug, Technology.name, Technology.status, Technology.id).order_by(
            sa.func.lower(Technology.name)
        )
    ).all()
    primary = _primary_slots()
    return [(slug, name, primary.get(tid, ""), status) for slug, name, status, tid in rows]


def _primary_slots() -> dict[int, str]:
    rows = db.session.execute(
        sa.select(TechnologySlot.technology_id, TechnologySlot.slot).where(TechnologySlot.position == 0)
    ).all()
    return dict(rows)


def referring(slug: str) -> list[str]:
    """Slugs of other technologies whose rules name `slug`, or that name it as their successor."""
    target = sa.select(Technology.id).where(Technology.slug == slug).scalar_subquery()
    owner = sa.orm.aliased(Technology)
    by_rule = (
        sa.select(owner.slug)
        .join(CompatibilityRule, CompatibilityRule.source_id == owner.id)
        .join(rule_target, rule_target.c.rule_id == CompatibilityRule.id)
        .where(rule_target.c.technology_id == target, owner.slug != slug)
    )
    by_successor = sa.select(Technology.slug).where(Technology.successor == slug)
    return sorted(set(db.session.scalars(sa.union(by_rule, by_successor))))


# --- validation and writes --------------------------------------------------------------------


def validate(raw: dict) -> tuple[dict | None, list[Problem]]:
    """Run the catalog's own validation (shared with `catalog import`) on one form entry."""
    try:
        entries = files.validate_entries([("form", [raw])], statuses())
    except files.CatalogFileError as err:
        return None, err.problems
    return entries[0], []


def save_edit(tech: Technology, entry: dict, opened_at: int | None, actor: str) -> SaveOutcome:
    """Save `entry` over `tech` unless someone saved it since `opened_at` (then: conflict)."""
    if opened_at != tech.lock_version:
        return _conflict(tech)
    if catalog.to_entry(tech) == entry:
        return SaveOutcome("unchanged", catalog.current_version())
    # apply_entries updates the technology row, and that UPDATE checks lock_version (SQLAlchemy's
    # version_id_col): a concurrent save that slipped in after our read fails here, not overwritten.
    try:
        report = catalog.apply_entries([entry], actor=actor, action="edit")
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return _conflict(load_technology(entry["slug"]))
    return SaveOutcome("saved", report.version)


def _conflict(tech: Technology) -> SaveOutcome:
    return SaveOutcome("conflict", theirs=catalog.to_entry(tech), lock_version=tech.lock_version)


def create(entry: dict, actor: str) -> int:
    """Add a new technology; raises DuplicateSlug when the slug is taken (even by a racing save)."""
    if entry["slug"] in statuses():
        raise DuplicateSlug(entry["slug"])
    try:
        report = catalog.apply_entries([entry], actor=actor, action="create")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DuplicateSlug(entry["slug"]) from None
    return report.version


def status_before_archive(slug: str) -> str:
    """The listed status a technology had before its latest archiving (active when unknown), so
    that restoring an end-of-life entry does not make it active again."""
    rows = db.session.scalars(
        sa.select(AuditEntry.changes).where(AuditEntry.slug == slug).order_by(AuditEntry.id.desc())
    )
    for changes in rows:
        status = (changes or {}).get("status")
        if isinstance(status, dict) and status.get("new") == "archived":
            return status.get("old") if status.get("old") in LISTED_STATUSES else "active"
    return "active"


def set_status(tech: Technology, status: str, actor: str) -> tuple[int | None, list[Problem]]:
    """Archive or restore; restoring refuses while the entry's rules name archived technologies."""
    entry = dict(catalog.to_entry(tech), status=status)
    checked, problems = validate(entry)
    if problems:
        return None, problems
    if checked == catalog.to_entry(tech):
        return catalog.current_version(), []
    report = catalog.apply_entries(
        [checked], actor=actor, action="archive" if status == "archived" else "restore"
    )
    db.session.commit()
    return report.version, []


# --- merging after a conflict -----------------------------------------------------------------

MERGE_FIELDS = (
    "name",
    "aliases",
    "summary",
    "description",
    "homepage",
    "package",
    "version",
    *MAINTENANCE_KEYS,
    "ring",
    "slots",
    "capabilities",
    *(f"ratings.{a}" for a in RATING_AXES),
    "pros",
    "cons",
    "best_for",
    "when_to_use",
    "when_to_avoid",
    "rules",
)


@dataclass
class MergeField:
    key: str
    mine: object
    theirs: object
    changed_by: str  # "you", "them" or "both"
    default: str | None  # "mine", "theirs", or None when both changed it and a person must choose


def get_field(entry: dict | None, key: str):
    if entry is None:
        return None
    if key.startswith("ratings."):
        return (entry.get("ratings") or {}).get(key.split(".", 1)[1])
    return entry.get(key)


def merge_fields(base: dict | None, mine: dict, theirs: dict) -> list[MergeField]:
    """The fields where your version and the saved one differ, with who changed what since `base`."""
    out = []
    for key in MERGE_FIELDS:
        m, t = get_field(mine, key), get_field(theirs, key)
        if m == t:
            continue
        b = get_field(base, key) if base is not None else object()
        if m == b:
            out.append(MergeField(key, m, t, "them", "theirs"))
        elif t == b:
            out.append(MergeField(key, m, t, "you", "mine"))
        else:
            out.append(MergeField(key, m, t, "both", None))
    return out


def apply_merge(mine: dict, theirs: dict, choices: dict[str, str]) -> dict:
    """Start from the saved version and take your value wherever you chose "mine"."""
    merged = {**theirs, "ratings": dict(theirs["ratings"])}
    for key in MERGE_FIELDS:
        if choices.get(key) != "mine":
            continue
        if key.startswith("ratings."):
            merged["ratings"][key.split(".", 1)[1]] = get_field(mine, key)
        else:
            merged[key] = mine[key]
    return merged


def last_change(slug: str) -> AuditEntry | None:
    return db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.slug == slug).order_by(AuditEntry.id.desc()).limit(1)
    )


# --- impact preview ---------------------------------------------------------------------------


@dataclass
class PreviewRow:
    name: str
    before: dict | None
    after: dict | None
    before_error: str = ""
    after_error: str = ""
    changed_slots: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changed_slots) or self.score_delta != 0 or self.before_error != self.after_error

    @property
    def score_delta(self) -> float:
        if not self.before or not self.after:
            return 0
        return round(self.after["score"] - self.before["score"], 2)


@cache
def reference_cases() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8")))


def preview(entry: dict) -> list[PreviewRow]:
    """How the top stack of each reference answer changes if `entry` replaces (or joins) the catalog."""
    before = catalog.snapshot()
    entries = [e for e in catalog.export_entries() if e["slug"] != entry["slug"]] + [entry]
    after = Catalog.from_entries(entries, version=before.version)
    cases = [(c["name"], c["constraints"]) for c in reference_cases()]
    cases += _probe(before, after, entry)
    return [_compare(name, constraints, before, after) for name, constraints in cases]


def _probe(before: Catalog, after: Catalog, entry: dict) -> list[tuple[str, dict]]:
    """A project that must use the edited technology, so the preview always covers it."""
    for kind in PROJECT_KINDS:
        constraints = {"project_kind": kind, "must_use": [entry["slug"]]}
        for cat in (after, before):
            try:
                recommend(cat, constraints, k=1, alternatives=False, suggest=False)
            except ConstraintError:
                continue
            return [(f"a {kind.replace('_', ' ')} that must use {entry['name']}", constraints)]
    return []


def _compare(name: str, constraints: dict, before: Catalog, after: Catalog) -> PreviewRow:
    row = PreviewRow(name, None, None)
    row.before, row.before_error = _top(before, constraints)
    row.after, row.after_error = _top(after, constraints)
    if row.before and row.after:
        slots = set(row.before["components"]) | set(row.after["components"])
        row.changed_slots = sorted(
            s for s in slots if row.before["components"].get(s) != row.after["components"].get(s)
        )
    return row


def _top(cat: Catalog, constraints: dict) -> tuple[dict | None, str]:
    try:
        result = recommend(cat, constraints, k=1, alternatives=False, suggest=False)
    except ConstraintError as err:
        return None, "; ".join(m for msgs in err.errors.values() for m in msgs)
    stack = result["stacks"][0]
    return {"components": stack["components"], "score": stack["score"]}, ""


# --- audit ------------------------------------------------------------------------------------


def audit_page(page: int, slug: str | None = None, action: str | None = None, per_page: int = 25):
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if slug:
        query = query.where(AuditEntry.slug == slug)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


AUDIT_ACTIONS = ("create", "edit", "archive", "restore", "import", "seed", "refresh", "publish")


def audit_actions() -> list[str]:
    """The actions the log can be filtered by: the known ones and any other recorded."""
    recorded = db.session.scalars(sa.select(AuditEntry.action).distinct())
    return list(dict.fromkeys([*AUDIT_ACTIONS, *sorted(recorded)]))


@dataclass
class Change:
    key: str
    old: object
    new: object
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    axes: list = field(default_factory=list)  # ratings: (axis, old, new)

    @property
    def is_list(self) -> bool:
        return isinstance(self.old, list) or isinstance(self.new, list)


def describe(changes: dict) -> list[Change]:
    """An audit row's changes, as lists of added and removed items where that reads better."""
    out = []
    for key, diff in (changes or {}).items():
        old, new = diff.get("old"), diff.get("new")
        change = Change(key, old, new)
        if isinstance(old, list) or isinstance(new, list):
            old_items, new_items = list(old or []), list(new or [])
            change.added = [x for x in new_items if x not in old_items]
            change.removed = [x for x in old_items if x not in new_items]
        elif isinstance(old, dict) or isinstance(new, dict):
            old_map, new_map = dict(old or {}), dict(new or {})
            change.axes = [
                (k, old_map.get(k), new_map.get(k))
                for k in dict.fromkeys([*old_map, *new_map])
                if old_map.get(k) != new_map.get(k)
            ]
        out.append(change)
    return out
