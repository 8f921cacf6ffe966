"""Landing page, liveness and readiness."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, render_template

from advisor.catalog.service import catalog_by_slot, current_version
from advisor.core import bp
from advisor.core.redisconn import redis_status
from advisor.extensions import db
from advisor.wizard.presets import PRESETS


@bp.get("/")
def index():
    """The landing page: what the advisor does, the wizard's start, and the catalog by slot."""
    groups = catalog_by_slot()
    count = len({tech.slug for _, _, techs in groups for tech in techs})
    return render_template(
        "core/index.html", groups=groups, version=current_version(), technology_count=count, presets=PRESETS
    )


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Readiness: the database answers a query; Redis is reported but not required."""
    extra = {"redis": state} if (state := redis_status(current_app)) else {}
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable", **extra), 503
    return jsonify(status="ok", database="ok", **extra)
