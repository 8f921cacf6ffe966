"""Benchmarks: scripts that print figures (see RESULTS.md)."""

from __future__ import annotations

import logging
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrate(app) -> None:
    """Bring the app's database up to date in this process, as `flask db upgrade` does in its own.

    Alembic's logging set-up (meant for that command line) adds a console handler to the root
    logger, which would print every request's log line a second time in a benchmark; production
    migrates in a separate process, so the root logger is put back as it was."""
    from flask_migrate import upgrade

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    root.handlers[:] = handlers
    root.setLevel(level)
