"""The wizard over HTTP: full pages and htmx partials, validation, answers kept, CSRF, queries."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from advisor.catalog.models import Technology
from advisor.catalog.service import bump_version
from advisor.engine import vocabulary
from advisor.engine import vocabulary as v
from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import create_result
from tests.wizard_helpers import (
    ANSWERS,
    CONSTRAINTS,
    HTMX,
    STEP_NAMES,
    answer_all,
    checked_values,
    count_queries,
    csrf_token,
    edit_technology,
    post_step,
    reads,
    result_id_from,
    saved_count,
)

CONSTRAINT_FIELDS = {
    "project_kind",
    "features",
    "data_model",
    "scale",
    "workload",
    "team_experience",
    "familiar_with",
    "deployment",
    "must_use",
    "avoid",
    *(f"priorities-{axis}" for axis in v.PRIORITY_AXES),
}


def _names(html: str) -> set[str]:
    form = html.split('class="wizard-form"', 1)[1].split("</form>", 1)[0]
    return set(re.findall(r'<input[^>]*\sname="([^"]+)"', form)) - {"csrf_token", "q"}


def _started(client) -> str:
    token = csrf_token(client)
    assert post_step(client, "kind", ANSWERS["kind"], token).status_code == 303
    return token


# --- pages and partials ----------------------------------------------------------------------


def test_start_redirects_to_the_first_step(client):
    response = client.get("/wizard/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/wizard/kind")


def test_landing_page_starts_the_wizard(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/wizard/"' in html


@pytest.mark.parametrize("name", STEP_NAMES)
def test_step_is_a_full_page_or_an_htmx_partial(client, name):
    _started(client)
    full = client.get(f"/wizard/{name}")
    assert full.status_code == 200
    page = full.get_data(as_text=True)
    assert page.lstrip().startswith("<!doctype html>")
    assert 'id="wizard-container"' in page and 'hx-history="false"' in page
    partial = client.get(f"/wizard/{name}", headers=HTMX)
    fragment = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert "<html" not in fragment and "<h1" in fragment and "<title>" in fragment
    assert 'id="wizard-container"' not in fragment
    for response in (full, partial):
        assert response.headers["Cache-Control"] == "no-store"
        assert "HX-Request" in response.headers["Vary"]


def test_history_restore_request_gets_the_full_page(client):
    _started(client)
    response = client.get("/wizard/data", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<!doctype html>" in response.get_data(as_text=True)


def test_form_fields_are_the_constraint_keys(client):
    _started(client)
    names = set()
    for name in STEP_NAMES:
        names |= _names(client.get(f"/wizard/{name}").get_data(as_text=True))
    assert names == CONSTRAINT_FIELDS


def test_buttons_say_where_they_go(client):
    _started(client)
    first = client.get("/wizard/kind").get_data(as_text=True)
    middle = client.get("/wizard/team").get_data(as_text=True)
    last = client.get("/wizard/deploy").get_data(as_text=True)
    assert ">Next</button>" in first and ">Back</button>" not in first
    assert ">Next</button>" in middle and ">Back</button>" in middle
    assert ">See recommendations</button>" in last and ">Next</button>" not in last


def test_progress_shows_the_current_step(client):
    _started(client)
    html = client.get("/wizard/data").get_data(as_text=True)
    assert "Step 3 of 6" in html
    assert '<span aria-current="step">Data and scale</span>' in html
    assert 'hx-push-url="true"' in html


def test_later_steps_need_the_project_kind_first(client):
    response = client.get("/wizard/deploy")
    assert response.status_code == 302 and response.headers["Location"].endswith("/wizard/kind")


def test_unknown_step_is_404(client):
    assert client.get("/wizard/nope").status_code == 404


def test_every_vocabulary_value_has_words():
    for key in (
        "project_kind",
        "features",
        "data_model",
        "scale",
        "workload",
        "team_experience",
        "deployment",
        "priorities",
    ):
        for value, label, hint in vocabulary.options(key):
            assert label and hint and label != value, (key, value)


# --- moving on, validation, answers kept ----------------------------------------------------


def test_plain_post_moves_on_with_303(client):
    token = csrf_token(client)
    response = post_step(client, "kind", ANSWERS["kind"], token)
    assert response.status_code == 303 and response.headers["Location"].endswith("/wizard/features")


def test_htmx_post_swaps_in_the_next_step_and_pushes_its_url(client):
    token = csrf_token(client)
    response = post_step(client, "kind", ANSWERS["kind"], token, htmx=True)
    assert response.status_code == 200
    assert response.headers["HX-Push-Url"] == "/wizard/features"
    html = response.get_data(as_text=True)
    assert "Which features does it need?" in html and "<html" not in html


def test_missing_answer_is_an_inline_error(client):
    token = csrf_token(client)
    plain = post_step(client, "kind", {}, token)
    assert plain.status_code == 422
    html = plain.get_data(as_text=True)
    assert 'class="field-error" id="project_kind-error"' in html
    assert "Choose the kind of project you are building." in html
    assert 'role="alert"' in html and 'href="#field-project_kind"' in html
    # htmx swaps only 2xx answers: the same error comes back as 200, and the URL stays.
    htmx = post_step(client, "kind", {}, token, htmx=True)
    assert htmx.status_code == 200 and "HX-Push-Url" not in htmx.headers
    assert "Choose the kind of project you are building." in htmx.get_data(as_text=True)


def test_invalid_answer_keeps_the_other_answers_on_the_step(client):
    token = _started(client)
    response = post_step(
        client, "data", {"data_model": "document", "scale": "galactic", "workload": "cpu_bound"}, token
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="scale-error"' in html
    assert checked_values(html, "data_model") == {"document"}
    assert checked_values(html, "workload") == {"cpu_bound"}


def test_answers_are_kept_across_steps_and_shown_again(client):
    token = csrf_token(client)
    for name in ("kind", "features", "data", "team", "priorities"):
        assert post_step(client, name, ANSWERS[name], token).status_code == 303
    assert checked_values(client.get("/wizard/kind").get_data(as_text=True), "project_kind") == {"rest_api"}
    assert checked_values(client.get("/wizard/features").get_data(as_text=True), "features") == {
        "background_jobs",
        "caching",
    }
    assert checked_values(client.get("/wizard/team").get_data(as_text=True), "familiar_with") == {"flask"}
    priorities = client.get("/wizard/priorities").get_data(as_text=True)
    assert checked_values(priorities, "priorities-performance") == {"4"}
    assert checked_values(priorities, "priorities-maturity") == {"0"}


def test_back_keeps_what_was_ticked_and_goes_back(client):
    token = _started(client)
    response = post_step(client, "features", {"features": ["caching"], "nav": "back"}, token)
    assert response.status_code == 303 and response.headers["Location"].endswith("/wizard/kind")
    assert checked_values(client.get("/wizard/features").get_data(as_text=True), "features") == {"caching"}
    htmx = post_step(client, "features", {"features": ["graphql"], "nav": "back"}, token, htmx=True)
    assert htmx.headers["HX-Push-Url"] == "/wizard/kind"
    assert "What are you building?" in htmx.get_data(as_text=True)


def test_unknown_technology_is_refused_by_name(client):
    token = _started(client)
    response = post_step(client, "team", {"familiar_with": ["flask", "cobol-on-cogs"]}, token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "&#39;cobol-on-cogs&#39; is not in the catalog." in html
    assert checked_values(html, "familiar_with") == {"flask"}


def test_required_and_avoided_at_once_is_refused(client):
    token = _started(client)
    response = post_step(client, "deploy", {"must_use": ["flask"], "avoid": ["flask"]}, token)
    assert response.status_code == 422
    assert "Cannot be both required and avoided: Flask." in response.get_data(as_text=True)


def test_engine_clash_is_shown_on_the_field_and_keeps_every_answer(client, app):
    token = _started(client)
    post_step(client, "features", ANSWERS["features"], token)
    response = post_step(client, "deploy", {"deployment": "paas", "must_use": ["flask", "django-orm"]}, token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'id="must_use-error">(.*?)</p>', html, re.S).group(1)
    assert "flask" in error and "django-orm" in error
    assert checked_values(html, "deployment") == {"paas"}
    assert checked_values(html, "must_use") == {"flask", "django-orm"}
    assert checked_values(client.get("/wizard/features").get_data(as_text=True), "features") == {
        "background_jobs",
        "caching",
    }
    assert saved_count(app) == 0


def test_errors_belonging_to_another_step_link_to_it(client, app):
    token = _started(client)
    post_step(client, "team", {"familiar_with": ["flask"]}, token)
    edit_technology(app, "flask", status="archived")  # flask leaves the catalog after it was picked
    response = post_step(client, "deploy", {}, token)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Team: Unknown technology: flask." in html and 'href="/wizard/team"' in html


# --- finishing --------------------------------------------------------------------------------


def test_plain_final_post_saves_a_result_and_redirects_to_it(client, app):
    response = answer_all(client)
    assert response.status_code == 303
    result_id = result_id_from(response)
    with app.app_context():
        saved = db.session.get(SavedResult, result_id)
        assert saved.constraints["avoid"] == ["django"]
        assert saved.constraints["priorities"]["performance"] == 4
    assert client.get(f"/r/{result_id}").status_code == 200


def test_htmx_final_post_redirects_the_browser(client):
    response = answer_all(client, htmx=True)
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/r/")


def test_wizard_gives_the_same_stacks_as_the_constraints(app):
    plain, htmx = app.test_client(), app.test_client()
    ids = [result_id_from(answer_all(plain)), result_id_from(answer_all(htmx, htmx=True), htmx=True)]
    with app.app_context():
        direct = create_result(CONSTRAINTS)
        stacks = [db.session.get(SavedResult, i).payload["stacks"] for i in ids]
        assert stacks[0] == stacks[1] == direct.payload["stacks"]


# --- CSRF --------------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused_and_write_nothing(app):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    client = app.test_client()
    csrf_token(client)
    assert client.post("/wizard/kind", data=ANSWERS["kind"]).status_code == 400
    assert client.post("/wizard/kind", data=ANSWERS["kind"], headers=HTMX).status_code == 400
    assert client.post("/wizard/reset").status_code == 400
    assert "project_kind" not in client.get("/wizard/features").headers.get("Location", "x")
    assert client.get("/wizard/features").status_code == 302  # nothing was saved
    assert saved_count(app) == 0


def test_the_token_works_as_a_form_field_and_as_the_htmx_header(client):
    token = csrf_token(client)
    assert post_step(client, "kind", ANSWERS["kind"], token).status_code == 303
    assert post_step(client, "features", {}, token, htmx=True).status_code == 200
    page = client.get("/wizard/kind").get_data(as_text=True)
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


# --- technology pickers ------------------------------------------------------------------------


def test_without_javascript_pickers_list_every_listed_technology_grouped_by_slot(client, app):
    """Every status but archived: a team may know, need or avoid an end-of-life technology too."""
    with app.app_context():
        db.session.scalar(sa.select(Technology).where(Technology.slug == "tornado")).status = "archived"
        db.session.scalar(sa.select(Technology).where(Technology.slug == "pyramid")).status = "end_of_life"
        bump_version()
        db.session.commit()
        expected = set(
            db.session.scalars(sa.select(Technology.slug).where(Technology.status.in_(v.LISTED_STATUSES)))
        )
    _started(client)
    html = client.get("/wizard/team").get_data(as_text=True)
    listed = set(re.findall(r'name="familiar_with" value="([^"]+)"', html))
    assert listed == expected and "pyramid" in listed and "tornado" not in listed
    assert '<p class="picker-group-label" id="familiar_with-group-framework">Web framework</p>' in html


def test_picker_filter_returns_matching_options_and_keeps_ticked_ones(client):
    _started(client)
    response = client.get(
        "/wizard/deploy",
        query_string={"q": "postgres", "must_use": "flask"},
        headers={**HTMX, "HX-Target": "must_use-options-container"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1" not in html and "<form" not in html
    values = set(re.findall(r'name="must_use" value="([^"]+)"', html))
    assert {"postgresql", "flask"} <= values and "django" not in values
    assert checked_values(html, "must_use") == {"flask"}
    empty = client.get(
        "/wizard/deploy", query_string={"q": "zzzz"}, headers={**HTMX, "HX-Target": "avoid-options-container"}
    )
    assert "No technology matches" in empty.get_data(as_text=True)


def test_catalog_text_is_escaped_in_the_pickers(client, app):
    edit_technology(app, "flask", name='<img src=x onerror="alert(1)">Flask')
    _started(client)
    html = client.get("/wizard/team").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html


# --- edit answers and start over ---------------------------------------------------------------


def test_edit_answers_prefills_the_wizard_from_a_saved_result(client, app):
    with app.app_context():
        result_id = create_result(CONSTRAINTS).id
    response = client.get(f"/wizard/?from={result_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/wizard/kind")
    kind = client.get("/wizard/kind").get_data(as_text=True)
    assert checked_values(kind, "project_kind") == {"rest_api"}
    assert "the earlier result stays as it was" in kind
    assert checked_values(client.get("/wizard/data").get_data(as_text=True), "scale") == {"medium"}
    assert checked_values(client.get("/wizard/deploy").get_data(as_text=True), "avoid") == {"django"}


def test_edit_answers_of_an_unknown_result_is_404(client):
    assert client.get("/wizard/?from=doesnotexist000000000").status_code == 404


def test_start_over_forgets_the_answers(client):
    token = _started(client)
    assert "Start over" in client.get("/wizard/kind").get_data(as_text=True)
    response = client.post("/wizard/reset", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/wizard/features").status_code == 302


# --- queries -----------------------------------------------------------------------------------


def test_each_step_runs_a_small_constant_number_of_queries(client, app):
    token = _started(client)
    client.get("/wizard/team")  # the catalog snapshot is built once per catalog version
    for name in STEP_NAMES:
        with count_queries(app) as statements:
            client.get(f"/wizard/{name}")
        assert len(reads(statements)) <= 1, (name, statements)  # the catalog version, or nothing
        if name != "deploy":
            with count_queries(app) as statements:
                post_step(client, name, ANSWERS[name], token)
            assert len(reads(statements)) <= 1, (name, statements)
    with count_queries(app) as statements:
        post_step(client, "deploy", ANSWERS["deploy"], token)
    assert len(reads(statements)) <= 3, statements  # version (form choices, engine), insert
