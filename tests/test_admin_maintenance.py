"""The maintenance facts in the curators' form: edited, validated like imports, audited, versioned;
archiving stays its own action and restoring brings back the status an entry had."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from advisor.catalog.service import current_version
from tests.admin_helpers import (
    audit_rows,
    post_pairs,
    read_form,
    replace,
    tech_row,
    token,
)

EDIT = "/admin/technologies/{}/edit"
FACTS = ("status", "successor", "status_note", "latest_version", "last_release", "popularity_rank")


def open_edit(client, slug: str):
    page = client.get(EDIT.format(slug))
    assert page.status_code == 200, page.text[:500]
    return page.text, read_form(page.text)


def _version(app) -> int:
    with app.app_context():
        return current_version()


def test_maintenance_facts_are_saved_audited_and_versioned(app, curator_client):
    before, lock = tech_row(app, "psycopg2")
    version = _version(app)
    status = "deprecated" if before["status"] != "deprecated" else "maintenance"
    facts = {
        "status": status,
        "successor": "psycopg",
        "status_note": "Fixes only since 2024; psycopg 3 is the pick.",
        "latest_version": "9.9.9",
        "last_release": "2019-01",
        "popularity_rank": "99999",
    }
    html, pairs = open_edit(curator_client, "psycopg2")
    for key, value in facts.items():
        pairs = replace(pairs, key, value)
    response = post_pairs(curator_client, EDIT.format("psycopg2"), pairs + [("op", "save")])
    assert response.status_code == 303, response.text[:2000]

    after, new_lock = tech_row(app, "psycopg2")
    assert {key: after[key] for key in FACTS} == {**facts, "popularity_rank": 99999}
    assert new_lock == lock + 1 and _version(app) == version + 1
    actor, action, _, audit_version, changes = audit_rows(app, "psycopg2")[-1]
    assert (actor, action, audit_version) == ("curator@example.org", "edit", version + 1)
    assert set(changes) == {k for k in FACTS if before[k] != after[k]}
    assert changes["latest_version"] == {"old": before["latest_version"], "new": "9.9.9"}

    # The form shows what was saved, and saving it again changes nothing.
    html, pairs = open_edit(curator_client, "psycopg2")
    assert dict(pairs)["last_release"] == "2019-01" and dict(pairs)["popularity_rank"] == "99999"
    assert dict(pairs)["status"] == status
    post_pairs(curator_client, EDIT.format("psycopg2"), pairs + [("op", "save")])
    assert _version(app) == version + 1


def test_clearing_the_facts_writes_nulls(app, curator_client):
    _, pairs = open_edit(curator_client, "pymysql")
    for key in FACTS[1:]:
        pairs = replace(pairs, key, "  ")
    assert post_pairs(curator_client, EDIT.format("pymysql"), pairs + [("op", "save")]).status_code in (
        303,
        200,
    )
    entry, _ = tech_row(app, "pymysql")
    assert all(entry[key] is None for key in FACTS[1:]), entry


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("successor", "no-such-tech", "unknown technology 'no-such-tech'"),
        ("successor", "psycopg2", "cannot be its own successor"),
        ("successor", "Psycopg 3", "lowercase letters"),
        ("last_release", "2026-13", "YYYY-MM"),
        ("last_release", "Oct 2026", "YYYY-MM"),
        ("last_release", "2026-10-01", "YYYY-MM"),
        ("popularity_rank", "0", "1 or more"),
        ("popularity_rank", "-3", "1 or more"),
        ("popularity_rank", "many", "Not a valid integer"),
        ("popularity_rank", "4.5", "Not a valid integer"),
        ("latest_version", "1" * 65, "At most 64 characters."),
        ("status_note", "n" * 1001, "Status notes have at most 1000 characters."),
        ("status", "archived", "archiving is a separate action"),
        ("status", "retired", "Pick a status from the list"),
    ],
)
def test_invalid_facts_are_refused_inline_and_nothing_changes(app, curator_client, field, value, message):
    before, version = tech_row(app, "psycopg2"), _version(app)
    _, pairs = open_edit(curator_client, "psycopg2")
    pairs = replace(pairs, field, value)
    response = post_pairs(curator_client, EDIT.format("psycopg2"), pairs + [("op", "save")])
    assert response.status_code == 422
    assert str(escape(message)) in response.text, response.text[-3000:]
    assert "Nothing was saved" in response.text
    # The message sits at its field, linked for screen readers.
    assert re.search(
        rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error|'
        rf'aria-describedby="[^"]*{field}-error"[^>]*id="{field}"',
        response.text,
    )
    assert tech_row(app, "psycopg2") == before and _version(app) == version


def test_a_successor_that_is_archived_is_refused(app, curator_client):
    curator_client.post("/admin/technologies/psycopg/archive", data={"csrf_token": token(curator_client)})
    before = tech_row(app, "psycopg2")
    _, pairs = open_edit(curator_client, "psycopg2")
    response = post_pairs(
        curator_client, EDIT.format("psycopg2"), replace(pairs, "successor", "psycopg") + [("op", "save")]
    )
    assert response.status_code == 422 and str(escape("'psycopg' is archived")) in response.text
    assert tech_row(app, "psycopg2") == before


def test_status_choices_leave_archiving_to_its_own_action(app, curator_client):
    html, _ = open_edit(curator_client, "pyramid")
    select = re.search(r'<select[^>]*name="status".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option[^>]*value="([a-z_]+)"', select) == [
        "active",
        "maintenance",
        "deprecated",
        "end_of_life",
    ]
    assert ">End of life<" in select

    # An archived entry's form has no status to pick, and saving it keeps it archived.
    curator_client.post("/admin/technologies/pyramid/archive", data={"csrf_token": token(curator_client)})
    html, pairs = open_edit(curator_client, "pyramid")
    assert 'name="status"' not in html and "restore it below" in html
    pairs = replace(pairs, "latest_version", "2.0.2") + [("status", "active")]
    assert post_pairs(curator_client, EDIT.format("pyramid"), pairs + [("op", "save")]).status_code == 303
    entry, _ = tech_row(app, "pyramid")
    assert entry["status"] == "archived" and entry["latest_version"] == "2.0.2"


def test_restore_brings_back_the_status_it_had(app, curator_client):
    _, pairs = open_edit(curator_client, "pyramid")
    pairs = replace(replace(pairs, "status", "end_of_life"), "successor", "flask")
    assert post_pairs(curator_client, EDIT.format("pyramid"), pairs + [("op", "save")]).status_code == 303
    for action in ("archive", "restore"):
        response = curator_client.post(
            f"/admin/technologies/pyramid/{action}",
            data={"csrf_token": token(curator_client)},
            follow_redirects=True,
        )
        assert response.status_code == 200
    assert "Restored (end of life)" in response.text
    assert tech_row(app, "pyramid")[0]["status"] == "end_of_life"
    assert [a[1] for a in audit_rows(app, "pyramid")][-3:] == ["edit", "archive", "restore"]


def test_the_list_filters_by_every_status(app, curator_client):
    _, pairs = open_edit(curator_client, "pyramid")
    post_pairs(
        curator_client, EDIT.format("pyramid"), replace(pairs, "status", "maintenance") + [("op", "save")]
    )
    page = curator_client.get("/admin/?status=maintenance")
    assert page.status_code == 200
    assert ">Pyramid<" in page.text and ">Django<" not in page.text
    assert "maintenance only" in page.text and 'class="status status-maintenance">Maintenance<' in page.text
    assert re.search(r'<option value="end_of_life"[^>]*>End of life</option>', page.text)


def test_archiving_warns_about_entries_naming_it_as_successor(app, curator_client):
    _, pairs = open_edit(curator_client, "psycopg2")
    post_pairs(
        curator_client, EDIT.format("psycopg2"), replace(pairs, "successor", "psycopg") + [("op", "save")]
    )
    html, _ = open_edit(curator_client, "psycopg")
    assert re.search(r"Rules or successors of [^<]*psycopg2", html)


def test_the_form_offers_every_capability_of_the_vocabulary():
    """A capability missing from the form's groups would be dropped by every save (sync, managed)."""
    from advisor.engine.vocabulary import CAPABILITIES, CAPABILITY_GROUPS

    grouped = [c for names in CAPABILITY_GROUPS.values() for c in names]
    assert sorted(grouped) == sorted(CAPABILITIES)
