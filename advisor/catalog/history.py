"""A technology's history in words, from the audit trail: when it was added, when its status,
successor or curated radar ring changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from advisor.catalog.models import AuditEntry
from advisor.engine.maintenance import STATUS_LABELS
from advisor.engine.vocabulary import RING_LABELS
from advisor.extensions import db


@dataclass(frozen=True)
class Event:
    """One dated sentence of a technology's history; `edition` links it to a radar edition, and a
    sentence that names another technology ends with its slug in `link`."""

    at: datetime
    kind: str  # added | status | successor | ring | radar
    text: str
    edition: int | None = None
    link: str | None = None


def _status(value) -> str:
    return STATUS_LABELS.get(value, str(value)).lower()


def describe(row: AuditEntry) -> list[Event]:
    """The sentences one audit row tells about its technology (none for edits of other fields)."""
    changes = row.changes or {}
    at = row.at
    if row.action == "create":
        status = (changes.get("status") or {}).get("new") or "active"
        suffix = "" if status == "active" else f", {_status(status)}"
        return [Event(at, "added", f"Added to the catalog (version {row.catalog_version}){suffix}.")]
    events = []
    if "status" in changes:
        old, new = changes["status"].get("old"), changes["status"].get("new")
        events.append(Event(at, "status", f"Status changed from {_status(old)} to {_status(new)}."))
    if "successor" in changes:
        new = changes["successor"].get("new")
        if new:
            events.append(Event(at, "successor", "Successor set to", link=new))
        else:
            events.append(Event(at, "successor", "Successor removed."))
    if "ring" in changes:
        new = changes["ring"].get("new")
        events.append(
            Event(
                at,
                "ring",
                f"Curators set its radar ring to {RING_LABELS[new].lower()}."
                if new
                else "Curators let the radar compute its ring again.",
            )
        )
    return events


def catalog_events(slug: str) -> list[Event]:
    """Everything the audit trail tells about `slug`, oldest first."""
    rows = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.slug == slug).order_by(AuditEntry.id))
    return [event for row in rows for event in describe(row)]
