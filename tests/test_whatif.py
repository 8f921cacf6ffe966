"""The what-if panel: re-rank a result's stacks in place (GET, htmx or a plain form), nothing saved,
until "Save as new link" makes a new permalink; the old one never changes."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import count_results, create_result
from tests.api_helpers import assert_error_shape, rate_limited_app
from tests.app_helpers import make_app
from tests.wizard_helpers import CONSTRAINTS, HTMX, TOKEN_RE

# From CONSTRAINTS' priorities (performance 4, typing 3) to maturity and simplicity.
CALMER = {
    "priorities-dev_speed": "0",
    "priorities-performance": "0",
    "priorities-maturity": "5",
    "priorities-flexibility": "0",
    "priorities-simplicity": "5",
    "priorities-typing": "0",
    "avoid": "django",
}


@pytest.fixture
def saved(app):
    with app.app_context():
        result = create_result(CONSTRAINTS)
        return result.id, result.payload


def _order(html: str) -> list[str]:
    """The stacks as the ranking lists them: each glance row's parts."""
    rows = re.findall(r'<li class="glance-row" id="glance-\d+">(.*?)</ul>', html, re.S)
    return [",".join(re.findall(r'href="/catalog/([a-z0-9-]+)"', row)) for row in rows]


def test_a_rerank_swaps_the_ranking_in_and_saves_nothing(app, client, saved):
    result_id, payload = saved
    before = _order(client.get(f"/r/{result_id}").get_data(as_text=True))
    response = client.get(f"/r/{result_id}/whatif", query_string=CALMER, headers=HTMX)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store" and "HX-Request" in response.headers["Vary"]
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="ranking-container"')
    assert 'id="whatif-status-container"' in fragment and 'hx-swap-oob="innerHTML"' in fragment
    after = _order(fragment)
    assert len(after) >= 3 and after != before  # re-ranked (the list may be longer or shorter)
    assert "Re-ranked, not saved." in fragment
    assert f"/r/{result_id}/starter/" not in fragment  # unsaved stacks have no starter yet
    with app.app_context():
        assert count_results() == 1
        assert db.session.get(SavedResult, result_id).payload == payload


def test_the_rerank_is_what_the_preview_api_answers(client, saved):
    result_id, payload = saved
    fragment = client.get(f"/r/{result_id}/whatif", query_string=CALMER, headers=HTMX).get_data(as_text=True)
    body = {
        **payload["constraints"],
        "priorities": {"maturity": 5, "simplicity": 5},
        "must_use": [],
        "avoid": ["django"],
    }
    preview = client.post("/api/v1/recommendations/preview", json=body).get_json()
    for stack, shown in zip(
        preview["stacks"],
        re.findall(r'id="glance-\d+">.*?<strong>([\d.]+)</strong>', fragment, re.S),
        strict=True,
    ):
        assert f"{stack['score']:.1f}" == shown


def test_without_javascript_the_panel_is_a_plain_form_and_the_answer_a_page(client, saved):
    result_id, _ = saved
    response = client.get(f"/r/{result_id}/whatif", query_string=CALMER)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<!doctype html>" in html and '<meta name="robots" content="noindex">' in html
    assert "What if &middot; not saved" in html
    assert re.search(r'<option value="5" selected>5 · Crucial</option>', html)
    assert 'name="avoid" value="django" id="avoid-django" checked' in html
    save_form = html.split('class="save-whatif"', 1)[1].split("</form>", 1)[0]
    assert TOKEN_RE.search(save_form)
    assert '<input type="hidden" name="priorities-maturity" value="5">' in save_form
    assert '<input type="hidden" name="avoid" value="django">' in save_form


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"priorities-typing": "9"}, "Typing: Choose a level from 0"),
        ({"priorities-maturity": "x"}, "Maturity: "),
        (
            {"must_use": "postgresql", "avoid": "postgresql"},
            "Exclude: Cannot be both pinned and excluded: PostgreSQL.",
        ),
        ({"must_use": "no-such-part"}, "Pin: &#39;no-such-part&#39; is not a part of these stacks."),
    ],
)
def test_bad_changes_are_named_and_keep_the_ranking(client, saved, query, words):
    result_id, _ = saved
    page = client.get(f"/r/{result_id}/whatif", query_string=query)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    alert = html.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert words in alert, alert
    htmx = client.get(f"/r/{result_id}/whatif", query_string=query, headers=HTMX)
    assert htmx.status_code == 200 and htmx.headers["HX-Reswap"] == "none"
    fragment = htmx.get_data(as_text=True)
    assert 'id="ranking-container"' not in fragment and 'role="alert"' in fragment


def test_a_clash_the_engine_finds_is_shown_in_the_panel(client, saved):
    result_id, payload = saved
    slot = next(
        slot
        for slot in payload["stacks"][0]["components"]
        if len({s["components"].get(slot) for s in payload["stacks"]} - {None}) >= 2
    )
    both = list(dict.fromkeys(s["components"][slot] for s in payload["stacks"] if slot in s["components"]))
    query = [("must_use", both[0]), ("must_use", both[1])]  # two parts for one slot
    htmx = client.get(f"/r/{result_id}/whatif", query_string=query, headers=HTMX)
    assert htmx.headers["HX-Reswap"] == "none"
    assert "cannot be ranked" in htmx.get_data(as_text=True)


def test_save_as_new_link_makes_a_new_permalink_and_leaves_the_old_one(app, client, saved):
    result_id, payload = saved
    html = client.get(f"/r/{result_id}/whatif", query_string=CALMER).get_data(as_text=True)
    save_form = html.split('class="save-whatif"', 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'name="([^"]+)" value="([^"]*)"', save_form)
    unsigned = MultiDict([f for f in fields if f[0] != "csrf_token"])
    assert client.post(f"/r/{result_id}/whatif", data=unsigned).status_code == 400
    response = client.post(f"/r/{result_id}/whatif", data=MultiDict(fields))
    assert response.status_code == 303
    new_id = response.headers["Location"].rsplit("/", 1)[1]
    assert new_id != result_id
    with app.app_context():
        old, new = db.session.get(SavedResult, result_id), db.session.get(SavedResult, new_id)
        assert old.payload == payload and old.constraints == payload["constraints"]
        assert (
            new.constraints["priorities"]["maturity"] == 5
            and new.constraints["priorities"]["performance"] == 0
        )
        assert (
            new.constraints["avoid"] == ["django"] and new.constraints["features"] == CONSTRAINTS["features"]
        )
    new_page = client.get(f"/r/{new_id}").get_data(as_text=True)
    assert _order(new_page) == _order(html)  # what was previewed is what was saved
    htmx = client.post(f"/r/{result_id}/whatif", data=MultiDict(fields), headers=HTMX)
    assert htmx.status_code == 200 and htmx.headers["HX-Redirect"].startswith("/r/")


def test_unknown_results_have_no_whatif(client):
    assert client.get("/r/nope123456/whatif", headers=HTMX).status_code == 404


def test_what_if_shares_the_engine_budget(db_path):
    app = rate_limited_app(make_app, db_path, "2 per minute")
    with app.app_context():
        result_id = create_result({"project_kind": "scripts"}).id
    client = app.test_client()
    assert client.get(f"/r/{result_id}/whatif?priorities-typing=5").status_code == 200
    assert client.post("/api/v1/recommendations/preview", json={"project_kind": "scripts"}).status_code == 200
    limited = client.get(f"/r/{result_id}/whatif?priorities-typing=4", headers={"Accept": "application/json"})
    assert_error_shape(limited, 429, "_request")
    assert client.get(f"/r/{result_id}").status_code == 200  # reading is never limited
