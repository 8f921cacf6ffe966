"""Helpers shared by the catalog seed and import tests."""

from __future__ import annotations

import sqlalchemy as sa

from advisor.catalog.models import AuditEntry
from advisor.catalog.service import current_version
from advisor.extensions import db


def export_text(runner) -> str:
    """The catalog as `flask catalog export` prints it."""
    result = runner.invoke(args=["catalog", "export"])
    assert result.exit_code == 0, result.output
    return result.stdout


def catalog_state(app) -> tuple[int, int]:
    """(catalog version, number of audit rows): what any catalog write changes."""
    with app.app_context():
        return current_version(), db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
