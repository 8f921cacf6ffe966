"""What the feeds say: one entry per radar edition, one per catalog version that changed a status,
a successor or a ring, or added a technology (from the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import render_template, url_for

from advisor.catalog.history import Event, describe
from advisor.catalog.models import AuditEntry, CatalogState
from advisor.catalog.service import snapshot
from advisor.extensions import db
from advisor.feeds.atom import Entry, Feed
from advisor.radar.service import all_editions

AUTHOR = "Stack Advisor curators"
MAX_ENTRIES = 50
AUDIT_BATCH = 500


def _catalog_updated() -> datetime:
    return db.session.scalar(sa.select(CatalogState.updated_at).where(CatalogState.id == 1))


def radar_feed() -> Feed:
    """Every published edition, newest first, with what moved in it."""
    editions = all_editions()[:MAX_ENTRIES]
    entries = []
    for radar in editions:
        moved = radar.moved()
        counts = {kind: sum(1 for e in moved if e.moved == kind) for kind in ("in", "up", "down")}
        summary = (
            (
                f"{len(radar.entries)} technologies; {counts['in']} new, {counts['up']} moved up, "
                f"{counts['down']} moved down, {len(radar.left)} left."
            )
            if radar.previous_edition
            else f"The first edition: {len(radar.entries)} technologies."
        )
        entries.append(
            Entry(
                id=url_for("radar.index", edition=radar.edition, _external=True),
                title=f"Radar edition {radar.edition}",
                updated=radar.published_at,
                link=url_for("radar.index", edition=radar.edition, _external=True),
                summary=summary,
                content_html=render_template("feeds/_edition.html", radar=radar),
            )
        )
    return Feed(
        id=url_for("feeds.radar", _external=True),
        title="Stack Advisor: technology radar editions",
        subtitle="Each edition of the radar and what moved in it.",
        updated=editions[0].published_at if editions else _catalog_updated(),
        self_link=url_for("feeds.radar", _external=True),
        page_link=url_for("radar.editions", _external=True),
        author=AUTHOR,
        entries=entries,
    )


@dataclass
class Change:
    """The events of one catalog version, technology by technology."""

    version: int
    at: datetime
    events: list[tuple[str, Event]] = field(default_factory=list)  # (slug, event)


def catalog_changes(limit: int = MAX_ENTRIES) -> list[Change]:
    """The newest catalog versions that added a technology or changed a status, successor or ring.

    Reads the audit trail newest first in batches and stops once `limit` versions are found, so a
    long history of other edits costs a few batches, not the whole table."""
    changes: dict[int, Change] = {}
    last_id = None
    while len(changes) < limit:
        query = (
            sa.select(AuditEntry)
            .where(AuditEntry.technology_id.is_not(None))
            .order_by(AuditEntry.id.desc())
            .limit(AUDIT_BATCH)
        )
        if last_id is not None:
            query = query.where(AuditEntry.id < last_id)
        rows = list(db.session.scalars(query))
        if not rows:
            break
        for row in rows:
            events = describe(row)
            if not events:
                continue
            change = changes.get(row.catalog_version)
            if change is None:
                if len(changes) >= limit:
                    break
                change = changes[row.catalog_version] = Change(row.catalog_version, row.at)
            change.events[:0] = [(row.slug, e) for e in events]
        last_id = rows[-1].id
    return sorted(changes.values(), key=lambda c: c.version, reverse=True)


def _title(change: Change, names: dict[str, str]) -> str:
    added = [slug for slug, e in change.events if e.kind == "added"]
    if added and len(added) == len(change.events):
        if len(added) == 1:
            return f"{names.get(added[0], added[0])} added to the catalog"
        return f"{len(added)} technologies added to the catalog"
    slugs = list(dict.fromkeys(slug for slug, _ in change.events))
    shown = ", ".join(names.get(s, s) for s in slugs[:3])
    more = f" and {len(slugs) - 3} more" if len(slugs) > 3 else ""
    return f"Catalog version {change.version}: {shown}{more}"


def _sentence(slug: str, event: Event, names: dict[str, str]) -> str:
    tail = f" {names.get(event.link, event.link)}." if event.link else ""
    return f"{names.get(slug, slug)}: {event.text}{tail}"


def _change_entry(change: Change, names: dict[str, str], listed: set[str], feed_url: str) -> Entry:
    slugs = {slug for slug, _ in change.events}
    # A change to one listed technology links its page; anything else links the catalog.
    only = next(iter(slugs)) if len(slugs) == 1 else None
    link = (
        url_for("catalog.detail", slug=only, _external=True)
        if only in listed
        else url_for("catalog.index", _external=True)
    )
    return Entry(
        id=f"{feed_url}#version-{change.version}",
        title=_title(change, names),
        updated=change.at,
        link=link,
        summary=" ".join(_sentence(slug, e, names) for slug, e in change.events[:20]),
        content_html=render_template(
            "feeds/_changes.html", change=change, names=names, listed=listed, sentence=_sentence
        ),
    )


def catalog_feed() -> Feed:
    """New technologies and changes of status, successor or curated ring, newest first."""
    catalog = snapshot()
    names = {slug: tech.name for slug, tech in catalog.techs.items()}
    listed = {slug for slug in catalog.techs if catalog.listed(slug)}
    changes = catalog_changes()
    feed_url = url_for("feeds.catalog", _external=True)
    return Feed(
        id=feed_url,
        title="Stack Advisor: catalog changes",
        subtitle="New technologies, and changes of status (deprecations, end of life), "
        "successor and radar ring.",
        updated=changes[0].at if changes else _catalog_updated(),
        self_link=feed_url,
        page_link=url_for("catalog.index", _external=True),
        author=AUTHOR,
        entries=[_change_entry(change, names, listed, feed_url) for change in changes],
    )
