"""Public pages: landing page, catalog list and detail, liveness and readiness."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from advisor.catalog.models import Technology
from advisor.engine.vocabulary import LISTED_STATUSES, SLOT_LABELS
from advisor.extensions import db
from tests.app_helpers import make_app

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


class Page(HTMLParser):
    """What the tests look at: scripts, stylesheets, headings, and the links under each slot heading."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.headings: list[tuple[str, str | None, str]] = []  # (tag, id, text)
        self.slots: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self._heading: list | None = None
        self._slot: str | None = None
        self.feed(html)
        self.text = " ".join(" ".join(self.texts).split())

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href", ""))
        elif tag in ("h1", "h2", "h3"):
            self._heading = [tag, a.get("id"), ""]
            if (a.get("id") or "").startswith("slot-"):
                self._slot = a["id"].removeprefix("slot-")
                self.slots[self._slot] = []
        elif tag == "a" and self._slot and a.get("href"):
            self.slots[self._slot].append(a["href"])

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((self._heading[0], self._heading[1], self._heading[2].strip()))
            self._heading = None
        elif tag == "section":
            self._slot = None

    def handle_data(self, data):
        self.texts.append(data)
        if self._heading:
            self._heading[2] += data

    def heading(self, tag: str, id_: str | None = None) -> list[str]:
        return [text for t, i, text in self.headings if t == tag and (id_ is None or i == id_)]


def _page(response) -> Page:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def _check_layout(page: Page) -> None:
    assert "/static/vendor/htmx.min.js" in page.scripts
    assert "/static/css/app.css" in page.stylesheets


@pytest.mark.parametrize("url", ["/catalog", "/catalog/"])
def test_catalog_is_listed_grouped_by_slot(app, client, url):
    _set_status(app, "tornado", "archived")
    _set_status(app, "pyramid", "end_of_life")
    page = _page(client.get(url))
    _check_layout(page)
    sections = page.slots
    for slot in ("framework", "server", "database", "db_driver", "orm", "task_queue"):
        assert slot in sections, f"no {slot} group"
        # Under the catalog page's h1 the groups are h2.
        assert page.heading("h2", f"slot-{slot}") == [SLOT_LABELS[slot]]
    assert "/catalog/django" in sections["framework"]
    assert "/catalog/uvicorn" in sections["server"]
    assert "/catalog/postgresql" in sections["database"]
    assert "/catalog/django" not in sections["database"]
    # Archived technologies are not listed; every other status is.
    assert not any("/catalog/tornado" in links for links in sections.values())
    assert "/catalog/pyramid" in sections["framework"]


def _set_status(app, slug: str, status: str) -> None:
    """A status written straight to the row, with the version bump every catalog write makes."""
    from advisor.catalog.service import bump_version

    with app.app_context():
        db.session.scalar(sa.select(Technology).where(Technology.slug == slug)).status = status
        bump_version()
        db.session.commit()


def _listed_count_and_version(app) -> tuple[int, int]:
    from advisor.catalog.service import current_version

    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Technology).where(Technology.status.in_(LISTED_STATUSES))
        ), current_version()


def test_landing_page_shows_the_catalog_version(app, client):
    _, version = _listed_count_and_version(app)
    assert f"catalog version {version}" in _page(client.get("/")).text


def test_landing_page_counts_each_technology_once(app, client):
    _set_status(app, "tornado", "archived")
    listed, _ = _listed_count_and_version(app)
    text = _page(client.get("/")).text
    assert f"{listed} technologies" in text


@pytest.mark.parametrize(
    ("slug", "name"), [("fastapi", "FastAPI"), ("django-rest-framework", "Django REST framework")]
)
def test_catalog_detail_renders(client, slug, name):
    page = _page(client.get(f"/catalog/{slug}"))
    _check_layout(page)
    assert any(name in h for h in page.heading("h1"))
    assert {"Ratings", "Capabilities", "Maintenance", "On the radar", "Alternatives"} <= set(
        page.heading("h2")
    )


@pytest.mark.parametrize("slug", ["no-such-tech", "tornado", "Django", "..%2f"])
def test_catalog_detail_404s_for_unknown_and_archived(app, client, slug):
    _set_status(app, "tornado", "archived")
    assert client.get(f"/catalog/{slug}").status_code == 404


def test_archived_after_edit_is_gone(app, client):
    assert client.get("/catalog/tornado").status_code == 200
    _set_status(app, "tornado", "archived")
    assert client.get("/catalog/tornado").status_code == 404


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_with_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_readyz_without_the_database():
    app = make_app(UNREACHABLE, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] != "ok"
    # Liveness does not depend on the database.
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_detail_says_why_a_server_has_no_release_facts(client, runner, tmp_path):
    import yaml

    from tests.catalog_helpers import export_text

    entry = next(e for e in yaml.safe_load(export_text(runner)) if e["slug"] == "postgresql")
    entry.update(
        package=None,
        latest_version=None,
        last_release=None,
        popularity_rank=None,
        status="active",
        status_note="A database server, not a PyPI package.",
    )
    path = tmp_path / "pg.yaml"
    path.write_text(yaml.safe_dump([entry], sort_keys=False), encoding="utf-8")
    assert runner.invoke(args=["catalog", "import", str(path)]).exit_code == 0
    page = _page(client.get("/catalog/postgresql"))
    assert "Maintenance" in page.heading("h2")
    assert "Status Active. A database server, not a PyPI package." in page.text
    assert "Last release none on PyPI (no package)" in page.text
    assert "Stale" not in page.text and "Popularity" not in page.text
