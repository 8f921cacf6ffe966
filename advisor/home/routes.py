"""The landing page."""

from __future__ import annotations

from flask import render_template

from advisor.catalog.service import catalog_by_slot, current_version
from advisor.home import bp
from advisor.results.presets import PRESETS


@bp.get("/")
def index():
    """The landing page: what the advisor does, the wizard's start, and the catalog by slot."""
    groups = catalog_by_slot()
    count = len({tech.slug for _, _, techs in groups for tech in techs})
    return render_template(
        "home/index.html", groups=groups, version=current_version(), technology_count=count, presets=PRESETS
    )
