"""Atom 1.0 documents (RFC 4287), written with ElementTree so that every text is escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"
MIMETYPE = "application/atom+xml"
# XML 1.0 forbids these characters even escaped; a catalog text holding one must not break the feed.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime
    link: str  # the page the entry is about (rel="alternate")
    summary: str = ""
    content_html: str = ""


@dataclass
class Feed:
    id: str
    title: str
    updated: datetime
    self_link: str
    page_link: str
    author: str
    subtitle: str = ""
    entries: list[Entry] = field(default_factory=list)


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC; SQLite hands back naive datetimes, which the app writes in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = NOT_XML.sub("", text)
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str | None = None) -> None:
    attrs = {"rel": rel, "href": href}
    if kind:
        attrs["type"] = kind
    ET.SubElement(parent, f"{{{ATOM}}}link", attrs)


def render(feed: Feed) -> bytes:
    """The feed as a UTF-8 XML document."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", timestamp(feed.updated))
    _link(root, feed.self_link, "self", MIMETYPE)
    _link(root, feed.page_link, "alternate", "text/html")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    _text(root, "generator", "Stack Advisor")
    for entry in feed.entries:
        element = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        _text(element, "updated", timestamp(entry.updated))
        _link(element, entry.link, "alternate", "text/html")
        if entry.summary:
            _text(element, "summary", entry.summary)
        if entry.content_html:
            _text(element, "content", entry.content_html, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
