"""The result page /r/<id>: content, sharing meta, caching, 404, re-run, escaping and queries."""

from __future__ import annotations

import gzip
import re

import pytest
import sqlalchemy as sa
import yaml

from advisor.catalog.models import CatalogState, Technology
from advisor.catalog.service import snapshot
from advisor.engine import recommend
from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import create_result
from tests.wizard_helpers import CONSTRAINTS, HTMX, count_queries, csrf_token, reads


@pytest.fixture
def saved(app):
    """A saved result for the shared constraints; returns (id, payload)."""
    with app.app_context():
        result = create_result(CONSTRAINTS)
        return result.id, result.payload


def _change_catalog(runner, tmp_path) -> int:
    """What a curator's bulk edit does: export, edit one summary, import (a new catalog version)."""
    path = tmp_path / "catalog.yaml"
    assert runner.invoke(args=["catalog", "export", str(path)]).exit_code == 0
    entries = yaml.safe_load(path.read_text())
    flask = next(e for e in entries if e["slug"] == "flask")
    flask["summary"] = "Flask, described anew by a curator."
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    return int(re.search(r"catalog version (\d+)", result.output).group(1))


def test_result_page_shows_every_stack_with_reasons_bars_and_tradeoffs(client, saved):
    result_id, payload = saved
    response = client.get(f"/r/{result_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    stacks = payload["stacks"]
    assert len(stacks) >= 3
    assert html.count('<details class="stack') == len(stacks)
    assert len(re.findall(r'<details class="stack[^"]*" id="stack-\d+" open>', html)) == 1
    assert '<details class="stack chosen" id="stack-1" open>' in html
    names = payload["technologies"]
    for stack in stacks:
        assert f'id="stack-{stack["rank"]}"' in html and f'id="glance-{stack["rank"]}"' in html
        assert f"{stack['score']:.1f} of 100" in html
        for slug in stack["components"].values():
            assert names[slug]["name"].replace("&", "&amp;") in html
    first = stacks[0]
    for reason in first["reasons"]:
        assert f"+{reason['contribution']:.2f}" in html
    assert 'class="bar score-bar"' in html and 'class="bar-fill"' in html
    assert ">Pros</h3>" in html and ">Cons</h3>" in html
    assert first["tradeoffs"][0]["pros"][0] in html


def test_alternatives_say_what_they_would_cost(client, saved):
    result_id, payload = saved
    html = client.get(f"/r/{result_id}").get_data(as_text=True)
    slot, rows = next(iter(payload["alternatives"].items()))
    alt = rows[0]
    assert alt["name"] in html
    assert f"&minus;{-alt['delta']:.2f} points" in html or alt["delta"] == 0
    assert "Instead of" in html


def test_answers_catalog_version_and_date_are_shown(client, saved):
    result_id, _ = saved
    html = client.get(f"/r/{result_id}").get_data(as_text=True)
    answers = html.split('id="answers-heading"', 1)[1]
    for words in (
        "REST API",
        "Background jobs, Caching",
        "Medium",
        "Mostly waiting",
        "Flask",
        "Performance 4/5, Typing 3/5",
        "Containers",
        "Django",
    ):
        assert words in answers, words
    assert "from catalog version 1." in html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)


def test_share_meta_copy_link_and_edit_answers(client, saved):
    result_id, payload = saved
    html = client.get(f"/r/{result_id}").get_data(as_text=True)
    top = payload["technologies"][payload["stacks"][0]["components"]["framework"]]["name"]
    og_title = re.search(r'<meta property="og:title" content="([^"]+)">', html).group(1)
    assert top in og_title
    assert re.search(r'<meta property="og:description" content="Ranked first of \d+ ', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="twitter:title"' in html and '<meta name="twitter:description"' in html
    assert f'<meta property="og:url" content="http://localhost/r/{result_id}">' in html
    assert re.search(rf'<input id="permalink"[^>]*value="http://localhost/r/{result_id}" readonly', html)
    assert "data-copy-link hidden>Copy link</button>" in html  # shown by results.js
    assert f'href="/wizard/?from={result_id}">Edit answers</a>' in html
    assert "results.css" in html and "results.js" in html


def test_pages_have_no_inline_script_style_or_handlers(client, saved):
    result_id, _ = saved
    token = csrf_token(client)
    client.post("/wizard/kind", data={"project_kind": "web_app", "csrf_token": token})
    pages = [client.get(f"/r/{result_id}").get_data(as_text=True)]
    pages += [
        client.get(f"/wizard/{name}").get_data(as_text=True)
        for name in ("kind", "features", "data", "team", "priorities", "deploy")
    ]
    for html in pages:
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"<[^>]+\son[a-z]+=", html)
        assert "<style" not in html


@pytest.mark.parametrize("kind", ["web_app", "microservice", "realtime", "ml_service", "scripts"])
def test_result_page_renders_for_every_kind_of_project(app, client, kind):
    with app.app_context():
        result = create_result({"project_kind": kind, "features": ["user_accounts"]})
        result_id, payload = result.id, result.payload
    html = client.get(f"/r/{result_id}").get_data(as_text=True)
    first = payload["technologies"][next(iter(payload["stacks"][0]["components"].values()))]["name"]
    assert first.replace("&", "&amp;") in html
    assert re.search(r'<meta property="og:title" content="[^"]+ \+ ', html)


def test_result_page_is_cached_with_an_etag_and_answers_304(client, saved):
    result_id, _ = saved
    first = client.get(f"/r/{result_id}")
    etag = first.headers["ETag"]
    assert etag and first.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in first.headers
    assert "hx-headers" not in first.get_data(as_text=True)  # no CSRF token: one copy fits all
    again = client.get(f"/r/{result_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    weakened = client.get(f"/r/{result_id}", headers={"If-None-Match": "W/" + etag})
    assert weakened.status_code == 304
    other = client.get(f"/r/{result_id}", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_result_page_is_sent_gzipped_to_clients_that_ask_and_revalidates_per_encoding(client, saved):
    result_id, _ = saved
    plain = client.get(f"/r/{result_id}")
    packed = client.get(f"/r/{result_id}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 5
    for response in (plain, packed):
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == "public, max-age=300"
    # A strong ETag names one representation: the gzip body has its own.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        f"/r/{result_id}", headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b"" and "Content-Encoding" not in again.headers
    assert again.headers["ETag"] == packed.headers["ETag"]
    # The plain copy's tag does not validate the gzip body, nor the other way round.
    assert (
        client.get(
            f"/r/{result_id}", headers={"Accept-Encoding": "gzip", "If-None-Match": plain.headers["ETag"]}
        ).status_code
        == 200
    )
    assert client.get(f"/r/{result_id}", headers={"If-None-Match": packed.headers["ETag"]}).status_code == 200
    refused = client.get(f"/r/{result_id}", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


def test_a_cached_result_page_reads_only_the_catalog_version_and_takes_no_write_lock(client, app, saved):
    result_id, _ = saved
    first = client.get(f"/r/{result_id}")
    with count_queries(app) as statements:
        second = client.get(f"/r/{result_id}")
    assert second.data == first.data
    assert reads(statements) == [s for s in statements if "catalog_state" in s], statements
    assert len(reads(statements)) == 1
    assert not any("IMMEDIATE" in s.upper() for s in statements), statements


def test_result_page_never_caches_publicly_with_a_cookie(app, saved):
    result_id, _ = saved
    client = app.test_client()
    with client.session_transaction() as session:
        session["_fresh"] = True  # what Flask-Login rewrites on a first request with a session
        session.permanent = True  # a permanent session is re-sent on every response
    response = client.get(f"/r/{result_id}")
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_unknown_and_malformed_ids_are_a_friendly_404(client):
    for result_id in ("A" * 22, "not-a-real-result", "x" * 300, "%3Cscript%3E"):
        response = client.get(f"/r/{result_id}")
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Page not found" in html and "mistyped" in html and "<script>" not in html
    assert client.get("/r/../etc/passwd").status_code == 404
    assert client.get("/r/nope/rerun").status_code == 404


def test_result_page_runs_at_most_two_queries(client, app, saved):
    result_id, _ = saved
    client.get(f"/r/{result_id}")  # builds the catalog snapshot once
    with count_queries(app) as statements:
        response = client.get(f"/r/{result_id}")
    assert response.status_code == 200 and len(reads(statements)) <= 2, statements
    with count_queries(app) as statements:
        client.get(f"/r/{result_id}", headers={"If-None-Match": response.headers["ETag"]})
    assert len(reads(statements)) <= 2, statements


@pytest.mark.slow
def test_catalog_change_shows_a_note_and_rerun_makes_a_new_permalink(app, client, runner, saved, tmp_path):
    result_id, payload = saved
    before = client.get(f"/r/{result_id}")
    assert "The catalog has changed" not in before.get_data(as_text=True)
    version = _change_catalog(runner, tmp_path)
    assert version == 2
    after = client.get(f"/r/{result_id}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # the note is new: the old copy is stale
    html = after.get_data(as_text=True)
    assert "The catalog has changed since this result was made" in html
    assert after.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert f'hx-get="/r/{result_id}/rerun" hx-trigger="load"' in html

    offer = client.get(f"/r/{result_id}/rerun", headers=HTMX)
    assert offer.headers["Cache-Control"] == "no-store"
    fragment = offer.get_data(as_text=True)
    assert "<html" not in fragment and "Re-run on the current catalog</button>" in fragment
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', fragment).group(1)

    assert client.post(f"/r/{result_id}/rerun").status_code == 400  # no token: refused
    response = client.post(f"/r/{result_id}/rerun", data={"csrf_token": token})
    assert response.status_code == 303
    new_id = response.headers["Location"].rsplit("/", 1)[1]
    assert new_id != result_id
    with app.app_context():
        old, new = db.session.get(SavedResult, result_id), db.session.get(SavedResult, new_id)
        assert old.payload == payload and old.catalog_version == 1
        assert new.catalog_version == 2 and new.constraints == old.constraints
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult)) == 2
    assert "The catalog has changed" not in client.get(f"/r/{new_id}").get_data(as_text=True)
    htmx = client.post(f"/r/{result_id}/rerun", data={"csrf_token": token}, headers=HTMX)
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"].startswith("/r/")


def test_rerun_page_works_without_javascript(client, saved):
    result_id, _ = saved
    page = client.get(f"/r/{result_id}/rerun")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<!doctype html>" in html
    assert "This result uses the current catalog" in html


def test_rerun_that_no_longer_fits_the_catalog_explains_why(app, client):
    with app.app_context():
        result = create_result({"project_kind": "web_app", "must_use": ["flask"]})
        result_id = result.id
        from advisor.catalog.models import Technology
        from advisor.catalog.service import bump_version

        db.session.execute(sa.update(Technology).where(Technology.slug == "flask").values(status="archived"))
        bump_version()
        db.session.commit()
    token = csrf_token(client, f"/r/{result_id}/rerun")
    response = client.post(f"/r/{result_id}/rerun", data={"csrf_token": token})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Unknown technology: flask." in html and f"/wizard/?from={result_id}" in html
    # ... while the saved result keeps showing Flask, archived or not.
    assert 'href="/catalog/flask">Flask</a>' in client.get(f"/r/{result_id}").get_data(as_text=True)


def test_catalog_text_in_a_saved_result_is_escaped(app, client):
    evil = '<img src=x onerror="alert(1)">'
    with app.app_context():
        result = create_result(CONSTRAINTS)
        payload = dict(result.payload)
        stack = dict(payload["stacks"][0])
        stack["reasons"] = [dict(stack["reasons"][0], text=evil + "reason")] + stack["reasons"][1:]
        slug = stack["components"]["framework"]
        payload["technologies"] = {
            **payload["technologies"],
            slug: {**payload["technologies"][slug], "name": evil + "name"},
        }
        payload["stacks"] = [stack] + payload["stacks"][1:]
        result.payload = payload
        db.session.commit()
        result_id = result.id
    html = client.get(f"/r/{result_id}").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;reason" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;name" in html


def test_creation_runs_the_engine_outside_a_transaction_and_reads_nothing_back(app, monkeypatch):
    from advisor.results import service

    seen = []

    def engine(*args, **kwargs):
        seen.append(db.session().in_transaction())  # SQLite: an open one would hold the write lock
        return recommend(*args, **kwargs)

    monkeypatch.setattr(service, "recommend", engine)
    with app.app_context():
        snapshot()  # built once per process; what follows is a creation's usual work
    with app.app_context(), count_queries(app) as statements:
        saved = create_result({"project_kind": "scripts", "priorities": {"typing": 3}})
        written = len(statements)
        assert saved.payload["stacks"] and saved.created_at and saved.catalog_version == 1
    assert seen == [False]
    assert statements[written:] == []  # the new row's values were kept, not re-read
    assert [" ".join(s.split()[:2]) for s in statements] == [
        "BEGIN",
        "SELECT catalog_state.version",
        "BEGIN IMMEDIATE",
        "INSERT INTO",
    ], statements


def test_remembered_results_are_per_app(tmp_path, seeded_sqlite):
    """Two apps in one process (as in tests) at the same catalog version may hold different catalogs."""
    import shutil

    from tests.app_helpers import make_app

    apps = []
    for name in ("one", "two"):
        shutil.copy(seeded_sqlite, tmp_path / f"{name}.sqlite3")
        apps.append(make_app(f"sqlite:///{tmp_path / name}.sqlite3"))
    answers = {"project_kind": "scripts"}
    with apps[0].app_context():
        first = create_result(answers).payload
    with apps[1].app_context():
        state = db.session.get(CatalogState, 1)
        top = next(iter(first["stacks"][0]["components"].values()))
        db.session.execute(
            sa.update(Technology)
            .where(Technology.slug == top)
            .values(name="Renamed in the second database only")
        )
        db.session.commit()
        assert state.version == first["catalog_version"]  # same version, different catalog
        second = create_result(answers).payload
    assert second["technologies"][top]["name"] == "Renamed in the second database only"
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_result_page_drops_indentation_only(app, client, saved):
    from flask import render_template

    from advisor.results.present import present

    result_id, _ = saved
    sent = client.get(f"/r/{result_id}").get_data(as_text=True)
    with app.test_request_context(f"/r/{result_id}"):
        result = db.session.get(SavedResult, result_id)
        catalog = snapshot()
        full = render_template(
            "results/show.html",
            page=present(result.payload, result.constraints, catalog),
            saved=result,
            changed=False,
        )
    assert len(sent) < 0.85 * len(full)
    assert "\n " not in sent
    assert re.sub(r"\s+", " ", sent) == re.sub(r"\s+", " ", full)


def test_a_production_snapshot_is_frozen_out_of_the_collector(db_path):
    """Production freezes each new snapshot (once per catalog version), development does not."""
    import gc

    from advisor.config import from_environment
    from tests.app_helpers import make_app

    assert (
        from_environment(str(db_path.parent), {"ADVISOR_ENV": "production", "SECRET_KEY": "s"})[
            "SNAPSHOT_GC_FREEZE"
        ]
        is True
    )
    assert from_environment(str(db_path.parent), {})["SNAPSHOT_GC_FREEZE"] is False
    app = make_app(f"sqlite:///{db_path}", SNAPSHOT_GC_FREEZE=True)
    before = gc.get_freeze_count()
    try:
        with app.app_context():
            catalog = snapshot()
            frozen = gc.get_freeze_count()
            assert frozen > before
            assert snapshot() is catalog and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        with app.app_context():
            db.engine.dispose()


def test_technology_links_carry_the_prefix_a_proxy_sets(client, saved):
    """Result pages build technology links from one url_for per request: under a path prefix
    (SCRIPT_NAME from a proxy) every link still carries it, and the plain page keeps none."""
    result_id, _ = saved
    prefixed = client.get(f"/r/{result_id}", base_url="http://localhost/advisor").get_data(as_text=True)
    plain = client.get(f"/r/{result_id}").get_data(as_text=True)
    links = re.findall(r'href="([^"]*/catalog/[a-z0-9-]+)"', prefixed)
    assert links and all(link.startswith("/advisor/catalog/") for link in links)
    plain_links = re.findall(r'href="([^"]*/catalog/[a-z0-9-]+)"', plain)
    assert sorted(plain_links) == sorted(link.removeprefix("/advisor") for link in links)
