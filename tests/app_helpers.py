"""What the tests share that is not a fixture: app factory, live server, Chromium, screenshots.

Fixtures live in tests/conftest.py; tests import these names from here.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from jinja2 import BytecodeCache
from werkzeug.serving import make_server

from advisor import create_app

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PG_URL = os.environ.get("ADVISOR_TEST_POSTGRES_URL", "")

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "RATELIMIT_ENABLED": False,
}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SharedTemplates(BytecodeCache):
    """Compiled templates shared by every app of a test run (each test makes its own app, whose Jinja
    environment would compile every template it renders again). Keyed by name and source checksum,
    so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATES = SharedTemplates()


def make_app(database_url: str, **extra):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **extra})
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    return app


def migrate_and_seed(app) -> None:
    """What `make db` does: Alembic migrations, then the seed catalog."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used for a test, or None when it can."""
    if not PG_URL:
        return "ADVISOR_TEST_POSTGRES_URL is not set"
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.SQLAlchemyError as err:
        return f"PostgreSQL at {PG_URL} is not reachable: {type(err).__name__}"
    return None


@contextmanager
def fresh_pg_database(before_drop: Callable[[], None] = lambda: None) -> Iterator[str]:
    """The URL of a new, empty database on the PG_URL server, dropped afterwards (its sessions ended
    first). The admin connection is not pooled, so it survives a server restart in between;
    `before_drop` runs first (a test that stopped the server starts it again)."""
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"advisor_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        before_drop()
        with admin.connect() as conn:
            conn.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


class LiveServer:
    """The app served over real HTTP on a free loopback port, in a background thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def screenshot(page, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
