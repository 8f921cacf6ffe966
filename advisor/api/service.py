"""What the API views need from the catalog, the vocabulary and the results, shaped for JSON."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from advisor.catalog.browse import Filters, search
from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import listed_entries, snapshot, to_entry
from advisor.engine import vocabulary as v
from advisor.engine.constraints import DEFAULTS, MAX_SLUG_LIST, SLUG_RE
from advisor.engine.maintenance import is_stale
from advisor.extensions import db
from advisor.radar.rings import MOVES, RULE, place
from advisor.radar.service import Radar, all_editions


def permalink(result_id: str) -> str:
    """Absolute URL of a saved result's HTML page (/r/<id>)."""
    return url_for("results.show", result_id=result_id, _external=True)


def _public(entry: dict, today: date) -> dict:
    """An entry as the API shows it: its URL, whether it looks stale today, and where the live
    radar places it."""
    return {
        **entry,
        "url": url_for("api.technology", slug=entry["slug"], _external=True),
        "stale": is_stale(entry["last_release"], today),
        "radar": place(entry, today),
    }


def list_technologies(filters: Filters) -> list[dict]:
    """Listed technologies that pass the catalog page's own filters."""
    today = datetime.now(UTC).date()
    return [_public(entry, today) for entry in search(listed_entries(), filters)]


def get_technology(slug: str) -> dict | None:
    """One listed technology with all it carries, or None (archived ones left the public API)."""
    if not SLUG_RE.fullmatch(slug):  # PostgreSQL refuses NUL bytes: odd slugs never reach the query
        return None
    tech = db.session.scalar(
        sa.select(Technology)
        .where(Technology.slug == slug, Technology.status.in_(v.LISTED_STATUSES))
        .options(
            selectinload(Technology.slots),
            selectinload(Technology.capabilities),
            selectinload(Technology.tradeoffs),
            selectinload(Technology.rules).selectinload(CompatibilityRule.targets),
        )
    )
    return None if tech is None else _public(to_entry(tech), datetime.now(UTC).date())


def vocabulary() -> dict:
    """The allowed constraint values, defaults, priority scale and slots."""
    catalog = snapshot()
    return {
        "catalog_version": catalog.version,
        "required": ["project_kind"],
        "choices": {
            "project_kind": list(v.PROJECT_KINDS),
            "data_model": list(v.DATA_MODELS),
            "scale": list(v.SCALES),
            "workload": list(v.WORKLOADS),
            "team_experience": list(v.TEAM_EXPERIENCE),
            "deployment": list(v.DEPLOYMENTS),
        },
        "multiple_choices": {"features": list(v.FEATURES)},
        "technology_lists": list(v.TECHNOLOGY_LISTS),
        "technologies": sorted(s for s in catalog.techs if catalog.listed(s)),
        "max_technologies": MAX_SLUG_LIST,
        "defaults": {**DEFAULTS, "priorities": {axis: 0 for axis in v.PRIORITY_AXES}},
        "priorities": {"axes": list(v.PRIORITY_AXES), "minimum": 0, "maximum": 5, "default": 0},
        "slots": [
            {"slot": s, "label": v.SLOT_LABELS.get(s, s), "in_stacks": s in v.STACK_SLOTS} for s in v.SLOTS
        ],
    }


def radar_json(radar: Radar) -> dict:
    """A radar as the API shows it."""
    return {
        "edition": radar.edition,
        "published_at": radar.published_at.isoformat() if radar.published_at else None,
        "catalog_version": radar.catalog_version,
        "previous_edition": radar.previous_edition,
        "rule": list(RULE),
        "entries": [
            {**asdict(e), "url": url_for("api.technology", slug=e.slug, _external=True)}
            for e in radar.entries
        ],
        "left": [asdict(e) for e in radar.left],
    }


def edition_list() -> list[dict]:
    """Every published edition, newest first, with the slugs that moved and left."""
    return [
        {
            "edition": r.edition,
            "published_at": r.published_at.isoformat(),
            "catalog_version": r.catalog_version,
            "technologies": len(r.entries),
            "moved": {kind: [e.slug for e in r.entries if e.moved == kind] for kind in MOVES},
            "left": [e.slug for e in r.left],
            "url": url_for("api.radar", edition=r.edition, _external=True),
        }
        for r in all_editions()
    ]
