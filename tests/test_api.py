"""The JSON API of the contract: recommendations, catalog, vocabulary, OpenAPI, with the test client."""

from __future__ import annotations

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31

from advisor.engine import vocabulary as v
from advisor.results.service import create_result
from tests.api_helpers import API, archive, assert_error_shape, assert_security_headers

CONSTRAINTS = {
    "project_kind": "rest_api",
    "features": ["background_jobs", "caching"],
    "scale": "medium",
    "priorities": {"performance": 4, "typing": 5},
    "must_use": ["postgresql"],
}


def post(client, body, **kwargs):
    return client.post(f"{API}/recommendations", json=body, **kwargs)


def _component(document: dict, name: str) -> dict:
    """A component schema with the document's components beside it, so that its $refs resolve."""
    return {**document["components"]["schemas"][name], "components": document["components"]}


# --- recommendations --------------------------------------------------------------------------


def test_post_saves_and_answers_201_with_location(client):
    response = post(client, CONSTRAINTS)
    assert response.status_code == 201, response.data
    body = response.get_json()
    assert len(body["id"]) >= 10 and all(c.isalnum() or c in "-_" for c in body["id"])
    assert body["url"].startswith("http://localhost/") and body["url"].endswith(f"/r/{body['id']}")
    assert response.headers["Location"] == body["url"]
    assert body["created_at"].endswith("Z") or "+" in body["created_at"]
    assert isinstance(body["catalog_version"], int) and body["catalog_version"] >= 1
    assert body["constraints"]["project_kind"] == "rest_api"
    assert body["constraints"]["data_model"] == "relational"  # defaults filled in
    stacks = body["stacks"]
    assert len(stacks) >= 3
    assert [s["rank"] for s in stacks] == list(range(1, len(stacks) + 1))
    assert [s["score"] for s in stacks] == sorted((s["score"] for s in stacks), reverse=True)
    assert len({tuple(sorted(s["components"].items())) for s in stacks}) == len(stacks)
    for stack in stacks:
        assert stack["components"]["database"] == "postgresql"
        assert stack["reasons"] and stack["tradeoffs"]
        assert all({"slot", "technology", "text", "contribution"} <= set(r) for r in stack["reasons"])


@pytest.mark.parametrize(
    "constraints",
    [
        CONSTRAINTS,
        {"project_kind": "scripts"},
        {"project_kind": "realtime", "features": ["websockets", "pubsub"]},
    ],
)
def test_result_json_is_exactly_the_result_schema(client, constraints):
    """The API sends stored payloads as they are: they must already be what ResultSchema dumps."""
    from advisor.api.result_schemas import ResultSchema

    body = post(client, constraints).get_json()
    assert body["alternatives"]
    assert ResultSchema().dump(body) == body


def test_get_returns_the_201_body_identically(client):
    created = post(client, CONSTRAINTS).get_json()
    response = client.get(f"{API}/recommendations/{created['id']}")
    assert response.status_code == 200
    assert response.get_json() == created
    assert client.get(f"{API}/recommendations/{created['id']}").data == response.data


def test_saved_result_survives_catalog_changes(app, client):
    created = post(client, {"project_kind": "rest_api"}).get_json()
    top = created["stacks"][0]["components"]["framework"]
    archive(app, top)
    assert client.get(f"{API}/recommendations/{created['id']}").get_json() == created
    fresh = post(client, {"project_kind": "rest_api"}).get_json()
    assert all(top not in s["components"].values() for s in fresh["stacks"])


def test_result_from_the_service_reads_the_same(app, client):
    with app.app_context():
        saved = create_result({"project_kind": "scripts"})
        result_id = saved.id
    body = client.get(f"{API}/recommendations/{result_id}").get_json()
    assert body["id"] == result_id
    assert all("framework" not in s["components"] and "server" not in s["components"] for s in body["stacks"])


@pytest.mark.parametrize("result_id", ["doesnotexist00", "A" * 22, "x", "A" * 40, "..", "a b", "a%2Fb"])
def test_unknown_result_ids_are_json_404(client, result_id):
    assert_error_shape(client.get(f"{API}/recommendations/{result_id}"), 404)


def test_ids_are_random_and_reveal_no_count(client):
    ids = [post(client, {"project_kind": "scripts"}).get_json()["id"] for _ in range(3)]
    assert len(set(ids)) == 3
    assert all(len(i) >= 22 for i in ids)  # 128 random bits, URL-safe base64


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "project_kind"),
        ({"project_kind": "desktop_app"}, "project_kind"),
        ({"project_kind": "rest_api", "features": ["telepathy"]}, "features"),
        ({"project_kind": "rest_api", "colour": "blue"}, "colour"),
        ({"project_kind": "rest_api", "priorities": {"performance": 9}}, "priorities"),
        ({"project_kind": "rest_api", "priorities": {"performance": True}}, "priorities"),
        ({"project_kind": "rest_api", "priorities": {"speed": 1}}, "priorities"),
        ({"project_kind": "rest_api", "must_use": ["no-such-tech"]}, "must_use"),
        ({"project_kind": "rest_api", "avoid": ["Not A Slug"]}, "avoid"),
        ({"project_kind": "rest_api", "familiar_with": "flask"}, "familiar_with"),
        ({"project_kind": "rest_api", "must_use": ["flask"], "avoid": ["flask"]}, "must_use"),
        ({"project_kind": "rest_api", "must_use": ["flask", "django-orm"]}, "must_use"),
    ],
)
def test_invalid_constraints_are_422_naming_the_field(client, body, field):
    assert_error_shape(post(client, body), 422, field)


def test_unknown_slug_is_named_in_the_message(client):
    body = assert_error_shape(post(client, {"project_kind": "rest_api", "must_use": ["flsk"]}), 422)
    assert any("flsk" in m for m in body["errors"]["must_use"])


def test_clash_message_names_both_technologies(client):
    body = assert_error_shape(
        post(client, {"project_kind": "rest_api", "must_use": ["flask", "django-orm"]}), 422, "must_use"
    )
    text = " ".join(body["errors"]["must_use"])
    assert "flask" in text.lower() and "django" in text.lower()


def test_a_clash_offers_suggestions_that_each_post_as_a_201(client):
    body = assert_error_shape(
        post(client, {"project_kind": "web_app", "must_use": ["flask", "django-orm"]}), 422, "must_use"
    )
    assert body["suggestions"]
    for suggestion in body["suggestions"]:
        response = post(client, suggestion["constraints"])
        assert response.status_code == 201, (suggestion, response.data[:300])
        assert response.get_json()["constraints"] == suggestion["constraints"]


def test_invalid_fields_carry_no_suggestions(client):
    body = assert_error_shape(post(client, {"project_kind": "spaceship"}), 422, "project_kind")
    assert "suggestions" not in body


def test_json_that_is_not_an_object_is_422(client):
    assert_error_shape(post(client, ["rest_api"]), 422)


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        ('{"project_kind": ', "application/json", 400),
        ("", "application/json", 400),
        ("{'project_kind': 'rest_api'}", "application/json", 400),
        ('{"project_kind": NaN}', "application/json", 400),
        ("project_kind=rest_api", "application/x-www-form-urlencoded", 415),
        ('{"project_kind": "rest_api"}', "text/plain", 415),
        ('{"project_kind": "rest_api"}', None, 415),
    ],
)
def test_malformed_or_mistyped_bodies(client, data, content_type, status):
    kwargs = {"content_type": content_type} if content_type else {}
    body = assert_error_shape(client.post(f"{API}/recommendations", data=data, **kwargs), status)
    assert "_request" in body["errors"]


def test_charset_and_vendor_json_types_are_accepted(client):
    data = '{"project_kind": "scripts"}'
    for content_type in ("application/json; charset=utf-8", "application/vnd.advisor+json"):
        assert client.post(f"{API}/recommendations", data=data, content_type=content_type).status_code == 201


def test_too_large_body_is_413_json(client):
    response = client.post(
        f"{API}/recommendations", data=b"{" + b" " * 300_000 + b"}", content_type="application/json"
    )
    assert_error_shape(response, 413, "_request")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/recommendations"),
        ("delete", "/recommendations"),
        ("get", "/recommendations"),
        ("post", "/technologies"),
        ("delete", "/technologies/flask"),
        ("patch", "/vocabulary"),
    ],
)
def test_wrong_methods_are_json_405_with_allow(client, method, path):
    response = getattr(client, method)(f"{API}{path}")
    assert_error_shape(response, 405)
    assert response.headers["Allow"]


def test_unknown_api_paths_are_json_404(client):
    assert_error_shape(client.get(f"{API}/nothing-here"), 404)
    assert_error_shape(client.get("/api/v2/recommendations"), 404)


def test_api_needs_no_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post(f"{API}/recommendations", json={"project_kind": "scripts"})
    assert response.status_code == 201


def test_api_responses_carry_security_headers(client):
    assert_security_headers(post(client, {"project_kind": "scripts"}))
    assert_security_headers(client.get(f"{API}/technologies"))
    assert_security_headers(client.get(f"{API}/recommendations/nope"))


# --- catalog ----------------------------------------------------------------------------------


def test_technology_list_has_the_contract_fields(client):
    response = client.get(f"{API}/technologies")
    assert response.status_code == 200
    items = response.get_json()
    assert isinstance(items, list) and len(items) > 100
    assert response.headers["X-Catalog-Version"].isdigit()
    for item in items:
        assert {"slug", "name", "slots", "status"} <= set(item)
        assert item["status"] in v.LISTED_STATUSES
    slugs = {i["slug"] for i in items}
    assert {"fastapi", "django", "flask", "gunicorn", "postgresql", "celery", "redis"} <= slugs


def test_technology_list_filters_by_slot_and_text(client):
    frameworks = client.get(f"{API}/technologies?slot=framework").get_json()
    assert frameworks and all("framework" in t["slots"] for t in frameworks)
    assert {"fastapi", "django", "flask"} <= {t["slug"] for t in frameworks}
    found = client.get(f"{API}/technologies?q=FastAPI").get_json()
    assert "fastapi" in {t["slug"] for t in found}
    assert client.get(f"{API}/technologies?q=zzzz-nothing").get_json() == []
    both = client.get(f"{API}/technologies?slot=server&q=uvicorn").get_json()
    assert "uvicorn" in {t["slug"] for t in both} and all("server" in t["slots"] for t in both)
    assert "fastapi" not in {t["slug"] for t in both}


@pytest.mark.parametrize("query", ["slot=spaceship", "slot=", "q=" + "x" * 101])
def test_bad_technology_filters_are_422(client, query):
    body = assert_error_shape(client.get(f"{API}/technologies?{query}"), 422)
    assert set(body["errors"]) <= {"slot", "q"}


def test_technology_detail(client):
    response = client.get(f"{API}/technologies/fastapi")
    assert response.status_code == 200
    tech = response.get_json()
    assert tech["slug"] == "fastapi" and tech["name"] and tech["status"] == "active"
    assert "framework" in tech["slots"]
    assert tech["pros"] and tech["cons"] and set(tech["ratings"]) == set(v.RATING_AXES)
    assert tech["url"].endswith(f"{API}/technologies/fastapi")


def test_unknown_technology_is_json_404(client):
    assert_error_shape(client.get(f"{API}/technologies/no-such-thing"), 404, "slug")
    assert_error_shape(client.get(f"{API}/technologies/{'a' * 200}"), 404)


def test_archived_technologies_leave_the_public_api(app, client):
    archive(app, "tornado")
    assert_error_shape(client.get(f"{API}/technologies/tornado"), 404)
    assert "tornado" not in {t["slug"] for t in client.get(f"{API}/technologies").get_json()}
    assert "tornado" not in client.get(f"{API}/vocabulary").get_json()["technologies"]
    assert_error_shape(post(client, {"project_kind": "rest_api", "must_use": ["tornado"]}), 422, "must_use")


# --- vocabulary -------------------------------------------------------------------------------


def test_vocabulary_lists_every_allowed_value(client):
    response = client.get(f"{API}/vocabulary")
    assert response.status_code == 200
    vocab = response.get_json()
    assert vocab["required"] == ["project_kind"]
    assert vocab["choices"]["project_kind"] == list(v.PROJECT_KINDS)
    assert vocab["choices"]["deployment"] == list(v.DEPLOYMENTS)
    assert vocab["multiple_choices"]["features"] == list(v.FEATURES)
    assert vocab["priorities"] == {"axes": list(v.PRIORITY_AXES), "minimum": 0, "maximum": 5, "default": 0}
    assert {"fastapi", "postgresql"} <= set(vocab["technologies"])
    assert [s["slot"] for s in vocab["slots"]] == list(v.SLOTS)
    assert vocab["technology_lists"] == ["familiar_with", "must_use", "avoid"]


def test_vocabulary_values_are_accepted_by_the_api(client):
    vocab = client.get(f"{API}/vocabulary").get_json()
    for kind in vocab["choices"]["project_kind"]:
        body = {
            "project_kind": kind,
            "features": vocab["multiple_choices"]["features"][:2],
            "priorities": {axis: vocab["priorities"]["maximum"] for axis in vocab["priorities"]["axes"]},
        }
        for name, values in vocab["choices"].items():
            if name != "project_kind":
                body[name] = values[-1]
        assert post(client, body).status_code in (201, 422)


# --- OpenAPI and docs -------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    errors = [e.message for e in jsonschema_rs.Draft202012Validator(OPENAPI_31).iter_errors(document)]
    assert errors == []
    assert {
        "/recommendations",
        "/recommendations/{result_id}",
        "/technologies",
        "/technologies/{slug}",
        "/vocabulary",
        "/openapi.json",
    } <= set(document["paths"])
    assert document["servers"][0]["url"] == "http://localhost/api/v1"


def test_openapi_is_generated_from_the_marshmallow_schemas(client):
    from advisor.engine.constraints import ConstraintsSchema

    document = client.get(f"{API}/openapi.json").get_json()
    constraints = document["components"]["schemas"]["Constraints"]
    assert set(constraints["properties"]) == set(ConstraintsSchema().fields)
    assert constraints["required"] == ["project_kind"]
    assert constraints["properties"]["project_kind"]["enum"] == list(v.PROJECT_KINDS)
    assert "fastapi" in constraints["properties"]["must_use"]["items"]["enum"]
    post_op = document["paths"]["/recommendations"]["post"]
    assert {"201", "400", "413", "415", "422", "429"} <= set(post_op["responses"])


def test_responses_validate_against_the_openapi_schemas(client):
    document = client.get(f"{API}/openapi.json").get_json()
    created = post(client, CONSTRAINTS).get_json()
    jsonschema_rs.validate(_component(document, "Result"), created)
    jsonschema_rs.validate(
        _component(document, "Technology"), client.get(f"{API}/technologies/django").get_json()
    )
    jsonschema_rs.validate(_component(document, "Vocabulary"), client.get(f"{API}/vocabulary").get_json())
    error = post(client, {"project_kind": "nope"}).get_json()
    jsonschema_rs.validate(_component(document, "Error"), error)


def test_docs_page_is_linked_from_the_footer(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/api/v1/recommendations" in html and "/api/v1/openapi.json" in html
    assert f'href="{API}/docs"' in client.get("/catalog/").get_data(as_text=True)


def test_the_openapi_server_carries_the_prefix_a_proxy_sets(client):
    """Behind a proxy that mounts the app under a path (SCRIPT_NAME), clients must be sent there."""
    prefixed = client.get("/api/v1/openapi.json", base_url="http://localhost/advisor").get_json()
    assert prefixed["servers"][0]["url"] == "http://localhost/advisor/api/v1"
    assert client.get("/api/v1/openapi.json").get_json()["servers"][0]["url"] == "http://localhost/api/v1"
