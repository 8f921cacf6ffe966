"""Atom feeds of radar editions and catalog changes: valid Atom (RFC 4287's required elements,
checked with an XML parser), what they say, and the pages that link them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser

import pytest

from tests.radar_helpers import change_catalog, entry_like, publish

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow

NS = {"a": "http://www.w3.org/2005/Atom"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _one(parent, tag: str) -> ET.Element:
    found = parent.findall(f"a:{tag}", NS)
    assert len(found) == 1, f"{parent.tag} has {len(found)} {tag} elements"
    return found[0]


def _date(element) -> datetime:
    assert RFC3339.match(element.text or ""), element.text
    return datetime.fromisoformat(element.text.replace("Z", "+00:00"))


def assert_valid_atom(response) -> ET.Element:
    """RFC 4287, section 4.1: what a feed and each of its entries must carry."""
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert (_one(feed, tag).text or "").strip()
    _date(_one(feed, "updated"))
    assert re.match(r"^(https?://|tag:|urn:)", _one(feed, "id").text)
    self_links = [link for link in feed.findall("a:link", NS) if link.get("rel") == "self"]
    assert len(self_links) == 1 and self_links[0].get("href")
    feed_authors = feed.findall("a:author", NS)
    for author in feed_authors:
        assert (_one(author, "name").text or "").strip()
    ids = []
    for entry in feed.findall("a:entry", NS):
        for tag in ("id", "title", "updated"):
            assert (_one(entry, tag).text or "").strip()
        _date(_one(entry, "updated"))
        ids.append(_one(entry, "id").text)
        assert feed_authors or entry.findall("a:author", NS), "an entry without an author"
        alternates = [
            link for link in entry.findall("a:link", NS) if link.get("rel", "alternate") == "alternate"
        ]
        assert alternates or entry.findall("a:content", NS), "an entry needs content or an alternate link"
        for content in entry.findall("a:content", NS):
            assert content.get("type") in (None, "text", "html", "xhtml")
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return feed


def _entries(feed) -> list[ET.Element]:
    return feed.findall("a:entry", NS)


def test_feeds_are_valid_before_anything_happened(client):
    radar = assert_valid_atom(client.get("/feeds/radar.atom"))
    assert _entries(radar) == []
    catalog = assert_valid_atom(client.get("/feeds/catalog.atom"))
    (seeded,) = _entries(catalog)
    assert re.fullmatch(r"\d+ technologies added to the catalog", _one(seeded, "title").text)


def test_radar_feed_has_an_entry_per_edition_with_what_moved(client, runner, tmp_path):
    publish(runner)
    change_catalog(runner, tmp_path, {"litestar": {"ring": "adopt"}})
    publish(runner)
    feed = assert_valid_atom(client.get("/feeds/radar.atom"))
    entries = _entries(feed)
    assert [_one(e, "title").text for e in entries] == ["Radar edition 2", "Radar edition 1"]
    newest = entries[0]
    assert _one(newest, "id").text.endswith("/radar?edition=2")
    assert _one(newest, "link").get("href").endswith("/radar?edition=2")
    content = _one(newest, "content")
    assert content.get("type") == "html"
    assert re.search(
        r'<a href="http://localhost/catalog/litestar">Litestar</a>:\s+up from trial to adopt', content.text
    )
    assert _one(feed, "updated").text == _one(newest, "updated").text


def test_catalog_feed_tells_of_new_technologies_and_deprecations(client, runner, tmp_path):
    newcomer = entry_like(runner, "quart", slug="brand-new", name="Brand New")
    change_catalog(
        runner, tmp_path, {"tornado": {"status": "deprecated", "successor": "starlette"}}, new=[newcomer]
    )
    feed = assert_valid_atom(client.get("/feeds/catalog.atom"))
    newest = _entries(feed)[0]
    assert _one(newest, "title").text == "Catalog version 2: Tornado, Brand New"
    text = _one(newest, "content").text
    assert "Tornado: Status changed from active to deprecated." in text
    assert "Tornado: Successor set to Starlette." in text
    assert "Brand New: Added to the catalog (version 2)." in text
    change_catalog(runner, tmp_path, {"flask": {"ring": "hold"}})
    newest = _entries(assert_valid_atom(client.get("/feeds/catalog.atom")))[0]
    assert _one(newest, "title").text == "Catalog version 3: Flask"
    assert _one(newest, "link").get("href") == "http://localhost/catalog/flask"
    # Edits that change nothing a follower cares about make no entry.
    change_catalog(runner, tmp_path, {"flask": {"summary": "Reworded."}})
    assert len(_entries(assert_valid_atom(client.get("/feeds/catalog.atom")))) == 3


def test_feed_text_is_escaped_and_stays_xml(client, runner, tmp_path):
    newcomer = entry_like(runner, "quart", slug="odd-one", name='<b>Odd</b> & "One"\x07')
    change_catalog(runner, tmp_path, {}, new=[newcomer])
    feed = assert_valid_atom(client.get("/feeds/catalog.atom"))
    title = _one(_entries(feed)[0], "title").text
    assert title == '<b>Odd</b> & "One" added to the catalog'
    assert "&lt;b&gt;Odd&lt;/b&gt;" in _one(_entries(feed)[0], "content").text


def test_feeds_answer_conditional_requests(client):
    first = client.get("/feeds/catalog.atom")
    assert first.headers.get("ETag")
    again = client.get("/feeds/catalog.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


class AlternateLinks(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.feeds: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
            self.feeds.append(a["href"])


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/radar", "/feeds/radar.atom"),
        ("/radar/editions", "/feeds/radar.atom"),
        ("/catalog", "/feeds/catalog.atom"),
        ("/catalog/motor", "/feeds/catalog.atom"),
    ],
)
def test_pages_link_their_feed(client, page, feed):
    links = AlternateLinks(client.get(page).get_data(as_text=True)).feeds
    assert links == [feed]
    assert_valid_atom(client.get(feed))
