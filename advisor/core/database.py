"""Engine-level settings: SQLite gets WAL, foreign keys, a busy timeout and IMMEDIATE transactions."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

log = logging.getLogger(__name__)

# True while the caller promised that the transaction it is about to begin only reads.
_reading = ContextVar("advisor_read_only_begin", default=False)

# One SQLite write transaction at a time per process, queued here rather than in SQLite. Under
# gunicorn's gevent worker the requests of one process share one thread: had a second request's
# BEGIN IMMEDIATE waited in SQLite's busy handler (C code that never yields) while the holder waited
# on the network (Redis, say), the holder could never run to release it, and the whole worker would
# stall for busy_timeout. This lock yields to the holder instead (gevent patches threading before the
# app is imported). Between processes SQLite's own lock and busy_timeout still apply. A semaphore,
# not a lock: a connection checked in by the pool (see below) may be released from elsewhere.
WRITE_LOCK_TIMEOUT = 30
_write_lock = threading.Semaphore(1)
_HOLDS_LOCK = "advisor_write_lock"


@contextmanager
def reads_only() -> Iterator[None]:
    """SQLite transactions begun inside this block start DEFERRED instead of IMMEDIATE.

    A read needs no write lock (WAL readers never block), and taking it made every worker's page view
    queue behind the others' and behind each result being written. Only for transactions that end
    without writing: one that writes later would have to upgrade its lock, which can fail at once.
    """
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def configure_engine_events(engine: Engine) -> None:
    """Make SQLite safe for several processes; PostgreSQL needs nothing here."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if ":memory:" not in str(engine.url) and engine.url.database:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # IMMEDIATE takes the write lock up front, so two writers wait (busy_timeout) instead of
        # deadlocking on a lock upgrade and failing with "database is locked".
        if _reading.get():
            conn.exec_driver_sql("BEGIN")
            return
        if not _write_lock.acquire(timeout=WRITE_LOCK_TIMEOUT):
            raise OperationalError("BEGIN IMMEDIATE", {}, TimeoutError("database is locked"))
        conn.info[_HOLDS_LOCK] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn) -> None:
        _release(conn)

    @event.listens_for(engine.pool, "checkin")
    @event.listens_for(engine.pool, "invalidate")
    def _on_return(_dbapi_connection, record, *_args) -> None:
        _release(record)  # a transaction that ended without COMMIT or ROLLBACK (invalidated)


def _release(holder) -> None:
    """Release the write lock if `holder` (a connection, or its pool record: same `info`) took it."""
    if holder is not None and holder.info.pop(_HOLDS_LOCK, False):
        _write_lock.release()


def register_session_teardown(app, db) -> None:
    """Close the request's session without letting a dead connection turn the answer into a 500.

    Flask-SQLAlchemy's own teardown rolls back on close; when PostgreSQL has just been shut down that
    ROLLBACK raises, the exception escapes Flask, and gunicorn answers its bare "Internal Server
    Error" page in place of the response already built (a 201 or the 503). Teardowns run in reverse
    order of registration, so this one (registered after `db.init_app`) runs first and leaves
    nothing for the other to do.
    """

    @app.teardown_appcontext
    def _close_session(_exc) -> None:
        try:
            db.session.remove()
        except SQLAlchemyError as err:
            log.warning("closing the database session failed: %s", type(err).__name__)
            # drop its connections rather than return them to the pool half-closed
            with contextlib.suppress(SQLAlchemyError):
                db.session.registry().invalidate()
            db.session.registry.clear()
