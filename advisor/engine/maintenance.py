"""Maintenance facts in words and numbers: release months, staleness, what a status means."""

from __future__ import annotations

import re
from datetime import date

STALE_AFTER_MONTHS = 18  # no release for this long: the project may have stalled
MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STATUS_LABELS = {
    "active": "Active",
    "maintenance": "Maintenance",
    "deprecated": "Deprecated",
    "end_of_life": "End of life",
    "archived": "Archived",
}
STATUS_WORDS = {
    "active": "actively maintained",
    "maintenance": "in maintenance mode (fixes only)",
    "deprecated": "deprecated",
    "end_of_life": "past its end of life",
    "archived": "archived",
}


def months_since(last_release: str | None, today: date) -> int | None:
    """Whole months from a "YYYY-MM" release month to `today`'s month; None when unknown."""
    if not last_release or not MONTH_RE.fullmatch(last_release):
        return None
    year, month = int(last_release[:4]), int(last_release[5:])
    return (today.year - year) * 12 + today.month - month


def is_stale(last_release: str | None, today: date) -> bool:
    """True when the newest release is STALE_AFTER_MONTHS or more months old."""
    months = months_since(last_release, today)
    return months is not None and months >= STALE_AFTER_MONTHS


def release_label(last_release: str | None) -> str | None:
    """ "2026-10" -> "Oct 2026"; None when unknown."""
    if not last_release or not MONTH_RE.fullmatch(last_release):
        return None
    return f"{MONTH_NAMES[int(last_release[5:]) - 1]} {last_release[:4]}"
