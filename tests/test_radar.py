"""The radar: the live radar on the seed catalog, editions published from the CLI and the admin,
moves between editions, earlier editions unchanged, the pages and the JSON API."""

from __future__ import annotations

import math
import re

import pytest
import sqlalchemy as sa

from advisor.catalog.models import AuditEntry
from advisor.engine.vocabulary import QUADRANTS, RINGS, SLOT_QUADRANTS
from advisor.extensions import db
from advisor.radar import layout
from advisor.radar.models import RadarEdition
from tests.admin_helpers import csrf_from
from tests.api_helpers import assert_error_shape
from tests.radar_helpers import change_catalog, entry_like, moves, publish, radar, rings


def _listed(client) -> dict[str, dict]:
    return {t["slug"]: t for t in client.get("/api/v1/technologies").get_json()}


# --- the live radar (no edition yet) ----------------------------------------------------------


def test_every_listed_technology_has_a_valid_ring_and_quadrant(client):
    body = radar(client)
    assert body["edition"] is None and body["published_at"] is None and body["previous_edition"] is None
    listed = _listed(client)
    slugs = [e["slug"] for e in body["entries"]]
    assert sorted(slugs) == sorted(listed)  # every listed technology, each once
    for entry in body["entries"]:
        assert entry["ring"] in RINGS and entry["quadrant"] in QUADRANTS
        assert entry["quadrant"] == SLOT_QUADRANTS[listed[entry["slug"]]["slots"][0]]
        assert entry["moved"] is None and entry["source"] == "computed" and entry["reason"]
        assert entry["name"] == listed[entry["slug"]]["name"]
    assert {e["ring"] for e in body["entries"]} == set(RINGS)  # all four rings in use
    assert [e["number"] for e in body["entries"]] == list(range(1, len(slugs) + 1))
    assert body["rule"] and body["left"] == []


def test_rings_follow_the_facts(client):
    found = rings(radar(client))
    assert found["motor"] == "hold"  # end of life
    assert found["psycopg2"] == "hold"  # maintenance mode
    assert found["postgresql"] == "adopt"  # maturity 5, not a PyPI package
    assert found["django"] == "adopt"
    assert found["litestar"] == "trial"  # maturity 3, in the top 5,000
    assert found["tortoise-orm"] == "assess"  # maturity 2


def test_technologies_carry_the_curators_ring_and_their_placement(client):
    celery = client.get("/api/v1/technologies/celery").get_json()
    assert celery["ring"] is None
    assert celery["radar"] == {
        "ring": "adopt",
        "quadrant": "messaging-and-jobs",
        "source": "computed",
        "reason": celery["radar"]["reason"],
    }


def test_the_seed_radar_is_drawn_without_overlaps(app):
    from advisor.radar.service import live_radar

    with app.test_request_context():
        entries = live_radar().entries
    points = layout.layout(entries)
    placed = list(points.values())
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * layout.BLIP


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "2147483648", "99999999999999999999"])
def test_a_bad_edition_is_a_422_naming_it(client, value):
    assert_error_shape(client.get(f"/api/v1/radar?edition={value}"), 422, "edition")
    page = client.get(f"/radar?edition={value}")
    assert page.status_code == 422 and "edition" in page.get_data(as_text=True).lower()


def test_an_unknown_edition_is_a_404(client, runner):
    assert_error_shape(client.get("/api/v1/radar?edition=1"), 404, "edition")
    assert client.get("/radar?edition=1").status_code == 404
    publish(runner)
    assert client.get("/radar?edition=1").status_code == 200
    assert_error_shape(client.get("/api/v1/radar?edition=2"), 404, "edition")


# --- editions ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_ring_changed_by_import_moves_in_the_next_edition_only(app, client, runner, tmp_path):
    """The acceptance journey: publish, change rings through `catalog import`, publish again."""
    assert "published radar edition 1" in publish(runner)
    first = radar(client)
    assert first["edition"] == 1 and moves(first) == {}
    assert first["rule"] and first["published_at"]

    before = rings(first)
    assert (before["litestar"], before["celery"]) == ("trial", "adopt")
    change_catalog(runner, tmp_path, {"litestar": {"ring": "adopt"}, "celery": {"ring": "hold"}})
    assert "published radar edition 2" in publish(runner)

    second = radar(client)
    assert second["edition"] == 2 and second["previous_edition"] == 1
    assert moves(second) == {"litestar": "up", "celery": "down"}
    by_slug = {e["slug"]: e for e in second["entries"]}
    assert by_slug["litestar"]["previous_ring"] == "trial" and by_slug["litestar"]["source"] == "curator"
    assert by_slug["celery"]["ring"] == "hold"
    assert radar(client, 2) == second

    # The first edition is as it was published.
    again = radar(client, 1)
    assert again == first
    assert rings(again)["litestar"] == "trial" and rings(again)["celery"] == "adopt"

    # The pages agree: the blip marks, the table says it in words, the old edition shows no move.
    page = client.get("/radar").get_data(as_text=True)
    assert re.search(r'id="blip-litestar"[^>]*aria-label="[^"]*up from trial"', page)
    assert re.search(r'id="row-celery".*?Down from Adopt', page, re.S)
    old = client.get("/radar?edition=1").get_data(as_text=True)
    assert "moved-up" not in old and "Down from" not in old


@pytest.mark.slow
def test_new_and_archived_technologies_are_in_and_left(client, runner, tmp_path):
    publish(runner)
    newcomer = entry_like(runner, "quart", slug="fresh-framework", name="Fresh Framework")
    change_catalog(runner, tmp_path, {"cron": {"status": "archived"}}, new=[newcomer])
    publish(runner)
    body = radar(client)
    assert moves(body)["fresh-framework"] == "in"
    assert body["left"] == [
        {"slug": "cron", "name": "cron", "quadrant": "messaging-and-jobs", "ring": "adopt"}
    ]
    assert "cron" not in rings(body)
    assert "cron" in rings(radar(client, 1))
    editions = client.get("/api/v1/radar/editions").get_json()["editions"]
    assert [e["edition"] for e in editions] == [2, 1]
    assert editions[0]["moved"]["in"] == ["fresh-framework"] and editions[0]["left"] == ["cron"]
    assert editions[0]["technologies"] == len(body["entries"])
    page = client.get("/radar/editions").get_data(as_text=True)
    assert re.search(r"Fresh Framework</a>:\s+new, in trial", page) and "cron: left the radar" in page


def test_publishing_is_audited(app, runner):
    publish(runner, actor="ops@example.org")
    publish(runner, actor="ops@example.org")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "publish").order_by(AuditEntry.id)
        ).all()
        assert [r.changes["radar_edition"] for r in rows] == [{"old": None, "new": 1}, {"old": 1, "new": 2}]
        assert {r.actor for r in rows} == {"ops@example.org"}
        editions = db.session.scalars(sa.select(RadarEdition).order_by(RadarEdition.number)).all()
        assert [e.number for e in editions] == [1, 2]
        assert all(len(e.entries) == len(editions[0].entries) for e in editions)


def test_the_page_lists_editions_and_draws_every_blip_as_a_link(client, runner):
    page = client.get("/radar").get_data(as_text=True)
    assert "The live radar" in page and "No edition has been published yet" in page
    assert len(re.findall(r'<a class="blip ', page)) == len(_listed(client))
    # Each blip is a link with a title, and its table row says the same.
    for slug, title in re.findall(
        r'id="blip-([a-z0-9-]+)" href="/catalog/\1" aria-label="[^"]+">\s*'
        r"<title>([^<]+)</title>",
        page,
    )[:5]:
        assert f'id="row-{slug}"' in page and title.split(". ", 1)[1].split(":")[0] in page
    for line in ("Hold: in maintenance mode", "No release for 18 months"):
        assert line in page
    publish(runner)
    page = client.get("/radar").get_data(as_text=True)
    assert "<strong>Edition 1</strong>" in page and 'aria-current="page">1</a>' in page


def test_postgresql_publishes_and_keeps_editions(pg_app, tmp_path):
    client, runner = pg_app.test_client(), pg_app.test_cli_runner()
    publish(runner)
    change_catalog(runner, tmp_path, {"huey": {"ring": "hold"}})
    publish(runner)
    assert moves(radar(client)) == {"huey": "down"}
    assert rings(radar(client, 1))["huey"] == "trial"
    assert_error_shape(client.get("/api/v1/radar?edition=2147483647"), 404, "edition")


# --- the curator's ring -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_ring_goes_through_export_and_import(runner, tmp_path, client):
    change_catalog(runner, tmp_path, {"flask": {"ring": "assess"}})
    exported = runner.invoke(args=["catalog", "export"]).stdout
    assert re.search(r"- slug: flask\n(?:  .*\n)*?  ring: assess\n", exported)
    assert re.search(r"- slug: django\n(?:  .*\n)*?  ring: null\n", exported)
    assert client.get("/api/v1/technologies/flask").get_json()["ring"] == "assess"
    assert rings(radar(client))["flask"] == "assess"


@pytest.mark.slow
def test_an_unknown_ring_is_refused_whole(runner, tmp_path):
    exported = runner.invoke(args=["catalog", "export"]).stdout
    path = tmp_path / "bad.yaml"
    path.write_text(exported.replace("ring: null", "ring: sometimes", 1), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code != 0
    assert "ring: 'sometimes' is not a known radar ring." in result.output


# --- publishing from the admin ----------------------------------------------------------------


def _confirm_form(client) -> dict:
    page = client.get("/admin/radar/publish")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {
        "csrf_token": csrf_from(html),
        "number": re.search(r'name="number" type="hidden" value="(\d+)"', html).group(1),
        "catalog_version": re.search(r'name="catalog_version" type="hidden" value="(\d+)"', html).group(1),
    }


def test_anonymous_users_cannot_publish(client):
    assert client.get("/admin/radar").status_code in (302, 303)
    response = client.post("/admin/radar/publish", data={"number": "1"})
    assert response.status_code in (302, 303, 400, 401)
    assert client.get("/api/v1/radar").get_json()["edition"] is None


def test_a_curator_publishes_after_a_confirm_step(app, client, curator_client):
    curator = curator_client
    overview = curator.get("/admin/radar").get_data(as_text=True)
    assert "Prepare edition 1" in overview and "This will be the first edition" in overview
    form = _confirm_form(curator)
    assert form["number"] == "1"
    response = curator.post("/admin/radar/publish", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/radar")
    assert "Published radar edition 1" in curator.get("/admin/radar").get_data(as_text=True)
    assert radar(client)["edition"] == 1
    with app.app_context():
        row = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "publish"))
        assert row.actor.endswith("@example.org") and row.changes["radar_edition"]["new"] == 1
    audit = curator.get("/admin/audit?action=publish").get_data(as_text=True)
    assert 'href="/radar?edition=1">radar edition 1</a>' in audit


def test_publishing_needs_the_csrf_token(client, curator_client):
    curator = curator_client
    form = _confirm_form(curator)
    del form["csrf_token"]
    response = curator.post("/admin/radar/publish", data=form)
    assert response.status_code == 400
    assert radar(client)["edition"] is None


@pytest.mark.slow
def test_a_stale_confirm_step_is_shown_again_not_published(client, runner, tmp_path, curator_client):
    curator = curator_client
    form = _confirm_form(curator)
    change_catalog(runner, tmp_path, {"rq": {"ring": "hold"}})  # the catalog moved on
    response = curator.post("/admin/radar/publish", data=form)
    assert response.status_code == 409
    assert "The catalog changed since you opened this page" in response.get_data(as_text=True)
    assert radar(client)["edition"] is None

    form = _confirm_form(curator)
    publish(runner)  # someone else published 1
    response = curator.post("/admin/radar/publish", data=form)
    assert response.status_code == 409
    assert "Edition 1 was published meanwhile" in response.get_data(as_text=True)
    assert "Publish edition 2" in response.get_data(as_text=True)
    assert radar(client)["edition"] == 1


def test_curators_set_and_clear_a_ring_in_the_admin_form(app, client, curator_client):
    from tests.admin_helpers import audit_rows, post_pairs, read_form, replace

    edit = "/admin/technologies/huey/edit"
    html = curator_client.get(edit).get_data(as_text=True)
    assert "the facts mislead: Trial: maturity 4 of 5" in html  # the computed ring as a hint
    pairs = read_form(html)
    assert dict(pairs)["ring"] == ""
    response = post_pairs(curator_client, edit, replace(pairs, "ring", "hold") + [("op", "save")])
    assert response.status_code == 303
    assert audit_rows(app, "huey")[-1][4]["ring"] == {"old": None, "new": "hold"}
    entry = {e["slug"]: e for e in radar(client)["entries"]}["huey"]
    assert (entry["ring"], entry["source"]) == ("hold", "curator")

    pairs = read_form(curator_client.get(edit).get_data(as_text=True))
    assert dict(pairs)["ring"] == "hold"
    post_pairs(curator_client, edit, replace(pairs, "ring", "") + [("op", "save")])
    assert rings(radar(client))["huey"] == "trial"
    bad = post_pairs(curator_client, edit, replace(pairs, "ring", "sometimes") + [("op", "save")])
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
