"""Fixtures: a migrated and seeded SQLite app per test, PostgreSQL when reachable, a live server,
Chromium, logged-in admin clients and a catalog guard. Helpers that are not fixtures live in the
tests/*_helpers.py modules; tests import them from there."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from advisor.extensions import db
from tests.admin_helpers import login, make_user
from tests.app_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LiveServer,
    fresh_pg_database,
    make_app,
    migrate_and_seed,
    pg_unreachable,
)
from tests.catalog_helpers import catalog_state, export_text


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Argon2id at its lowest cost for the tests' accounts (2 ms a hash and check instead of about
    200 ms, hundreds of times a run), as Django's test settings swap in a fast hasher. Hashes stay
    argon2id; production keeps the library's defaults (a test checks them)."""
    from advisor.admin import models

    production, models._hasher = models._hasher, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    models._hasher = production


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory) -> Path:
    """A migrated, seeded SQLite file made once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "advisor.sqlite3"
    app = make_app(f"sqlite:///{path}")
    migrate_and_seed(app)
    with app.app_context():
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(seeded_sqlite, tmp_path) -> Path:
    path = tmp_path / "advisor.sqlite3"
    shutil.copy(seeded_sqlite, path)
    return path


@pytest.fixture
def app(db_path):
    app = make_app(f"sqlite:///{db_path}")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    reason = pg_unreachable()
    if reason:
        pytest.skip(reason)
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def pg_app(pg_url):
    app = make_app(pg_url)
    migrate_and_seed(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (skipped with a reason when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def curator_client(app, client):
    """The test client, logged in as a curator."""
    make_user(app, "curator@example.org")
    response = login(client, "curator@example.org")
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def admin_client(app, client):
    """The test client, logged in as an admin (who may also manage accounts)."""
    make_user(app, "admin@example.org", role="admin")
    response = login(client, "admin@example.org")
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def guard(app, runner):
    """Records the catalog export and version before a test, and checks after that nothing changed."""
    before, state = export_text(runner), catalog_state(app)
    yield
    assert export_text(runner) == before, "the database was changed"
    assert catalog_state(app) == state, "the version or audit log was changed"
