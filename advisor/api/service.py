"""What the API views need from the catalog, the vocabulary and the results, shaped for JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app, request, url_for
from sqlalchemy.orm import selectinload

from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import current_version, export_entries, snapshot, to_entry
from advisor.engine import vocabulary as v
from advisor.engine.constraints import DEFAULTS, MAX_SLUG_LIST, SLUG_RE
from advisor.engine.maintenance import is_stale
from advisor.extensions import db


def permalink(result_id: str) -> str:
    """Absolute URL of a saved result's HTML page (/r/<id>)."""
    if "results.show" in current_app.view_functions:
        return url_for("results.show", result_id=result_id, _external=True)
    return f"{request.host_url}r/{result_id}"


def _public(entry: dict, today: date) -> dict:
    """An entry as the API shows it: its URL, and whether it looks stale today."""
    return {**entry, "url": url_for("api.technology", slug=entry["slug"], _external=True),
            "stale": is_stale(entry["last_release"], today)}


def listed_entries() -> list[dict]:
    """Every listed technology (any status but archived) as a seed-format entry; rebuilt only when
    the catalog version moves."""
    version = current_version()
    cached = current_app.extensions.get("advisor_api_entries")
    if cached is None or cached[0] != version:
        cached = (version, [e for e in export_entries() if e["status"] in v.LISTED_STATUSES])
        current_app.extensions["advisor_api_entries"] = cached
    return cached[1]


def list_technologies(slot: str | None = None, q: str | None = None) -> list[dict]:
    """Listed technologies, optionally those that fill `slot` and mention `q`."""
    needle = (q or "").strip().casefold()
    today = datetime.now(UTC).date()
    found = []
    for entry in listed_entries():
        if slot and slot not in entry["slots"]:
            continue
        if needle and not any(needle in (text or "").casefold() for text in
                              (entry["slug"], entry["name"], entry["summary"], *entry["aliases"])):
            continue
        found.append(_public(entry, today))
    return found


def get_technology(slug: str) -> dict | None:
    """One listed technology with all it carries, or None (archived ones left the public API)."""
    if not SLUG_RE.match(slug):  # PostgreSQL refuses NUL bytes: odd slugs never reach the query
        return None
    tech = db.session.scalar(sa.select(Technology).where(
        Technology.slug == slug, Technology.status.in_(v.LISTED_STATUSES)).options(
        selectinload(Technology.slots), selectinload(Technology.capabilities),
        selectinload(Technology.tradeoffs),
        selectinload(Technology.rules).selectinload(CompatibilityRule.targets)))
    return None if tech is None else _public(to_entry(tech), datetime.now(UTC).date())


def vocabulary() -> dict:
    """The allowed constraint values, defaults, priority scale and slots."""
    catalog = snapshot()
    return {
        "catalog_version": catalog.version,
        "required": ["project_kind"],
        "choices": {"project_kind": list(v.PROJECT_KINDS), "data_model": list(v.DATA_MODELS),
                    "scale": list(v.SCALES), "workload": list(v.WORKLOADS),
                    "team_experience": list(v.TEAM_EXPERIENCE), "deployment": list(v.DEPLOYMENTS)},
        "multiple_choices": {"features": list(v.FEATURES)},
        "technology_lists": ["familiar_with", "must_use", "avoid"],
        "technologies": sorted(s for s in catalog.techs if catalog.listed(s)),
        "max_technologies": MAX_SLUG_LIST,
        "defaults": {**DEFAULTS, "priorities": {axis: 0 for axis in v.PRIORITY_AXES}},
        "priorities": {"axes": list(v.PRIORITY_AXES), "minimum": 0, "maximum": 5, "default": 0},
        "slots": [{"slot": s, "label": v.SLOT_LABELS.get(s, s), "in_stacks": s in v.STACK_SLOTS}
                  for s in v.SLOTS],
    }
