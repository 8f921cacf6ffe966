"""Public catalog pages: the searchable list and one technology's page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, make_response, render_template, url_for
from htmx_flask import request
from sqlalchemy.orm import selectinload

from advisor.catalog import bp
from advisor.catalog.browse import by_slot, search
from advisor.catalog.connections import alternatives, compare_url, connections
from advisor.catalog.extras import page_extras
from advisor.catalog.forms import CatalogSearchForm
from advisor.catalog.freshness import Freshness, freshness
from advisor.catalog.history import catalog_events
from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import current_version, listed_entries, snapshot, to_entry
from advisor.engine.vocabulary import LISTED_STATUSES
from advisor.extensions import db


@bp.get("", strict_slashes=False)
def index():
    """Listed technologies by slot, searched and filtered; an htmx request gets the results alone."""
    form = CatalogSearchForm(formdata=request.args)
    valid = form.validate()
    entries = listed_entries()
    found = search(entries, form.filters()) if valid else []
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = dict(
        form=form,
        groups=by_slot(found, form.slot.data if valid else ""),
        found=found,
        total=len(entries),
        version=current_version(),
        rings=page_extras().rings(),
        partial=partial,
    )
    response = make_response(
        render_template("catalog/_results.html" if partial else "catalog/index.html", **context),
        200 if valid else 422,
    )
    response.vary.add("HX-Request")
    return response


@bp.get("/<slug>")
def detail(slug: str):
    """One listed technology: facts, how it connects to the rest, its radar ring and its history."""
    tech = db.first_or_404(
        sa.select(Technology)
        .where(Technology.slug == slug, Technology.status.in_(LISTED_STATUSES))
        .options(
            selectinload(Technology.slots),
            selectinload(Technology.capabilities),
            selectinload(Technology.tradeoffs),
            selectinload(Technology.rules).selectinload(CompatibilityRule.targets),
        )
    )
    entry = to_entry(tech)
    return render_template("catalog/detail.html", tech=entry, **_connected(entry))


def _connected(entry: dict) -> dict:
    """What the technology page adds to the entry itself, from the snapshot, the audit trail and the
    features built on the catalog (the radar)."""
    extras = page_extras()
    catalog = snapshot()
    rings = extras.rings()
    names = {slug: t.name for slug, t in catalog.techs.items() if catalog.listed(slug)}
    events = catalog_events(entry["slug"]) + extras.events(entry["slug"])
    return dict(
        connections=connections(catalog, entry["slug"]),
        rings=rings,
        names=names,
        alternatives=alternatives(catalog, catalog.techs[entry["slug"]], rings),
        standing=extras.standing(entry),
        compare_url=compare_url,
        history=sorted(events, key=lambda e: e.at, reverse=True),
    )


@bp.app_template_global("freshness")
def freshness_of(tech) -> Freshness:
    """Release, status and successor of a Tech or an entry, for any template (one snapshot per request)."""
    if "catalog_snapshot" not in g:
        g.catalog_snapshot = snapshot()
    return freshness(tech, g.catalog_snapshot)


@bp.app_template_global("tech_url")
def tech_url(slug: str) -> str:
    """A technology page's URL. A result page links a few hundred, so url_for runs once per request
    and the slug (letters, digits and dashes: nothing to quote) is appended."""
    if "tech_url_base" not in g:
        g.tech_url_base = url_for("catalog.detail", slug="-")[:-1]
    return g.tech_url_base + slug
