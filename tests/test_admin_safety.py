"""No lost updates, CSRF, escaping, and saved results that never change (test client and PostgreSQL)."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from advisor.catalog.models import AuditEntry
from advisor.extensions import db
from tests.admin_helpers import (
    ADMIN_HEAVY,
    audit_rows,
    login,
    make_user,
    post_pairs,
    read_form,
    replace,
    tech_row,
    token,
)

EDIT = "/admin/technologies/{}/edit"


def spare(pairs, kind: str) -> str:
    return [k for k, v in pairs if k.startswith(f"{kind}-") and v == ""][-1]


def second_curator(app):
    make_user(app, "second@example.org")
    other = app.test_client()
    assert login(other, "second@example.org").status_code == 303
    return other


def count_audit(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


# --- no lost updates ----------------------------------------------------------------------------


def test_second_save_from_the_same_version_gets_the_conflict_page(app, curator_client):
    other = second_curator(app)
    first = read_form(curator_client.get(EDIT.format("django")).text)
    second = read_form(other.get(EDIT.format("django")).text)

    first = replace(first, spare(first, "pros"), "pro from the first curator")
    assert post_pairs(curator_client, EDIT.format("django"), first + [("op", "save")]).status_code == 303

    second = replace(second, "ratings-performance", "4")
    second = replace(second, spare(second, "cons"), "con from the second curator")
    conflict = post_pairs(other, EDIT.format("django"), second + [("op", "save")])
    assert conflict.status_code == 409
    assert "Someone else saved Django" in conflict.text and "nothing is lost" in conflict.text
    assert "curator@example.org" in conflict.text  # who saved in between
    # Both versions side by side: theirs has the new pro, yours has your con and rating.
    assert "pro from the first curator" in conflict.text and "con from the second curator" in conflict.text
    saved, _ = tech_row(app, "django")
    assert "pro from the first curator" in saved["pros"] and saved["ratings"]["performance"] == 2
    assert [a[0] for a in audit_rows(app, "django")].count("second@example.org") == 0

    # Defaults: fields only they changed keep theirs, fields only you changed use yours.
    merge = _conflict_form(conflict.text)
    assert ("choice-pros", "theirs") in merge and ("choice-cons", "mine") in merge
    assert ("choice-ratings.performance", "mine") in merge
    review = post_pairs(other, "/admin/technologies/django/merge", merge)
    assert review.status_code == 200 and "Merged." in review.text
    assert tech_row(app, "django")[0] == saved  # merging writes nothing

    done = post_pairs(other, EDIT.format("django"), read_form(review.text) + [("op", "save")])
    assert done.status_code == 303
    merged, _ = tech_row(app, "django")
    assert "pro from the first curator" in merged["pros"]
    assert "con from the second curator" in merged["cons"]
    assert merged["ratings"]["performance"] == 4
    assert audit_rows(app, "django")[-1][0] == "second@example.org"


def _conflict_form(html: str) -> list[tuple[str, str]]:
    """The conflict page's merge form as a browser would submit it."""
    match = re.search(
        r'<form method="post" action="[^"]*/merge" class="conflict-form">.*?</form>', html, re.S
    )
    assert match, "no merge form"
    wrapped = match.group(0).replace('class="conflict-form"', 'id="merge-form" class="conflict-form"', 1)
    return read_form(wrapped, "merge-form")


def test_fields_both_curators_changed_need_a_choice(app, curator_client):
    other = second_curator(app)
    first = read_form(curator_client.get(EDIT.format("flask")).text)
    second = read_form(other.get(EDIT.format("flask")).text)
    post_pairs(
        curator_client, EDIT.format("flask"), replace(first, "summary", "Summary A") + [("op", "save")]
    )
    conflict = post_pairs(
        other, EDIT.format("flask"), replace(second, "summary", "Summary B") + [("op", "save")]
    )
    assert conflict.status_code == 409 and "You both changed this." in conflict.text
    assert re.search(r'name="choice-summary" value="theirs" required', conflict.text)
    merge = [p for p in _conflict_form(conflict.text) if p[0] != "choice-summary"] + [
        ("choice-summary", "mine")
    ]
    review = post_pairs(other, "/admin/technologies/flask/merge", merge)
    assert 'value="Summary B"' in review.text
    post_pairs(other, EDIT.format("flask"), read_form(review.text) + [("op", "save")])
    assert tech_row(app, "flask")[0]["summary"] == "Summary B"


def test_a_tampered_merge_is_refused(curator_client):
    response = curator_client.post(
        "/admin/technologies/flask/merge",
        data={"csrf_token": token(curator_client), "mine": "{not json", "theirs": "{}", "lock_version": "1"},
    )
    assert response.status_code == 400


def test_an_import_while_a_form_is_open_is_not_overwritten(app, curator_client, tmp_path):
    from advisor.catalog.service import dump_yaml

    form = read_form(curator_client.get(EDIT.format("flask")).text)
    entry, _ = tech_row(app, "flask")
    entry["pros"] = entry["pros"] + ["added by an import"]
    path = tmp_path / "one.yaml"
    path.write_text(dump_yaml([entry]), encoding="utf-8")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    response = post_pairs(
        curator_client, EDIT.format("flask"), replace(form, "summary", "mine") + [("op", "save")]
    )
    assert response.status_code == 409
    assert "added by an import" in tech_row(app, "flask")[0]["pros"]


@pytest.mark.postgres
def test_a_concurrent_write_between_check_and_save_is_caught(pg_app):
    """The UPDATE itself checks lock_version: a write that lands after our read is never overwritten."""
    from advisor.admin import service
    from advisor.catalog.service import to_entry

    with pg_app.app_context():
        tech = service.load_technology("django")
        opened_at = tech.lock_version
        entry = dict(to_entry(tech), summary="from the slow request")
        # Another worker saves in between, on its own connection.
        other = sa.create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE technology SET summary = 'from the fast request', "
                    "lock_version = lock_version + 1 WHERE slug = 'django'"
                )
            )
        other.dispose()
        outcome = service.save_edit(tech, entry, opened_at, actor="slow@example.org")
        assert outcome.status == "conflict"
        assert outcome.theirs["summary"] == "from the fast request"
        db.session.rollback()
        assert to_entry(service.load_technology("django"))["summary"] == "from the fast request"


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, extra",
    [
        (EDIT.format("django"), {"op": "save", "name": "Hacked"}),
        ("/admin/technologies/django/archive", {}),
        (
            "/admin/technologies/new",
            {"op": "save", "slug": "evil", "name": "Evil", "primary_slot": "framework"},
        ),
        (
            "/admin/users/new",
            {"email": "evil@example.org", "role": "admin", "password": "x" * 20, "confirm": "x" * 20},
        ),
        ("/admin/logout", {}),
    ],
)
@pytest.mark.parametrize("csrf", ["missing", "wrong"])
def test_posts_without_a_valid_csrf_token_are_refused_and_write_nothing(
    app, curator_client, url, extra, csrf
):
    assert app.config["WTF_CSRF_ENABLED"] is not False
    before_audit, before = count_audit(app), tech_row(app, "django")
    data = dict(extra)
    if csrf == "wrong":
        data["csrf_token"] = "not-the-token"
    response = curator_client.post(url, data=data)
    assert response.status_code == 400
    assert "Security token missing or expired" in response.text
    assert count_audit(app) == before_audit and tech_row(app, "django") == before
    assert tech_row(app, "evil") == (None, None)
    assert curator_client.get("/admin/").status_code == 200  # still logged in: logout was refused too


def test_htmx_requests_need_the_csrf_header(app, curator_client):
    form = [(k, v) for k, v in read_form(curator_client.get(EDIT.format("django")).text) if k != "csrf_token"]
    refused = post_pairs(
        curator_client, EDIT.format("django"), form + [("op", "add:pros")], headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    accepted = post_pairs(
        curator_client,
        EDIT.format("django"),
        form + [("op", "add:pros")],
        headers={"HX-Request": "true", "X-CSRFToken": token(curator_client)},
    )
    assert accepted.status_code == 200


def test_the_page_carries_the_csrf_header_for_htmx(curator_client):
    page = curator_client.get(EDIT.format("django")).text
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', page)


# --- escaping -----------------------------------------------------------------------------------

HOSTILE = ['<script>alert("pro")</script>', "<img src=x onerror=alert(1)>", '" hx-get="/admin/logout" x="']


def test_curator_text_is_shown_as_text_everywhere(app, curator_client):
    from advisor.results.service import create_result

    form = read_form(curator_client.get(EDIT.format("django")).text)
    for text in HOSTILE:
        form = replace(form, spare(form, "pros"), text)
        form = form + [(f"pros-{90 + HOSTILE.index(text)}", "")]
    form = replace(form, "summary", HOSTILE[0])
    assert post_pairs(curator_client, EDIT.format("django"), form + [("op", "save")]).status_code == 303
    with app.app_context():
        saved = create_result(ADMIN_HEAVY)
        result_id = saved.id
    assert any(HOSTILE[0] in t["pros"] for s in saved.payload["stacks"] for t in s["tradeoffs"])

    pages = [EDIT.format("django"), "/admin/technologies/django/history", "/admin/audit", "/catalog/django"]
    if "results.show" in app.view_functions:
        pages.append(f"/r/{result_id}")
    for url in pages:
        html = curator_client.get(url).text
        for text in HOSTILE:
            assert text not in html, (url, text)
        assert str(escape(HOSTILE[0])) in html or str(escape(HOSTILE[1])) in html, url
        assert "<script>alert" not in html and "<img src=x" not in html


# --- saved results never change -----------------------------------------------------------------


def test_edits_leave_saved_results_alone(app, curator_client):
    from advisor.results.service import create_result, get_result

    with app.app_context():
        old = create_result(ADMIN_HEAVY)
        old_id, old_payload, old_version = old.id, json.loads(json.dumps(old.payload)), old.catalog_version
    assert old_payload["stacks"][0]["components"]["framework"] == "django"

    form = read_form(curator_client.get(EDIT.format("django")).text)
    form = replace(form, "ratings-dev_speed", "1")
    form = replace(form, spare(form, "pros"), "a pro added after the permalink")
    assert post_pairs(curator_client, EDIT.format("django"), form + [("op", "save")]).status_code == 303

    with app.app_context():
        new = create_result(ADMIN_HEAVY)
        assert new.catalog_version == old_version + 1
        new_text = json.dumps(new.payload)
        assert (
            new.payload["stacks"][0]["score"] != old_payload["stacks"][0]["score"]
            or new.payload["stacks"][0]["components"] != old_payload["stacks"][0]["components"]
        )
        if "django" in new_text:
            assert "a pro added after the permalink" in new_text
        assert get_result(old_id).payload == old_payload
        assert get_result(old_id).catalog_version == old_version
    if "results.show" in app.view_functions:
        page = curator_client.get(f"/r/{old_id}").text
        assert "a pro added after the permalink" not in page


@pytest.mark.postgres
def test_edit_create_and_archive_on_postgresql(pg_app):
    make_user(pg_app, "pg@example.org")
    client = pg_app.test_client()
    assert login(client, "pg@example.org").status_code == 303
    form = read_form(client.get(EDIT.format("fastapi")).text)
    form = replace(replace(form, "ratings-typing", "4"), spare(form, "pros"), "saved on PostgreSQL")
    assert post_pairs(client, EDIT.format("fastapi"), form + [("op", "save")]).status_code == 303
    new = read_form(client.get("/admin/technologies/new").text)
    new = replace(replace(replace(new, "slug", "pg-lib"), "name", "PG lib"), "primary_slot", "orm")
    assert post_pairs(client, "/admin/technologies/new", new + [("op", "save")]).status_code == 303
    client.post("/admin/technologies/pg-lib/archive", data={"csrf_token": token(client)})
    assert [a[1] for a in audit_rows(pg_app)][-3:] == ["edit", "create", "archive"]
    assert "saved on PostgreSQL" in client.get("/admin/technologies/fastapi/history").text
    assert "pg-lib" in client.get("/admin/?q=pg-l", headers={"HX-Request": "true"}).text
