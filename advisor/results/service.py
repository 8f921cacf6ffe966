"""Creating and reading saved results; the engine runs here, once, at creation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import make_transient_to_detached

from advisor.catalog.service import published_snapshot
from advisor.core.clock import utcnow
from advisor.engine import recommend
from advisor.extensions import db
from advisor.results.models import SavedResult, new_result_id

RESULT_KEYS = (
    "catalog_version",
    "constraints",
    "slots",
    "score_basis",
    "warnings",
    "stacks",
    "technologies",
    "alternatives",
)


def create_result(raw_constraints, result_id: str | None = None) -> SavedResult:
    """Run the engine on `raw_constraints` and save everything it returned (under `result_id`, or a
    new random id); raises ConstraintError.

    The engine runs outside any transaction (on SQLite an open one would hold the write lock and make
    every other worker's creation wait for this one's engine); the write is one short transaction.
    """
    catalog = published_snapshot()
    db.session.commit()  # whatever the caller or a snapshot rebuild left open ends before the engine
    result = recommend(catalog, raw_constraints, k=current_app.config.get("ENGINE_TOP_K", 5))
    return _save(
        {
            "id": result_id or new_result_id(),
            "created_at": utcnow(),
            "catalog_version": result["catalog_version"],
            "constraints": result["constraints"],
            "payload": {key: result[key] for key in RESULT_KEYS if key in result},
        }
    )


def _save(values: dict) -> SavedResult:
    """Insert one result row and commit it before returning.

    A single INSERT of a row that never changes needs none of the session's unit of work (flush
    planning, identity map, state tracking), which took about half of the write's time; the row
    is written on a connection of its own and handed back as a loaded instance of the session, so
    reading it needs no SELECT.
    """
    with db.engine.begin() as conn:
        conn.execute(sa.insert(SavedResult), values)
    saved = SavedResult(**values)
    make_transient_to_detached(saved)  # it has its key now, as if loaded
    db.session.add(saved)
    return saved


def preview_result(raw_constraints) -> dict:
    """What `create_result` would save for `raw_constraints` (no id, nothing written); raises
    ConstraintError. The what-if panel and the API's preview run here."""
    catalog = published_snapshot()
    result = recommend(catalog, raw_constraints, k=current_app.config.get("ENGINE_TOP_K", 5))
    return {key: result[key] for key in RESULT_KEYS if key in result}


def get_result(result_id: str) -> SavedResult | None:
    """A saved result by id, or None; ids that cannot be ours are not even looked up."""
    if not result_id or len(result_id) > 32 or not all(c.isalnum() or c in "-_" for c in result_id):
        return None
    return db.session.get(SavedResult, result_id)


def result_json(saved: SavedResult, url: str) -> dict:
    """The contract's result JSON for a saved result (identical on every read)."""
    body = {"id": saved.id, "url": url, "created_at": _iso(saved)}
    body.update(saved.payload)
    return body


def _iso(saved: SavedResult) -> str:
    created = saved.created_at
    if created.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
        from datetime import UTC

        created = created.replace(tzinfo=UTC)
    return created.isoformat().replace("+00:00", "Z")


def count_results() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult)) or 0
