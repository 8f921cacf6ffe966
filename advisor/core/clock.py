"""The one clock for stored timestamps: timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware (what every `DateTime(timezone=True)` column stores)."""
    return datetime.now(UTC)
