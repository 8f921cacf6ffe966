"""The decision tools' JSON: the preview twin of creation, and a stack's starter files."""

from __future__ import annotations

import jsonschema_rs
import pytest

from advisor.results.service import count_results
from tests.api_helpers import API, assert_error_shape, rate_limited_app
from tests.app_helpers import make_app

CONSTRAINTS = {
    "project_kind": "rest_api",
    "features": ["background_jobs", "caching"],
    "priorities": {"performance": 4, "typing": 5},
    "must_use": ["postgresql"],
}


def _preview(client, body, **kwargs):
    return client.post(f"{API}/recommendations/preview", json=body, **kwargs)


def _count(app) -> int:
    with app.app_context():
        return count_results()


def test_preview_answers_200_with_the_result_a_post_would_save_and_saves_nothing(app, client):
    preview = _preview(client, CONSTRAINTS)
    assert preview.status_code == 200, preview.data
    assert "Location" not in preview.headers
    body = preview.get_json()
    assert not {"id", "url", "created_at"} & set(body)
    assert _count(app) == 0
    created = client.post(f"{API}/recommendations", json=CONSTRAINTS).get_json()
    assert _count(app) == 1
    assert body == {key: value for key, value in created.items() if key not in ("id", "url", "created_at")}
    assert [s["rank"] for s in body["stacks"]] == list(range(1, len(body["stacks"]) + 1))
    assert all(s["components"]["database"] == "postgresql" for s in body["stacks"])


def test_preview_reranks_when_priorities_change(client):
    calm = _preview(client, {"project_kind": "rest_api", "priorities": {"maturity": 5}}).get_json()
    fast = _preview(client, {"project_kind": "rest_api", "priorities": {"performance": 5}}).get_json()
    assert calm["constraints"]["priorities"]["maturity"] == 5
    assert [s["components"] for s in calm["stacks"]] != [s["components"] for s in fast["stacks"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"project_kind": "nope"}, "project_kind"),
        ({"project_kind": "rest_api", "must_use": ["no-such-thing"]}, "must_use"),
        ({"project_kind": "rest_api", "priorities": {"typing": 9}}, "priorities"),
        ({"project_kind": "web_app", "must_use": ["flask", "django-orm"]}, "must_use"),
        ({"project_kind": "rest_api", "colour": "blue"}, "colour"),
    ],
)
def test_preview_rejects_what_creation_rejects_naming_the_field(app, client, body, field):
    assert_error_shape(_preview(client, body), 422, field)
    assert_error_shape(client.post(f"{API}/recommendations", json=body), 422, field)
    assert _count(app) == 0


def test_preview_refuses_bodies_that_are_not_json(client):
    assert_error_shape(
        client.post(f"{API}/recommendations/preview", data="{", content_type="application/json"),
        400,
        "_request",
    )
    assert_error_shape(client.post(f"{API}/recommendations/preview", data="x=1"), 415, "_request")
    wrong_method = client.get(f"{API}/recommendations/preview")
    assert_error_shape(wrong_method, 405, "_request")
    assert set(wrong_method.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_preview_shares_the_creation_budget(db_path):
    client = rate_limited_app(make_app, db_path, "2 per minute").test_client()
    assert _preview(client, {"project_kind": "scripts"}).status_code == 200
    assert client.post(f"{API}/recommendations", json={"project_kind": "scripts"}).status_code == 201
    limited = _preview(client, {"project_kind": "scripts"})
    assert_error_shape(limited, 429, "_request")
    assert int(limited.headers["Retry-After"]) > 0


def test_preview_is_documented_and_its_answer_fits_the_document(client):
    document = client.get(f"{API}/openapi.json").get_json()
    operation = document["paths"]["/recommendations/preview"]["post"]
    assert {"200", "400", "413", "415", "422", "429"} <= set(operation["responses"])
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Preview"}
    preview = document["components"]["schemas"]["Preview"]
    assert not {"id", "url", "created_at"} & set(preview["properties"])
    body = _preview(client, CONSTRAINTS).get_json()
    jsonschema_rs.validate({**preview, "components": document["components"]}, body)
