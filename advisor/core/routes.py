"""Liveness and readiness."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify

from advisor.core import bp
from advisor.core.redisconn import redis_status
from advisor.extensions import db


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
