"""Catalog screens through the test client: list, edit, rows, validation, create, archive, audit."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from advisor.catalog.models import AuditEntry, Technology
from advisor.extensions import db
from tests.admin_helpers import (
    ADMIN_HEAVY,
    audit_rows,
    field_names,
    post_pairs,
    read_form,
    replace,
    tech_row,
)

EDIT = "/admin/technologies/{}/edit"
HX = {"HX-Request": "true"}


def open_edit(client, slug: str):
    page = client.get(EDIT.format(slug))
    assert page.status_code == 200, page.text[:500]
    return page.text, read_form(page.text)


def spare(pairs, kind: str) -> str:
    """The name of the spare (empty) row of a line group."""
    return [k for k, v in pairs if k.startswith(f"{kind}-") and v == ""][-1]


def count_audit(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


# --- list ---------------------------------------------------------------------------------------


def test_list_shows_every_technology_with_status(curator_client):
    page = curator_client.get("/admin/")
    assert page.status_code == 200
    assert "126 technologies" in page.text or re.search(r"\d+ technologies", page.text)
    assert "status-active" in page.text
    assert 'hx-trigger="input changed delay:300ms, search"' in page.text
    assert 'rel="next"' in page.text  # paginated


def test_search_as_you_type_returns_the_table_fragment(curator_client):
    response = curator_client.get("/admin/?q=DJan", headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="tech-table-container"' in response.text
    assert ">Django<" in response.text and ">Flask<" not in response.text


def test_filter_by_slot_and_status(app, curator_client):
    orms = curator_client.get("/admin/?slot=orm", headers=HX).text
    assert "SQLAlchemy" in orms and ">Django<" not in orms
    curator_client.post("/admin/technologies/flask/archive", data={"csrf_token": _token(curator_client)})
    archived = curator_client.get("/admin/?status=archived").text
    assert ">Flask<" in archived and ">Django<" not in archived
    assert "SQLAlchemy" not in curator_client.get("/admin/?q=zzz-no-such").text


def test_search_treats_like_wildcards_literally(curator_client):
    assert "No technology matches" in curator_client.get("/admin/?q=%25%25%25_", headers=HX).text


def _token(client) -> str:
    from tests.admin_helpers import token

    return token(client)


# --- edit: round trip, save, audit --------------------------------------------------------------


@pytest.mark.slow
def test_every_entry_survives_an_unchanged_save(app, curator_client):
    """Opening and saving any technology's form changes nothing: the form covers every field."""
    with app.app_context():
        slugs = list(db.session.scalars(sa.select(Technology.slug).order_by(Technology.slug)))
    before = count_audit(app)
    for slug in slugs:
        _, pairs = open_edit(curator_client, slug)
        response = post_pairs(curator_client, EDIT.format(slug), pairs + [("op", "save")])
        assert response.status_code == 303, (slug, response.text[:2000])
    assert count_audit(app) == before
    assert "Nothing had changed" in curator_client.get(EDIT.format("django")).text


def test_edit_ratings_and_pros_is_saved_audited_and_versioned(app, curator_client):
    entry, lock = tech_row(app, "django")
    _, pairs = open_edit(curator_client, "django")
    pairs = replace(pairs, "ratings-dev_speed", "4")
    pairs = replace(pairs, spare(pairs, "pros"), "curators can edit it")
    pairs = replace(pairs, "pros-1", "")  # clearing a line removes it
    response = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "save")])
    assert response.status_code == 303 and response.location == EDIT.format("django")
    assert "Saved Django" in curator_client.get(response.location).text

    after, new_lock = tech_row(app, "django")
    assert after["ratings"]["dev_speed"] == 4
    assert after["pros"] == [p for i, p in enumerate(entry["pros"]) if i != 1] + ["curators can edit it"]
    assert new_lock == lock + 1
    actor, action, slug, version, changes = audit_rows(app, "django")[-1]
    assert (actor, action, slug) == ("curator@example.org", "edit", "django")
    assert set(changes) == {"pros", "ratings"}
    assert changes["ratings"]["old"]["dev_speed"] == 5 and changes["ratings"]["new"]["dev_speed"] == 4
    history = curator_client.get("/admin/technologies/django/history").text
    assert "curators can edit it" in history and "curator@example.org" in history
    assert "Development speed" in history
    audit = curator_client.get("/admin/audit?action=edit").text
    assert "django" in audit and f"catalog version {version}" in audit


def test_child_only_edits_still_bump_the_lock_version(app, curator_client):
    _, lock = tech_row(app, "flask")
    _, pairs = open_edit(curator_client, "flask")
    pairs = replace(pairs, spare(pairs, "cons"), "a new con")
    post_pairs(curator_client, EDIT.format("flask"), pairs + [("op", "save")])
    assert tech_row(app, "flask")[1] == lock + 1


def test_edit_slots_capabilities_and_basics(app, curator_client):
    _, pairs = open_edit(curator_client, "flask")
    pairs = [(k, v) for k, v in pairs if k not in ("capabilities",)] + [
        ("capabilities", "wsgi"),
        ("capabilities", "templating"),
        ("other_slots", "testing"),
    ]
    pairs = replace(pairs, "name", "  Flask (edited)  ")
    pairs = replace(pairs, "aliases", "flask-framework, pallets flask ,")
    pairs = replace(pairs, "description", "Line one.\r\nLine two.")
    post_pairs(curator_client, EDIT.format("flask"), pairs + [("op", "save")])
    entry, _ = tech_row(app, "flask")
    assert entry["name"] == "Flask (edited)"
    assert entry["aliases"] == ["flask-framework", "pallets flask"]
    assert entry["description"] == "Line one.\nLine two."
    assert entry["capabilities"] == ["templating", "wsgi"]
    assert entry["slots"] == ["framework", "testing"]


@pytest.mark.slow
def test_other_workers_see_the_new_version_at_their_next_request(app, db_path, curator_client):
    from advisor.catalog.service import snapshot
    from tests.app_helpers import make_app

    other = make_app(f"sqlite:///{db_path}")
    with other.app_context():
        old = snapshot()
    _, pairs = open_edit(curator_client, "django")
    pairs = replace(pairs, spare(pairs, "pros"), "seen by every worker")
    post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "save")])
    with other.app_context():
        new = snapshot()
    assert new.version == old.version + 1
    assert "seen by every worker" in new.techs["django"].pros


# --- rows ---------------------------------------------------------------------------------------


def test_htmx_adds_and_removes_rows_keeping_what_was_typed(app, curator_client):
    before = count_audit(app)
    _, pairs = open_edit(curator_client, "django")
    pairs = replace(pairs, spare(pairs, "pros"), "typed but not saved")
    added = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "add:pros")], headers=HX)
    assert added.status_code == 200
    assert added.text.lstrip().startswith('<fieldset id="pros-container"')
    assert "typed but not saved" in added.text
    rows = re.findall(r'name="(pros-\d+)"', added.text)
    assert len(rows) == len(field_names(pairs, "pros-")) + 1
    assert "autofocus" in added.text

    first = field_names(pairs, "pros-")[0]
    removed = post_pairs(
        curator_client, EDIT.format("django"), pairs + [("op", f"remove:{first}")], headers=HX
    )
    assert dict(pairs)[first] not in removed.text
    assert "typed but not saved" in removed.text
    assert count_audit(app) == before and tech_row(app, "django")[1] == 1  # nothing saved


def test_rows_work_without_javascript(app, curator_client):
    _, pairs = open_edit(curator_client, "django")
    rules_before = len({k.split("-")[1] for k in field_names(pairs, "rules-")})  # the spare included
    spare_rule = [k for k in field_names(pairs, "rules-") if k.endswith("-reason")][-1]
    pairs = replace(pairs, "name", "Django, renamed but unsaved")
    pairs = replace(pairs, spare_rule, "a reason typed in the spare rule")
    page = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "add:rules")])
    assert page.status_code == 200 and "<html" in page.text
    assert "Django, renamed but unsaved" in page.text and "a reason typed in the spare rule" in page.text
    assert len(re.findall(r"<h3>Rule \d+", page.text)) == rules_before + 1
    assert tech_row(app, "django")[0]["name"] == "Django"


def test_remove_a_rule_and_save(app, curator_client):
    entry, _ = tech_row(app, "django")
    _, pairs = open_edit(curator_client, "django")
    page = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "remove:rules-0")])
    post_pairs(curator_client, EDIT.format("django"), read_form(page.text) + [("op", "save")])
    assert tech_row(app, "django")[0]["rules"] == entry["rules"][1:]


def test_add_a_rule_picking_the_target_from_the_catalog(app, curator_client):
    html, pairs = open_edit(curator_client, "flask")
    new = [k for k in field_names(pairs, "rules-") if k.endswith("-kind")][-1].rsplit("-", 1)[0]
    assert re.search(
        rf'<select[^>]*multiple[^>]*name="{new}-targets"|name="{new}-targets"[^>]*multiple', html
    )
    assert '<option value="structlog">' in html  # active technologies are offered
    pairs = replace(pairs, f"{new}-kind", "works_well_with")
    pairs = pairs + [(f"{new}-targets", "structlog")]
    pairs = replace(pairs, f"{new}-strength", "3")
    pairs = replace(pairs, f"{new}-reason", "Structured logs from Flask apps.")
    response = post_pairs(curator_client, EDIT.format("flask"), pairs + [("op", "save")])
    assert response.status_code == 303
    rule = tech_row(app, "flask")[0]["rules"][-1]
    assert rule == {
        "kind": "works_well_with",
        "targets": ["structlog"],
        "slot": None,
        "when_in": None,
        "strength": 3,
        "reason": "Structured logs from Flask apps.",
    }


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("ratings-performance", "7", "Ratings go from 1 (weak) to 5 (strong)."),
        ("ratings-performance", "0", "Ratings go from 1 (weak) to 5 (strong)."),
        ("ratings-performance", "three", "Not a valid integer value."),
        ("ratings-performance", "", "Give a rating from 1 to 5."),
        ("name", "", "Give the technology a name."),
        ("homepage", "javascript:alert(1)", "Homepages are http:// or https:// addresses."),
        ("summary", "x" * 281, "Summaries have at most 280 characters."),
        ("primary_slot", "", "Pick the slot this technology fills."),
        ("primary_slot", "spaceship", "Not a valid choice."),
        ("pros-0", "y" * 501, "Keep each line under 500 characters."),
    ],
)
def test_invalid_input_is_refused_inline_and_kept(app, curator_client, field, value, message):
    before = tech_row(app, "django")
    _, pairs = open_edit(curator_client, "django")
    pairs = replace(pairs, field, value)
    pairs = replace(pairs, spare(pairs, "cons"), "typed and kept")
    response = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "save")])
    assert response.status_code == 422
    assert message in response.text
    assert "Nothing was saved" in response.text and 'aria-invalid="true"' in response.text
    assert "typed and kept" in response.text
    if value and len(value) < 100 and field != "primary_slot":
        assert f'value="{value}"' in response.text
    assert tech_row(app, "django") == before


def test_rules_cannot_point_at_archived_or_missing_technologies(app, curator_client):
    curator_client.post("/admin/technologies/uwsgi/archive", data={"csrf_token": _token(curator_client)})
    before = tech_row(app, "django")
    _, pairs = open_edit(curator_client, "django")
    rule = [k for k in field_names(pairs, "rules-") if k.endswith("-kind")][-1].rsplit("-", 1)[0]
    for target, message in (
        ("uwsgi", "'uwsgi' is archived; pick another technology."),
        ("no-such-tech", "'no-such-tech' is not in the catalog."),
    ):
        attempt = replace(pairs, f"{rule}-reason", "A reason") + [(f"{rule}-targets", target)]
        response = post_pairs(curator_client, EDIT.format("django"), attempt + [("op", "save")])
        assert response.status_code == 422
        assert escape(message) in response.text
        assert tech_row(app, "django") == before
    # A rule with a reason but no technology is not silently dropped either.
    attempt = replace(pairs, f"{rule}-reason", "A reason")
    response = post_pairs(curator_client, EDIT.format("django"), attempt + [("op", "save")])
    assert "Pick at least one technology" in response.text


def test_archived_targets_are_not_offered_but_shown_when_already_picked(app, curator_client):
    curator_client.post("/admin/technologies/daphne/archive", data={"csrf_token": _token(curator_client)})
    html, _ = open_edit(curator_client, "flask")
    assert '<option value="daphne">' not in html
    html, _ = open_edit(curator_client, "django")  # django requires one of several servers, daphne included
    assert "daphne, archived" in html


# --- create -------------------------------------------------------------------------------------


def _new_pairs(client, **fields):
    page = client.get("/admin/technologies/new")
    pairs = read_form(page.text)
    for name, value in fields.items():
        pairs = replace(pairs, name, value)
    return pairs


def test_create_a_technology(app, curator_client):
    assert tech_row(app, "blacksheep") == (None, None)
    pairs = _new_pairs(
        curator_client,
        slug="blacksheep",
        name="BlackSheep",
        primary_slot="framework",
        **{"pros-0": "fast and typed", "ratings-performance": "5"},
    )
    pairs += [("capabilities", "asgi"), ("capabilities", "async")]
    response = post_pairs(curator_client, "/admin/technologies/new", pairs + [("op", "save")])
    assert response.status_code == 303 and response.location == EDIT.format("blacksheep")
    entry, _ = tech_row(app, "blacksheep")
    assert entry["slots"] == ["framework"] and entry["pros"] == ["fast and typed"]
    assert entry["ratings"]["performance"] == 5 and entry["ratings"]["typing"] == 3
    assert audit_rows(app, "blacksheep")[-1][:3] == ("curator@example.org", "create", "blacksheep")
    assert "BlackSheep" in curator_client.get("/admin/?q=blacks").text


@pytest.mark.parametrize(
    "slug, message",
    [
        ("django", "There is already a technology with the slug 'django'."),
        ("Not A Slug", "Slugs are lowercase letters, digits and dashes"),
        ("", "Give the technology a slug."),
    ],
)
def test_create_refuses_bad_and_duplicate_slugs(app, curator_client, slug, message):
    before = count_audit(app)
    pairs = _new_pairs(curator_client, slug=slug, name="Something", primary_slot="framework")
    response = post_pairs(curator_client, "/admin/technologies/new", pairs + [("op", "save")])
    assert response.status_code == 422 and escape(message) in response.text
    assert 'value="Something"' in response.text
    assert count_audit(app) == before


# --- archive and restore ------------------------------------------------------------------------


def test_archive_and_restore(app, curator_client):
    from advisor.catalog.service import current_version

    with app.app_context():
        version = current_version()
    response = curator_client.post(
        "/admin/technologies/pyramid/archive", data={"csrf_token": _token(curator_client)}
    )
    assert response.status_code == 303
    assert tech_row(app, "pyramid")[0]["status"] == "archived"
    assert audit_rows(app, "pyramid")[-1][1] == "archive"
    assert curator_client.get("/catalog/pyramid").status_code == 404
    assert "archived" in curator_client.get(EDIT.format("pyramid")).text
    curator_client.post("/admin/technologies/pyramid/restore", data={"csrf_token": _token(curator_client)})
    assert tech_row(app, "pyramid")[0]["status"] == "active"
    assert [a[1] for a in audit_rows(app, "pyramid")][-2:] == ["archive", "restore"]
    with app.app_context():
        assert current_version() == version + 2


def test_restore_is_refused_while_its_rules_name_archived_technologies(app, curator_client):
    for slug in ("django-orm", "django"):
        curator_client.post(
            f"/admin/technologies/{slug}/archive", data={"csrf_token": _token(curator_client)}
        )
    response = curator_client.post(
        "/admin/technologies/django-orm/restore",
        data={"csrf_token": _token(curator_client)},
        follow_redirects=True,
    )
    assert "Cannot restore" in response.text and escape("'django' is archived") in response.text
    assert tech_row(app, "django-orm")[0]["status"] == "archived"


def test_archived_technologies_leave_new_recommendations_but_stay_in_saved_results(app, curator_client):
    from advisor.results.service import create_result, get_result

    constraints = ADMIN_HEAVY
    with app.app_context():
        saved = create_result(constraints)
        saved_id, payload = saved.id, saved.payload
    assert payload["stacks"][0]["components"]["framework"] == "django"
    curator_client.post("/admin/technologies/django/archive", data={"csrf_token": _token(curator_client)})
    with app.app_context():
        fresh = create_result(constraints)
        assert all("django" not in s["components"].values() for s in fresh.payload["stacks"])
        assert get_result(saved_id).payload == payload


# --- audit --------------------------------------------------------------------------------------


def test_whole_catalog_audit_is_paginated_and_filterable(app, curator_client):
    first = curator_client.get("/admin/audit")
    assert first.status_code == 200 and "Page 1 of" in first.text
    assert 'rel="next"' in first.text
    second = curator_client.get("/admin/audit?page=2")
    assert "Page 2 of" in second.text
    assert "No changes recorded" in curator_client.get("/admin/audit?action=edit").text
    assert "0 entries" in curator_client.get("/admin/audit?action=archive").text
    with app.app_context():  # the seed created one entry per technology, 25 to a page
        pages = -(-db.session.scalar(sa.select(sa.func.count()).select_from(Technology)) // 25)
    created = curator_client.get("/admin/audit?action=create").text
    assert f"Page 1 of {pages}" in created and "action=create" in created  # the filter is kept across pages
    assert curator_client.get("/admin/audit?page=999").status_code == 200


def test_history_of_one_technology(curator_client):
    page = curator_client.get("/admin/technologies/django/history")
    assert page.status_code == 200 and "History of Django" in page.text
    assert "seed" in page.text
    assert curator_client.get("/admin/technologies/no-such-thing/history").status_code == 404


# --- preview ------------------------------------------------------------------------------------


def test_preview_shows_the_impact_without_saving(app, curator_client):
    before_audit, before = count_audit(app), tech_row(app, "django")
    _, pairs = open_edit(curator_client, "django")
    for axis in ("dev_speed", "maturity", "ecosystem", "learnability"):
        pairs = replace(pairs, f"ratings-{axis}", "1")
    response = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "preview")], headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preview-container"')
    assert "admin-heavy content site" in response.text
    assert "must use Django" in response.text
    assert re.search(r"<strong>[1-9]\d*</strong> of \d+ reference answers would change", response.text)
    assert 'class="changed"' in response.text
    assert count_audit(app) == before_audit and tech_row(app, "django") == before


def test_preview_without_javascript_renders_the_whole_form(curator_client):
    _, pairs = open_edit(curator_client, "flask")
    pairs = replace(pairs, "ratings-performance", "5")
    page = post_pairs(curator_client, EDIT.format("flask"), pairs + [("op", "preview")])
    assert "<html" in page.text and "reference answers would change" in page.text
    assert re.search(r'<input id="ratings-performance"[^>]*value="5"', page.text)


def test_preview_of_an_invalid_form_lists_the_problems(curator_client):
    _, pairs = open_edit(curator_client, "flask")
    pairs = replace(pairs, "ratings-performance", "9")
    response = post_pairs(curator_client, EDIT.format("flask"), pairs + [("op", "preview")], headers=HX)
    assert response.status_code == 200 and "Fix these first" in response.text
    assert "Ratings go from 1 (weak) to 5 (strong)." in response.text


def test_preview_of_a_new_technology(curator_client):
    pairs = _new_pairs(curator_client, slug="new-orm", name="New ORM", primary_slot="orm")
    response = post_pairs(curator_client, "/admin/technologies/new", pairs + [("op", "preview")], headers=HX)
    assert "reference answers would change" in response.text


def test_add_a_line_reuses_an_empty_spare_line(curator_client):
    _, pairs = open_edit(curator_client, "django")
    response = post_pairs(curator_client, EDIT.format("django"), pairs + [("op", "add:cons")], headers=HX)
    rows = re.findall(r'<input[^>]*name="cons-\d+"[^>]*>', response.text)
    assert len(rows) == len(field_names(pairs, "cons-"))
    assert "autofocus" in rows[-1] and 'value=""' in rows[-1]
