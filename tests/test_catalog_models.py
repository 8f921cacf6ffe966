"""Database constraints of the catalog, on SQLite and PostgreSQL, and the optimistic lock."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from advisor.catalog.models import CompatibilityRule, Technology, TechnologySlot
from advisor.engine.vocabulary import RATING_AXES
from advisor.extensions import db

ENGINES = ["app", "pg_app"]


@pytest.fixture(params=ENGINES)
def any_app(request):
    """The seeded app on SQLite, then on PostgreSQL (skipped when unreachable)."""
    return request.getfixturevalue(request.param)


def _tech(slug: str = "flask") -> Technology:
    return db.session.scalar(sa.select(Technology).where(Technology.slug == slug))


def _refused(change) -> None:
    """`change` alters the session; the commit must fail with IntegrityError and leave nothing behind."""
    change()
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("axis", ["dev_speed", "learnability"])
@pytest.mark.parametrize("value", [0, 6, -1])
def test_rating_out_of_range_is_refused(any_app, axis, value):
    with any_app.app_context():
        before = _tech().ratings()
        _refused(lambda: setattr(_tech(), f"rating_{axis}", value))
        assert _tech().ratings() == before


@pytest.mark.parametrize("value", [1, 5])
def test_rating_bounds_are_accepted(any_app, value):
    with any_app.app_context():
        for axis in RATING_AXES:
            setattr(_tech(), f"rating_{axis}", value)
        db.session.commit()
        assert set(_tech().ratings().values()) == {value}


def test_duplicate_slug_is_refused(any_app):
    with any_app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Technology))
        _refused(lambda: db.session.add(Technology(slug="django", name="Another Django")))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Technology)) == count


@pytest.mark.parametrize("status", ["deleted", "ACTIVE", ""])
def test_bad_status_is_refused(any_app, status):
    with any_app.app_context():
        _refused(lambda: setattr(_tech(), "status", status))
        assert _tech().status == "active"


@pytest.mark.parametrize("strength", [0, 4])
def test_rule_strength_out_of_range_is_refused(any_app, strength):
    with any_app.app_context():
        rule = db.session.scalars(sa.select(CompatibilityRule).order_by(CompatibilityRule.id)).first()
        assert rule is not None, "the seed has rules"
        rule_id, old = rule.id, rule.strength
        _refused(lambda: setattr(rule, "strength", strength))
        assert db.session.get(CompatibilityRule, rule_id).strength == old


def test_bad_rule_kind_is_refused(any_app):
    with any_app.app_context():
        rule = db.session.scalars(sa.select(CompatibilityRule)).first()
        _refused(lambda: setattr(rule, "kind", "likes"))


def test_foreign_keys_are_enforced(any_app):
    with any_app.app_context():
        _refused(lambda: db.session.add(TechnologySlot(technology_id=987654321, slot="framework")))


def test_sqlite_pragmas(app):
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar().lower() == "wal"


def test_optimistic_lock_refuses_the_second_write(any_app):
    with any_app.app_context():
        engine = db.engine
        first = Session(engine, expire_on_commit=False)
        second = Session(engine, expire_on_commit=False)
        try:
            query = sa.select(Technology).where(Technology.slug == "flask")
            # End each read transaction at once: on SQLite a transaction holds the write lock.
            mine = first.scalar(query)
            first.commit()
            theirs = second.scalar(query)
            second.commit()
            assert mine.lock_version == theirs.lock_version
            start = mine.lock_version

            mine.summary = "First writer wins."
            first.commit()
            assert mine.lock_version == start + 1

            theirs.summary = "Second writer loses."
            with pytest.raises(StaleDataError):
                second.commit()
            second.rollback()
        finally:
            first.close()
            second.close()
        assert _tech().summary == "First writer wins."
