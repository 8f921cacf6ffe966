"""Public catalog pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import selectinload

from advisor.catalog import bp
from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import catalog_by_slot, current_version, to_entry
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
    return render_template("catalog/detail.html", tech=to_entry(tech))
