"""Helpers shared by the catalog seed and import tests."""

from __future__ import annotations

import pytest
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


@pytest.fixture
def guard(app, runner):
    """Records the export and version before, and checks after that nothing changed."""
    before, state = export_text(runner), catalog_state(app)
    yield
    assert export_text(runner) == before, "the database was changed"
    assert catalog_state(app) == state, "the version or audit log was changed"
