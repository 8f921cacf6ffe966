"""A clash's ways out in the wizard: the engine's suggestions as one-click fixes, with and without htmx."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from advisor.catalog.models import Technology
from advisor.catalog.service import apply_entries, to_entry
from advisor.engine import ConstraintError
from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import create_result
from advisor.wizard import fixes, steps
from tests.wizard_helpers import (
    ANSWERS,
    CLASH,
    HTMX,
    checked_values,
    count_queries,
    csrf_token,
    edit_technology,
    fix_forms,
    post_step,
    reads,
    result_id_from,
    saved_count,
)


def _clash(client, htmx: bool = False):
    """Answer the first steps, then a last step that clashes; returns (token, response)."""
    token = csrf_token(client)
    for name in ("kind", "features"):
        assert post_step(client, name, ANSWERS[name], token).status_code == 303
    return token, post_step(client, "deploy", CLASH, token, htmx=htmx)


def _session_constraints(client) -> dict:
    with client.session_transaction() as session:
        return dict(session[steps.SESSION_KEY])


def _engine_suggestions(app, constraints: dict) -> list[dict]:
    with app.app_context(), pytest.raises(ConstraintError) as caught:
        create_result(constraints)
    return caught.value.suggestions


def _replacing(offered: list[dict], slug: str) -> dict:
    """The fix that swaps `slug` in must-use for another technology."""
    return next(
        f
        for f in offered
        if slug not in f["constraints"]["must_use"]
        and len(f["constraints"]["must_use"]) == len(CLASH["must_use"])
    )


def _post_fix(client, constraints, token: str | None, htmx: bool = False, raw: str | None = None):
    value = raw if raw is not None else json.dumps(constraints)
    data = {"constraints": value}
    headers = {}
    if htmx:
        headers = {**HTMX, **({"X-CSRFToken": token} if token else {})}
    elif token:
        data["csrf_token"] = token
    return client.post("/wizard/fix", data=data, headers=headers)


# --- the clash page ------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_clash_page_offers_every_suggestion_as_a_fix(client, app, htmx):
    _, response = _clash(client, htmx=htmx)
    assert response.status_code == (200 if htmx else 422)
    html = response.get_data(as_text=True)
    assert "cannot be in one stack" in html
    expected = _engine_suggestions(app, _session_constraints(client))
    assert expected, "the engine should find a way out of this clash"
    offered = fix_forms(html)
    assert [f["text"] for f in offered] == [s["text"] for s in expected]
    assert [f["constraints"] for f in offered] == [s["constraints"] for s in expected]
    assert all(f["action"] == "/wizard/fix" and f["csrf"] for f in offered)
    # The fixes sit under the error summary, outside the step's own form.
    assert html.index('class="error-summary"') < html.index('id="fixes-container"') < html.index("<h1")
    buttons = re.findall(r'<button type="submit" class="fix-button"[^>]*>', html)
    assert len(buttons) == len(offered)
    assert all('hx-post="/wizard/fix"' in b and "X-CSRFToken" in b for b in buttons)


def test_each_fix_says_what_it_changes_in_words(client, app):
    _, response = _clash(client)
    offered = fix_forms(response.get_data(as_text=True))
    swap = _replacing(offered, "django-orm")
    added = (set(swap["constraints"]["must_use"]) - set(CLASH["must_use"])).pop()
    with app.app_context():
        name = db.session.scalar(sa.select(Technology.name).where(Technology.slug == added))
    assert swap["changes"] == f"Must use: adds {name}, removes Django ORM"
    dropped = next(f for f in offered if f["constraints"]["must_use"] == ["flask"])
    assert dropped["changes"] == "Must use: removes Django ORM"


def test_changes_name_every_kind_of_answer_in_words():
    before = {
        "project_kind": "web_app",
        "features": ["admin_ui", "caching"],
        "deployment": "paas",
        "priorities": {"performance": 4},
        "must_use": ["flask"],
        "avoid": [],
    }
    after = {
        "project_kind": "web_app",
        "features": ["caching"],
        "deployment": "containers",
        "priorities": {"performance": 2, "typing": 1},
        "must_use": ["flask"],
        "avoid": ["django"],
        "scale": "small",
    }  # the default scale: not a change
    assert fixes.changes(before, after, {"django": "Django"}) == [
        ("Features", "removes Admin interface"),
        ("Priorities", "Performance 2/5 instead of 4/5, Typing 1/5 instead of 0/5"),
        ("Deployment", "Containers instead of Platform as a service"),
        ("Avoid", "adds Django"),
    ]
    assert fixes.changes(before, dict(before, must_use=["flask"]), {}) == []


# --- applying a fix -----------------------------------------------------------------------------


def test_a_fix_becomes_the_answers_and_leads_to_its_result(client, app):
    token, response = _clash(client)
    fix = _replacing(fix_forms(response.get_data(as_text=True)), "django-orm")
    applied = _post_fix(client, fix["constraints"], token)
    assert applied.status_code == 303
    result_id = result_id_from(applied)
    with app.app_context():
        assert db.session.get(SavedResult, result_id).constraints == fix["constraints"]
    assert client.get(f"/r/{result_id}").status_code == 200
    # Back in the wizard, the answers are the fix's: the new must-use, the features kept.
    deploy = client.get("/wizard/deploy").get_data(as_text=True)
    assert checked_values(deploy, "must_use") == set(fix["constraints"]["must_use"])
    assert checked_values(deploy, "deployment") == {"paas"}
    assert checked_values(client.get("/wizard/features").get_data(as_text=True), "features") == set(
        ANSWERS["features"]["features"]
    )


def test_an_htmx_fix_redirects_the_browser(client, app):
    token, response = _clash(client, htmx=True)
    fix = fix_forms(response.get_data(as_text=True))[0]
    applied = _post_fix(client, fix["constraints"], token, htmx=True)
    assert applied.status_code == 200
    result_id = result_id_from(applied, htmx=True)
    with app.app_context():
        assert db.session.get(SavedResult, result_id).constraints == fix["constraints"]


def test_applying_a_fix_runs_a_small_constant_number_of_queries(client, app):
    token, response = _clash(client)
    fix = fix_forms(response.get_data(as_text=True))[0]
    with count_queries(app) as statements:
        assert _post_fix(client, fix["constraints"], token).status_code == 303
    assert len(reads(statements)) <= 3, statements  # version (form check, engine), insert


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_fix_without_the_csrf_token_is_refused_and_writes_nothing(client, app, htmx):
    _, response = _clash(client)
    fix = fix_forms(response.get_data(as_text=True))[0]
    before = _session_constraints(client)
    refused = _post_fix(client, fix["constraints"], None, htmx=htmx)
    assert refused.status_code == 400
    assert "Security token missing" in refused.get_data(as_text=True)
    assert saved_count(app) == 0
    assert _session_constraints(client) == before


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ('["flask"]', "must be a JSON object"),
        ('{"project_kind": "spaceship"}', "project_kind: &#39;spaceship&#39; is not one of"),
        (
            '{"project_kind": "rest_api", "must_use": ["cobol-on-cogs"]}',
            "must_use: Unknown technology: cobol-on-cogs.",
        ),
        ('{"project_kind": "rest_api", "admin": true}', "admin: Unknown field."),
        ('{"project_kind": "rest_api", "priorities": {"typing": 9}}', "priorities: typing:"),
    ],
    ids=["broken", "empty", "array", "vocabulary", "unknown-slug", "extra-key", "out-of-range"],
)
def test_a_tampered_fix_is_a_clear_400_and_writes_nothing(client, app, raw, says):
    token, _ = _clash(client)
    before = _session_constraints(client)
    refused = _post_fix(client, None, token, raw=raw)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "This fix cannot be applied" in html and says in html
    assert saved_count(app) == 0
    assert _session_constraints(client) == before


def test_a_fix_without_its_field_is_a_400(client, app):
    token, _ = _clash(client)
    refused = client.post("/wizard/fix", data={"csrf_token": token})
    assert refused.status_code == 400 and "The fix carries no constraints." in refused.get_data(as_text=True)
    json_client = client.post(
        "/wizard/fix", data={"csrf_token": token, "constraints": "[]"}, headers={"Accept": "application/json"}
    )
    assert json_client.status_code == 400 and "constraints" in json_client.get_json()["errors"]


# --- a fix that no longer works -------------------------------------------------------------------


def _forbid(app, slug: str, other: str) -> None:
    """A curator's edit: `slug` now conflicts with `other` (one new catalog version)."""
    with app.app_context():
        entry = to_entry(db.session.scalar(sa.select(Technology).where(Technology.slug == slug)))
        entry["rules"].append(
            {
                "kind": "conflicts",
                "targets": [other],
                "slot": None,
                "when_in": None,
                "strength": 3,
                "reason": "A curator found they break each other.",
            }
        )
        apply_entries([entry], "curator@example.com", "update")
        db.session.commit()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_fix_the_catalog_has_since_ruled_out_shows_the_new_clash_and_its_fixes(client, app, htmx):
    token, response = _clash(client)
    fix = _replacing(fix_forms(response.get_data(as_text=True)), "django-orm")
    added = (set(fix["constraints"]["must_use"]) - {"flask"}).pop()
    _forbid(app, "flask", added)
    again = _post_fix(client, fix["constraints"], token, htmx=htmx)
    assert again.status_code == (200 if htmx else 422)
    assert "HX-Redirect" not in again.headers and "Location" not in again.headers
    html = again.get_data(as_text=True)
    assert "cannot be in one stack" in html and "A curator found they break each other" in html
    fresh = fix_forms(html)
    assert [f["constraints"] for f in fresh] == [
        s["constraints"] for s in _engine_suggestions(app, fix["constraints"])
    ]
    assert fresh and all(set(f["constraints"]["must_use"]) != {"flask", added} for f in fresh)
    # The page shows the fix's answers, and those are now the wizard's.
    assert checked_values(html, "must_use") == {"flask", added}
    assert _session_constraints(client)["must_use"] == sorted(["flask", added])
    assert saved_count(app) == 0
    # One of the fresh fixes works.
    assert _post_fix(client, fresh[0]["constraints"], token).status_code == 303


def test_a_fix_naming_a_technology_archived_since_is_shown_on_the_step_not_a_500(client, app):
    token, response = _clash(client)
    fix = _replacing(fix_forms(response.get_data(as_text=True)), "django-orm")
    added = (set(fix["constraints"]["must_use"]) - {"flask"}).pop()
    edit_technology(app, added, status="archived")
    again = _post_fix(client, fix["constraints"], token)
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert f"Unknown technology: {added}." in html and 'class="error-summary"' in html
    assert saved_count(app) == 0


def test_catalog_names_in_fixes_are_escaped(client, app):
    edit_technology(app, "django", name='<img src=x onerror="alert(1)">Django')
    _, response = _clash(client)
    html = response.get_data(as_text=True)
    section = html[html.index('id="fixes-container"') : html.index("<h1")]
    assert "<img src=x" not in section and "&lt;img src=x" in section
