"""Curator screens under hostile posts: too many rows, absurd version markers and page numbers are
400s with a message; only a lost database connection is a 503; authenticated pages are no-store."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa

from tests.admin_helpers import (
    login,
    make_user,
    post_pairs,
    read_form,
    replace,
    tech_row,
)

EDIT = "/admin/technologies/{}/edit"


def _edit_pairs(client, slug: str = "flask"):
    page = client.get(EDIT.format(slug))
    assert page.status_code == 200
    return read_form(page.text)


def _without(pairs, prefix: str):
    return [(k, v) for k, v in pairs if not k.startswith(prefix)]


@pytest.mark.parametrize("rows", [36, 200])
def test_too_many_line_rows_are_a_400_with_a_message(app, curator_client, rows):
    pairs = _without(_edit_pairs(curator_client), "pros-")
    pairs += [(f"pros-{i}", f"pro {i}") for i in range(rows)]
    before = tech_row(app, "flask")
    response = post_pairs(curator_client, EDIT.format("flask"), pairs)
    assert response.status_code == 400, response.status_code
    assert "Too many Pros rows" in response.text
    assert tech_row(app, "flask") == before


@pytest.mark.parametrize("rows", [45, 300])
def test_too_many_rule_rows_are_a_400_with_a_message(app, curator_client, rows):
    pairs = _without(_edit_pairs(curator_client), "rules-")
    for i in range(rows):
        pairs += [
            (f"rules-{i}-kind", "works_well_with"),
            (f"rules-{i}-targets", "django"),
            (f"rules-{i}-strength", "2"),
            (f"rules-{i}-reason", ""),
        ]
    response = post_pairs(curator_client, EDIT.format("flask"), pairs)
    assert response.status_code == 400, response.status_code
    assert "Too many rules rows" in response.text


def test_rows_up_to_the_form_cap_are_an_ordinary_422(curator_client):
    """31-34 filled rows are over the 30-line limit but within what the form holds: a form error."""
    pairs = _without(_edit_pairs(curator_client), "pros-")
    pairs += [(f"pros-{i}", f"pro {i}") for i in range(34)]
    response = post_pairs(curator_client, EDIT.format("flask"), pairs)
    assert response.status_code == 422
    assert "At most 30 lines." in response.text


@pytest.mark.parametrize("value", ["9" * 5000, "-1", "1e3", "12" + "\u0663"])
def test_an_absurd_lock_version_is_a_400(app, curator_client, value):
    pairs = replace(_edit_pairs(curator_client), "lock_version", value)
    before = tech_row(app, "flask")
    response = post_pairs(curator_client, EDIT.format("flask"), replace(pairs, "summary", "Changed."))
    assert response.status_code == 400, response.status_code
    assert "reload the page" in response.text.lower()
    assert tech_row(app, "flask") == before


@pytest.mark.parametrize("value", ["9" * 5000, "3", ""])
def test_the_merge_form_takes_only_a_sane_lock_version(app, curator_client, value):
    entry, _ = tech_row(app, "flask")
    csrf = dict(_edit_pairs(curator_client))["csrf_token"]
    response = curator_client.post(
        "/admin/technologies/flask/merge",
        data={
            "csrf_token": csrf,
            "mine": json.dumps(entry),
            "theirs": json.dumps(entry),
            "lock_version": value,
        },
    )
    assert response.status_code == (200 if value == "3" else 400)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/audit?page=9223372036854775807",
        "/admin/audit?page=99999999999999999999999",
        "/admin/technologies/flask/history?page=9223372036854775807",
        "/admin/?page=9223372036854775807",
    ],
)
def test_absurd_page_numbers_are_a_400_not_a_database_outage(curator_client, caplog, path):
    with caplog.at_level(logging.INFO, logger="advisor"):
        response = curator_client.get(path)
    assert response.status_code == 400, response.status_code
    assert "page" in response.text.lower()
    assert not [r for r in caplog.records if "database unavailable" in r.getMessage()]


@pytest.mark.parametrize("path", ["/admin/audit?page=0", "/admin/audit?page=-3", "/admin/audit?page=x"])
def test_page_numbers_that_are_not_pages_are_a_400(curator_client, path):
    assert curator_client.get(path).status_code == 400


def test_a_plain_large_page_number_is_an_empty_page(curator_client):
    assert curator_client.get("/admin/audit?page=5000").status_code == 200


def test_only_a_lost_connection_is_a_503(app, caplog):
    """Other database errors are bugs: a 500 that says so and logs the traceback, not a 503 that
    blames an outage."""

    def integrity():
        raise sa.exc.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    def data_error():
        raise sa.exc.DataError("SELECT", {}, Exception("integer out of range"))

    def gone():
        raise sa.exc.OperationalError(
            "SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True
        )

    for name, view in (("integrity", integrity), ("data", data_error), ("gone", gone)):
        app.add_url_rule(f"/_db_test/{name}", view_func=view)
    client = app.test_client()
    with caplog.at_level(logging.INFO, logger="advisor"):
        assert client.get("/_db_test/integrity").status_code == 500
        assert client.get("/_db_test/data").status_code == 500
        gone_response = client.get("/_db_test/gone")
    assert gone_response.status_code == 503 and gone_response.headers["Retry-After"]
    outages = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(outages) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/audit",
        EDIT.format("flask"),
        "/admin/technologies/new",
        "/admin/account/password",
        "/admin/technologies/flask/history",
    ],
)
def test_authenticated_admin_pages_are_no_store(curator_client, path):
    response = curator_client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_admin_pages_for_admins_and_the_login_page_are_no_store(app, admin_client):
    assert "no-store" in admin_client.get("/admin/users").headers.get("Cache-Control", "")
    anonymous = app.test_client()
    assert "no-store" in anonymous.get("/admin/login").headers.get("Cache-Control", "")


def test_a_homepage_with_a_trailing_newline_is_refused(app, curator_client):
    pairs = replace(_edit_pairs(curator_client), "homepage", "https://flask.example/\n")
    response = post_pairs(curator_client, EDIT.format("flask"), pairs)
    assert response.status_code == 422
    assert "Homepages are http:// or https:// addresses." in response.text


def test_an_email_with_a_trailing_newline_is_refused_at_login(app, client):
    make_user(app, "curator@example.org")
    response = login(client, "curator@example.org\n\n x")
    assert response.status_code == 200 and "Enter an email address like" in response.text
