"""Catalog reads and writes: seed, import, export, versions and the engine's snapshot."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask import current_app
from marshmallow import ValidationError
from sqlalchemy.orm import selectinload

from advisor.catalog.models import (
    AuditEntry,
    CatalogState,
    CompatibilityRule,
    Technology,
    TechnologyCapability,
    TechnologySlot,
    Tradeoff,
    utcnow,
)
from advisor.catalog.problems import Problem
from advisor.catalog.schemas import MAINTENANCE_KEYS, TechnologySchema, canonical
from advisor.engine.catalog import Catalog
from advisor.engine.constraints import shown
from advisor.engine.vocabulary import LISTED_STATUSES, SLOT_LABELS, SLOTS, TRADEOFF_KINDS
from advisor.extensions import db

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A catalog file is a list of flat-ish mappings: an entry nests four levels deep (rules, a rule, its
# targets) and the seed catalog holds about 10,000 values. Past these it is not a catalog, and the
# aliases of a 450-byte file can stand for a billion values (an error message once printed them all).
MAX_DEPTH = 12
MAX_EXPANDED_VALUES = 1_000_000
MAX_PROBLEMS_PER_ENTRY = 10


class CatalogFileError(ValueError):
    """A catalog file that cannot be imported; `problems` lists each one with file, entry and field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- reading and validating files -------------------------------------------------------------


class CatalogLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a mapping that holds a key twice (PyYAML keeps the last one
    silently, so a typo'd copy of a field would win unseen). Merge keys (`<<: *base`) may still be
    overridden, as YAML means them to be."""

    def construct_mapping(self, node, deep=False):
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the duplicate key {shown(key_node.value)!r}",
                    key_node.start_mark,
                )
            seen.add(key_node.value)
        return super().construct_mapping(node, deep)


def read_entries(path: Path | str, text: str | None = None) -> list[dict]:
    """Parse one YAML catalog file into raw mappings; structural problems raise CatalogFileError."""
    name = str(path)
    if text is None:
        raw_bytes = Path(path).read_bytes()
        if len(raw_bytes) > MAX_IMPORT_BYTES:
            raise CatalogFileError([Problem(name, f"larger than {MAX_IMPORT_BYTES} bytes")])
        text = raw_bytes.decode("utf-8", errors="strict")
    try:
        data = yaml.load(text, Loader=CatalogLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as err:
        raise CatalogFileError([Problem(name, f"not valid YAML: {_yaml_problem(err)}")]) from None
    except RecursionError:
        raise CatalogFileError([Problem(name, "nested too deeply to be a catalog")]) from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise CatalogFileError([Problem(name, "expected a list of mappings, one per technology")])
    if _expanded_size(data) > MAX_EXPANDED_VALUES:
        too_many = (
            f"its aliases stand for more than {MAX_EXPANDED_VALUES:,} values; write the values out instead"
        )
        raise CatalogFileError([Problem(name, too_many)])
    problems = [
        Problem(name, what, number, _slug_label(raw), where)
        for number, raw in enumerate(data, start=1)
        for where, what in islice(_unsafe_values(raw), MAX_PROBLEMS_PER_ENTRY)
    ]
    if problems:
        raise CatalogFileError(problems)
    return data


def _yaml_problem(err: yaml.YAMLError) -> str:
    """PyYAML's problem on one line, with where it is (its own message quotes the lines around)."""
    mark = getattr(err, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{getattr(err, 'problem', None) or str(err).splitlines()[0]}{where}"


def _children(value) -> list:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value) if isinstance(value, list) else []


def _expanded_size(data) -> int:
    """How many values `data` holds with every alias expanded, counted once per shared object (so in
    time linear in the file); a self-referencing alias counts as too many."""
    sizes: dict[int, int] = {}
    stack: list[tuple[object, bool]] = [(data, False)]
    while stack:
        value, children_done = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if children_done:
            sizes[id(value)] = min(
                MAX_EXPANDED_VALUES + 1, 1 + sum(sizes.get(id(c), 1) for c in _children(value))
            )
        elif id(value) in sizes:
            if sizes[id(value)] < 0:  # met again while its own children are being counted
                return MAX_EXPANDED_VALUES + 1
        else:
            sizes[id(value)] = -1
            stack.append((value, True))
            stack.extend((c, False) for c in _children(value) if id(c) not in sizes or sizes[id(c)] < 0)
    return sizes.get(id(data), 1)


def _unsafe_values(entry: dict):
    """(field path, problem) for values nested past MAX_DEPTH and text holding a NUL character (which
    PostgreSQL refuses in text: it used to end the import in a traceback)."""
    stack: list[tuple[object, tuple, int]] = [(entry, (), 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield where, "nested too deeply"
        elif isinstance(value, str):
            if "\x00" in value:
                yield where, "contains a NUL character"
        elif isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value, start=1)
            for key, sub in reversed(list(items)):
                label = shown(key) if isinstance(key, str) else key if isinstance(key, int) else str(key)
                if isinstance(key, str) and "\x00" in key:
                    yield where, "a key contains a NUL character"
                stack.append((sub, (*where, label), depth + 1))


def _slug_label(raw: dict) -> str:
    """The entry's slug for messages: the start of it (escaped when it holds a line break or another
    control character), or "?" when it is not text."""
    slug = raw.get("slug")
    if not isinstance(slug, str):
        return "?"
    return shown(slug) if slug.isprintable() else shown(repr(slug))


def validate_entries(sources: Iterable[tuple[str, list[dict]]], existing: dict[str, str]) -> list[dict]:
    """Validate entries from (file name, raw entries) pairs against each other and the database.

    `existing` maps slugs already in the database to their status. Returns canonical entries or
    raises CatalogFileError naming the file, the entry and the field of every problem.
    """
    schema = TechnologySchema()
    problems: list[Problem] = []
    entries: list[tuple[str, int, dict]] = []
    seen: dict[str, str] = {}
    for name, raw_entries in sources:
        for number, raw in enumerate(raw_entries, start=1):
            try:
                entry = schema.load(raw)
            except ValidationError as err:
                slug = _slug_label(raw)
                problems.extend(Problem(name, m, number, slug, path) for path, m in _messages(err.messages))
                continue
            if entry["slug"] in seen:
                duplicate = f"duplicate of an entry in {seen[entry['slug']]}"
                problems.append(Problem(name, duplicate, number, entry["slug"], ("slug",)))
                continue
            seen[entry["slug"]] = name
            entries.append((name, number, canonical(entry)))
    statuses = dict(existing)
    statuses.update({e["slug"]: e["status"] for _, _, e in entries})
    for name, number, entry in entries:
        named: list[tuple[tuple[str | int, ...], str]] = [
            (("rules", i, "targets"), t) for i, rule in enumerate(entry["rules"], 1) for t in rule["targets"]
        ]
        if entry["successor"] is not None:
            named.append((("successor",), entry["successor"]))
        for path, slug in named:
            message = _reference_problem(slug, entry, statuses)
            if message:
                problems.append(Problem(name, message, number, entry["slug"], path))
    if problems:
        raise CatalogFileError(problems)
    return [entry for _, _, entry in entries]


def _reference_problem(slug: str, entry: dict, statuses: dict[str, str]) -> str | None:
    """A slug an entry names (rule target, successor) must exist, and not be archived while the
    entry itself is listed."""
    if slug not in statuses:
        return f"unknown technology '{slug}'"
    if statuses[slug] == "archived" and entry["status"] != "archived":
        return f"'{slug}' is archived"
    return None


def _messages(messages, path: tuple = ()):
    """marshmallow's nested messages as (field path, message); list positions count from 1."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _messages(value, (*path, key + 1 if isinstance(key, int) else str(key)))
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                yield from _messages(message, path)
            else:
                yield path, str(message)
    else:
        yield path, str(messages)


def seed_files(directory: Path) -> list[tuple[str, list[dict]]]:
    return [(str(p.relative_to(directory.parent)), read_entries(p)) for p in sorted(directory.glob("*.yaml"))]


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
    from advisor.core.database import reads_only  # advisor.core imports this module

    with reads_only(), db.engine.connect() as conn:
        return conn.scalar(_VERSION) or 0


def bump_version() -> int:
    """Increment the catalog version atomically inside the caller's transaction."""
    from advisor.catalog.models import utcnow

    result = db.session.execute(
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
        # The snapshot lives until the next edit. Frozen, the collector's full passes (which every
        # recommendation's allocations trigger) no longer walk it: their cost stops growing with
        # the catalog. Collect first so that no garbage is frozen with it.
        gc.collect()
        gc.freeze()
    return catalog


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
