"""Alembic migrations: an empty database upgrades to the models, without drift, and back down."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from advisor.extensions import db
from tests.conftest import make_app

EXPECTED_TABLES = {"alembic_version", "catalog_state", "technology", "technology_slot",
                   "technology_capability", "tradeoff", "compatibility_rule", "rule_target",
                   "audit_entry"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request, tmp_path):
    """An app on an empty database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_url")
    app = make_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _tables(app) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def _flask_db(app, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, result.output
    assert result.exception is None, repr(result.exception)


def test_upgrade_downgrade_on_an_empty_database(empty_app):
    assert _tables(empty_app) == set()

    _flask_db(empty_app, "upgrade")
    tables = _tables(empty_app)
    assert EXPECTED_TABLES <= tables
    assert set(db.metadata.tables) <= tables, set(db.metadata.tables) - tables

    with empty_app.app_context():
        rows = db.session.execute(sa.text("SELECT id, version FROM catalog_state")).all()
        assert [tuple(r) for r in rows] == [(1, 0)]
        head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert head
        db.session.remove()

    # The migrated schema matches the models: autogenerate would write an empty migration.
    with empty_app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": False})
        assert compare_metadata(context, db.metadata) == []

    # The empty catalog seeds on the migrated schema.
    result = empty_app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "catalog version 1" in result.output

    _flask_db(empty_app, "downgrade", "base")
    assert _tables(empty_app) <= {"alembic_version"}

    # And up again: the migrations are repeatable.
    _flask_db(empty_app, "upgrade")
    assert EXPECTED_TABLES <= _tables(empty_app)


def test_upgrade_is_a_no_op_when_current(empty_app):
    _flask_db(empty_app, "upgrade")
    with empty_app.app_context():
        head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
    _flask_db(empty_app, "upgrade")
    with empty_app.app_context():
        assert db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head
        assert db.session.execute(sa.text("SELECT count(*) FROM catalog_state")).scalar() == 1
