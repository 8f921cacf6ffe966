"""The public catalog: search and filters (page and htmx fragment on one URL), the landing page's
link, and technology pages that connect: rules both ways, alternatives, facts, ring and history."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.radar_helpers import change_catalog, publish

HX = {"HX-Request": "true"}


class Listing(HTMLParser):
    """The technologies listed under each slot heading (each item's first link; later ones name a
    successor), and whether the page is a whole document."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.groups: dict[str, list[str]] = {}
        self.whole = False
        self._slot = None
        self._item_named = True
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.whole = True
        if tag in ("h2", "h3") and (a.get("id") or "").startswith("slot-"):
            self._slot = a["id"].removeprefix("slot-")
            self.groups[self._slot] = []
        elif tag == "li":
            self._item_named = False
        elif tag == "a" and self._slot and not self._item_named:
            assert (a.get("href") or "").startswith("/catalog/"), a
            self.groups[self._slot].append(a["href"].removeprefix("/catalog/"))
            self._item_named = True

    def handle_endtag(self, tag):
        if tag == "section":
            self._slot = None

    @property
    def slugs(self) -> set[str]:
        return {slug for slugs in self.groups.values() for slug in slugs}


def _listing(response, whole: bool) -> Listing:
    assert response.status_code == 200, response.status_code
    listing = Listing(response.get_data(as_text=True))
    assert listing.whole is whole
    assert "HX-Request" in response.headers.get("Vary", "")
    return listing


def _api(client, query: str) -> set[str]:
    return {t["slug"] for t in client.get(f"/api/v1/technologies?{query}").get_json()}


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "fragment"])
def test_postgres_finds_postgresql_and_its_drivers_not_celery(client, headers):
    listing = _listing(client.get("/catalog?q=postgres", headers=headers), whole=not headers)
    assert {"postgresql", "asyncpg", "psycopg", "psycopg2"} <= listing.slugs
    assert "celery" not in listing.slugs
    assert listing.slugs == _api(client, "q=postgres")
    assert set(listing.groups["db_driver"]) == {"asyncpg", "psycopg", "psycopg2"}
    text = client.get("/catalog?q=postgres", headers=headers).get_data(as_text=True)
    assert f"{len(listing.slugs)} of " in text


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "fragment"])
def test_slot_filter_lists_the_task_queues_only(client, headers):
    listing = _listing(client.get("/catalog?slot=task_queue", headers=headers), whole=not headers)
    assert list(listing.groups) == ["task_queue"]
    queues = {t["slug"] for t in client.get("/api/v1/technologies?slot=task_queue").get_json()}
    assert set(listing.groups["task_queue"]) == queues
    assert {"celery", "rq", "dramatiq", "arq", "taskiq", "huey"} <= queues
    assert "redis" not in queues


def test_the_fragment_swaps_the_count_out_of_band(client):
    html = client.get("/catalog?q=postgres", headers=HX).get_data(as_text=True)
    assert re.search(r'<p id="result-count" hx-swap-oob="innerHTML">4 of \d+ technologies match.</p>', html)
    assert "<form" not in html
    page = client.get("/catalog?q=postgres").get_data(as_text=True)
    assert "hx-swap-oob" not in page and re.search(r'id="result-count"[^>]*role="status"', page)
    # A history restore after a cache miss needs the whole page again.
    restore = client.get("/catalog?q=postgres", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_search_and_filters_combine(client):
    assert _listing(client.get("/catalog?q=async+postgres"), True).slugs == {"asyncpg", "psycopg"}
    assert "litestar" in _listing(client.get("/catalog?q=starlite"), True).slugs  # an alias
    eol = _listing(client.get("/catalog?status=end_of_life"), True).slugs
    assert {"motor", "passlib", "aioredis"} <= eol and "django" not in eol
    assert eol == _api(client, "status=end_of_life")
    socket_layers = _listing(client.get("/catalog?capability=websockets&slot=realtime"), True)
    assert list(socket_layers.groups) == ["realtime"] and "channels" in socket_layers.slugs
    assert _api(client, "capability=websockets&slot=realtime") == socket_layers.slugs


def test_no_match_says_what_was_searched(client):
    html = client.get("/catalog?q=cobol&status=deprecated").get_data(as_text=True)
    assert "No technology matches</strong> the words “cobol”, the status Deprecated." in html
    assert "0 of" in html and 'href="/catalog"' in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("slot=nope", "Fills"),
        ("status=archived", "Status"),
        ("capability=teleport", "Capability"),
        ("q=" + "x" * 101, "Search"),
    ],
)
def test_a_bad_filter_is_a_422_that_names_it(client, query, field):
    response = client.get(f"/catalog?{query}")
    assert response.status_code == 422
    assert f"{field}: " in response.get_data(as_text=True)
    assert client.get(f"/api/v1/technologies?{query}").status_code == 422  # the API agrees


def test_catalog_answers_with_and_without_the_slash(client):
    assert client.get("/catalog").status_code == 200
    assert client.get("/catalog/").status_code == 200


def test_landing_page_links_the_catalog_instead_of_listing_it(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/catalog"' in html and 'href="/catalog"' in html and 'href="/radar"' in html
    assert Listing(html).groups == {}
    assert "/catalog/django" not in html


# --- technology pages -------------------------------------------------------------------------


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'<h3 id="{heading_id}">.*?</ul>', html, re.S)
    assert match, heading_id
    return match.group(0)


def test_rules_show_on_both_sides(client):
    channels = client.get("/catalog/channels").get_data(as_text=True)
    assert 'href="/catalog/channels-redis"' in _section(channels, "requires-heading")
    layer = client.get("/catalog/channels-redis").get_data(as_text=True)
    assert 'href="/catalog/channels"' in _section(layer, "required_by-heading")
    # Symmetric rules read the same from either side, with the role each plays.
    redis = client.get("/catalog/redis").get_data(as_text=True)
    wells = _section(redis, "works_well_with-heading")
    assert re.search(r'href="/catalog/celery">Celery</a>, when it is the message broker', wells)
    celery = client.get("/catalog/celery").get_data(as_text=True)
    assert re.search(
        r'href="/catalog/redis">Redis</a> as the message broker', _section(celery, "works_well_with-heading")
    )
    assert 'href="/catalog/kafka"' in _section(celery, "conflicts-heading")
    kafka = client.get("/catalog/kafka").get_data(as_text=True)
    assert 'href="/catalog/celery"' in _section(kafka, "conflicts-heading")


def test_built_in_slots_are_said_in_words(client):
    html = client.get("/catalog/django").get_data(as_text=True)
    assert "Fills the <strong>auth</strong> only where it is also the web framework." in html


def test_alternatives_per_slot_with_compare_links(client):
    html = client.get("/catalog/fastapi").get_data(as_text=True)
    frameworks = _section(html, "alt-framework")
    assert 'href="/catalog/litestar"' in frameworks and 'href="/catalog/fastapi"' not in frameworks
    assert 'href="/compare?t=fastapi&amp;t=litestar" aria-label="Compare FastAPI with Litestar"' in frameworks
    # Inner rings first: an adopt entry comes before a hold entry.
    servers = _section(client.get("/catalog/gunicorn").get_data(as_text=True), "alt-server")
    assert servers.index("/catalog/uvicorn") < servers.index("/catalog/uwsgi")


def test_maintenance_facts_and_freshness(client):
    html = client.get("/catalog/motor").get_data(as_text=True)
    assert "End of life" in html and 'Consider <a href="/catalog/pymongo">PyMongo</a> instead.' in html
    assert "Stale:</strong> no release for" in html
    assert 'class="ring-tag ring-hold">Hold</span> in Data' in html


@pytest.mark.slow
def test_ring_and_history_in_words(client, runner, tmp_path):
    publish(runner)
    change_catalog(
        runner,
        tmp_path,
        {"litestar": {"ring": "adopt"}, "tornado": {"status": "deprecated", "successor": "starlette"}},
    )
    publish(runner)
    litestar = client.get("/catalog/litestar").get_data(as_text=True)
    assert "Moved from trial to adopt in edition 2." in litestar
    assert "Curators set its radar ring to adopt." in litestar
    assert "On the radar from edition 1, in trial." in litestar
    assert 'href="/radar?edition=2#row-litestar">edition 2</a>' in litestar
    tornado = client.get("/catalog/tornado").get_data(as_text=True)
    assert re.search(r"\d{4}-\d\d-\d\d</time>\s*Status changed from active to deprecated.", tornado)
    assert 'Successor set to <a href="/catalog/starlette">Starlette</a>.' in tornado
    assert "Added to the catalog (version 1)." in tornado
