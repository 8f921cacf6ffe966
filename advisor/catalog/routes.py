"""Public catalog pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, render_template
from sqlalchemy.orm import selectinload

from advisor.catalog import bp
from advisor.catalog.freshness import Freshness, freshness
from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import catalog_by_slot, current_version, snapshot, to_entry
from advisor.engine.vocabulary import LISTED_STATUSES
from advisor.extensions import db


@bp.get("/")
def index():
    """Every listed technology, grouped by the slot it fills."""
    return render_template("catalog/index.html", groups=catalog_by_slot(), version=current_version())


@bp.get("/<slug>")
def detail(slug: str):
    """One listed technology with its ratings, tradeoffs and capabilities."""
    tech = db.first_or_404(sa.select(Technology).where(
        Technology.slug == slug, Technology.status.in_(LISTED_STATUSES)).options(
        selectinload(Technology.slots), selectinload(Technology.capabilities),
        selectinload(Technology.tradeoffs),
        selectinload(Technology.rules).selectinload(CompatibilityRule.targets)))
    return render_template("catalog/detail.html", tech=to_entry(tech), peers=_peers(tech))


@bp.app_template_global("freshness")
def freshness_of(tech) -> Freshness:
    """Release, status and successor of a Tech or an entry, for any template (one snapshot per request)."""
    if "catalog_snapshot" not in g:
        g.catalog_snapshot = snapshot()
    return freshness(tech, g.catalog_snapshot)


def _peers(tech: Technology, limit: int = 8) -> list:
    """Other listed technologies of its primary slot, to compare it with."""
    if not tech.slots:
        return []
    catalog = snapshot()
    slugs = [s for s in catalog.by_slot.get(tech.slots[0].slot, ()) if s != tech.slug and catalog.listed(s)]
    return sorted((catalog.techs[s] for s in slugs), key=lambda t: t.name.lower())[:limit]
