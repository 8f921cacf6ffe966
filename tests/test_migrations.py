"""Alembic migrations: an empty database upgrades to the models, without drift, and back down."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from advisor.engine.vocabulary import RATING_AXES
from advisor.extensions import db
from tests.app_helpers import make_app

# Slow: every test migrates databases up and down (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow

EXPECTED_TABLES = {
    "alembic_version",
    "catalog_state",
    "technology",
    "technology_slot",
    "technology_capability",
    "tradeoff",
    "compatibility_rule",
    "rule_target",
    "audit_entry",
    "radar_edition",
    "radar_edition_entry",
}


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
    assert tables >= EXPECTED_TABLES
    assert set(db.metadata.tables) <= tables, set(db.metadata.tables) - tables

    with empty_app.app_context():
        rows = db.session.execute(sa.text("SELECT id, version FROM catalog_state")).all()
        assert [tuple(r) for r in rows] == [(1, 0)]
        head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert head
        db.session.remove()

    # The migrated schema matches the models: autogenerate would write an empty migration.
    with empty_app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        assert compare_metadata(context, db.metadata) == []

    # The empty catalog seeds on the migrated schema.
    result = empty_app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "catalog version 1" in result.output

    _flask_db(empty_app, "downgrade", "base")
    assert _tables(empty_app) <= {"alembic_version"}

    # And up again: the migrations are repeatable.
    _flask_db(empty_app, "upgrade")
    assert _tables(empty_app) >= EXPECTED_TABLES


def test_upgrade_is_a_no_op_when_current(empty_app):
    _flask_db(empty_app, "upgrade")
    with empty_app.app_context():
        head = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
    _flask_db(empty_app, "upgrade")
    with empty_app.app_context():
        assert db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head
        assert db.session.execute(sa.text("SELECT count(*) FROM catalog_state")).scalar() == 1


def test_maintenance_facts_migration_keeps_the_catalog(empty_app):
    """b7c1d2e3f4a5 on a database with a catalog: rows and the rules between them survive (SQLite
    copies the table), the five statuses are allowed, and going down maps them back to active."""
    _flask_db(empty_app, "upgrade", "aea4bea6ee69")
    with empty_app.app_context():
        _old_catalog_rows()
        before = db.session.execute(sa.text("SELECT count(*) FROM rule_target")).scalar()
        db.session.remove()
    assert before == 1

    _flask_db(empty_app, "upgrade")
    with empty_app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM rule_target")).scalar() == before
        db.session.execute(
            sa.text(
                "UPDATE technology SET status = 'end_of_life', successor = 'x', "
                "last_release = '2025-05', popularity_rank = 7 WHERE slug = :s"
            ),
            {"s": "flask"},
        )
        db.session.commit()
        for bad in ("status = 'retired'", "popularity_rank = 0"):
            with pytest.raises(sa.exc.IntegrityError):
                db.session.execute(sa.text(f"UPDATE technology SET {bad} WHERE slug = 'flask'"))
                db.session.flush()
            db.session.rollback()
        db.session.remove()

    _flask_db(empty_app, "downgrade", "aea4bea6ee69")
    with empty_app.app_context():
        status = db.session.execute(sa.text("SELECT status FROM technology WHERE slug = 'flask'")).scalar()
        assert status == "active"
        assert db.session.execute(sa.text("SELECT count(*) FROM rule_target")).scalar() == before
        db.session.remove()
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("technology")}
        assert "successor" not in columns and "popularity_rank" not in columns


def test_radar_migration_keeps_the_catalog_and_checks_rings(empty_app):
    """c8d2e3f4a5b6 on a database with a catalog: rows and rules survive (SQLite copies the table),
    a curator's ring must be a ring, editions hold valid entries only, and down drops it all."""
    _flask_db(empty_app, "upgrade", "aea4bea6ee69")
    with empty_app.app_context():
        _old_catalog_rows()
        db.session.remove()
    _flask_db(empty_app, "upgrade", "b7c1d2e3f4a5")
    _flask_db(empty_app, "upgrade", "c8d2e3f4a5b6")
    with empty_app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM rule_target")).scalar() == 1
        assert (
            db.session.execute(sa.text("SELECT ring FROM technology WHERE slug = 'flask'")).scalar() is None
        )
        db.session.execute(sa.text("UPDATE technology SET ring = 'hold' WHERE slug = 'flask'"))
        db.session.execute(
            sa.text(
                "INSERT INTO radar_edition (id, number, published_at, published_by, "
                "catalog_version) VALUES (1, 1, :now, 'cli', 0)"
            ),
            {"now": datetime.now(UTC)},
        )
        db.session.commit()
        bad = [
            "UPDATE technology SET ring = 'maybe' WHERE slug = 'flask'",
            "INSERT INTO radar_edition (id, number, published_at, published_by, catalog_version) "
            "VALUES (2, 1, CURRENT_TIMESTAMP, 'cli', 0)",
            "INSERT INTO radar_edition_entry (edition_id, slug, name, quadrant, ring, source, reason) "
            "VALUES (1, 'flask', 'Flask', 'data', 'later', 'computed', '')",
            "INSERT INTO radar_edition_entry (edition_id, slug, name, quadrant, ring, source, reason) "
            "VALUES (1, 'flask', 'Flask', 'kitchen', 'adopt', 'computed', '')",
            "INSERT INTO radar_edition_entry (edition_id, slug, name, quadrant, ring, source, reason, moved) "
            "VALUES (1, 'flask', 'Flask', 'data', 'adopt', 'computed', '', 'left')",
        ]
        for statement in bad:
            with pytest.raises(sa.exc.IntegrityError):
                db.session.execute(sa.text(statement))
                db.session.flush()
            db.session.rollback()
        db.session.remove()
    _flask_db(empty_app, "downgrade", "b7c1d2e3f4a5")
    with empty_app.app_context():
        assert not {"radar_edition", "radar_edition_entry"} & set(sa.inspect(db.engine).get_table_names())
        assert "ring" not in {c["name"] for c in sa.inspect(db.engine).get_columns("technology")}
        assert db.session.execute(sa.text("SELECT count(*) FROM rule_target")).scalar() == 1


def _old_catalog_rows() -> None:
    """flask and gunicorn, with a rule of gunicorn's naming flask, in the first revision's schema
    (the models already describe the newer one)."""
    ratings = ", ".join(f"rating_{axis}" for axis in RATING_AXES)
    for tech_id, slug in ((1, "flask"), (2, "gunicorn")):
        db.session.execute(
            sa.text(
                f"INSERT INTO technology (id, slug, name, summary, description, status, aliases, {ratings}, "
                "lock_version, created_at, updated_at) VALUES (:id, :slug, :slug, '', '', 'active', '[]', "
                + ", ".join("3" for _ in RATING_AXES)
                + ", 1, :now, :now)"
            ),
            {"id": tech_id, "slug": slug, "now": datetime.now(UTC)},
        )
    db.session.execute(
        sa.text(
            "INSERT INTO compatibility_rule (id, source_id, kind, strength, reason, "
            "position) VALUES (1, 2, 'works_well_with', 2, '', 0)"
        )
    )
    db.session.execute(sa.text("INSERT INTO rule_target (rule_id, technology_id) VALUES (1, 1)"))
    db.session.commit()
