"""The JSON API over real HTTP with `requests` (no JavaScript, no test client), and on PostgreSQL."""

from __future__ import annotations

import pytest
import requests

from tests.api_helpers import API, SECURITY_HEADERS, assert_error_shape
from tests.app_helpers import LiveServer

CONSTRAINTS = {
    "project_kind": "web_app",
    "features": ["admin_ui", "user_accounts"],
    "team_experience": "beginner",
    "priorities": {"dev_speed": 5},
}


@pytest.fixture
def http():
    with requests.Session() as session:
        session.headers["User-Agent"] = "advisor-tests"
        yield session


def test_create_and_read_back_over_http(live_server, http):
    response = http.post(f"{live_server.url}{API}/recommendations", json=CONSTRAINTS, timeout=30)
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert response.headers["Location"] == body["url"] == f"{live_server.url}/r/{body['id']}"
    again = http.get(f"{live_server.url}{API}/recommendations/{body['id']}", timeout=30)
    assert again.status_code == 200 and again.json() == body
    for name, value in SECURITY_HEADERS.items():
        assert again.headers[name] == value
    assert again.headers["X-Request-ID"]


def test_errors_over_http_are_json(live_server, http):
    base = f"{live_server.url}{API}"
    cases = [
        (http.post(f"{base}/recommendations", data="rest_api", headers={"Content-Type": "text/plain"}), 415),
        (
            http.post(f"{base}/recommendations", data="{oops", headers={"Content-Type": "application/json"}),
            400,
        ),
        (http.post(f"{base}/recommendations", json={"project_kind": "spaceship"}), 422),
        (http.get(f"{base}/recommendations/not-a-real-id"), 404),
        (http.get(f"{base}/technologies/not-a-real-slug"), 404),
        (http.put(f"{base}/recommendations"), 405),
    ]
    for response, status in cases:
        assert response.status_code == status, (status, response.text)
        body = response.json()
        assert set(body) == {"errors"} and body["errors"]


def test_too_large_body_over_http_is_413(live_server, http):
    body = b'{"project_kind": "rest_api", "pad": "' + b"x" * (300 * 1024) + b'"}'
    try:
        response = http.post(
            f"{live_server.url}{API}/recommendations",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
    except requests.ConnectionError:
        pytest.fail("the server dropped the connection instead of answering 413")
    assert response.status_code == 413
    assert response.json() == {"errors": {"_request": ["The request is too large."]}}
    assert http.get(f"{live_server.url}/healthz", timeout=10).status_code == 200


def test_catalog_and_vocabulary_over_http(live_server, http):
    listing = http.get(f"{live_server.url}{API}/technologies", params={"slot": "database"}, timeout=30)
    assert listing.status_code == 200
    slugs = {t["slug"] for t in listing.json()}
    assert {"postgresql", "sqlite", "mongodb"} <= slugs
    detail = http.get(f"{live_server.url}{API}/technologies/postgresql", timeout=30).json()
    assert detail["name"] and "database" in detail["slots"] and detail["status"] == "active"
    vocab = http.get(f"{live_server.url}{API}/vocabulary", timeout=30).json()
    assert "rest_api" in vocab["choices"]["project_kind"]
    spec = http.get(f"{live_server.url}{API}/openapi.json", timeout=30).json()
    assert spec["servers"][0]["url"] == f"{live_server.url}{API}"


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.mark.postgres
def test_api_on_postgresql(pg_app):
    client = pg_app.test_client()
    created = client.post(f"{API}/recommendations", json=CONSTRAINTS)
    assert created.status_code == 201, created.data
    body = created.get_json()
    assert created.headers["Location"] == body["url"]
    again = client.get(f"{API}/recommendations/{body['id']}")
    assert again.status_code == 200 and again.get_json() == body
    assert {"postgresql", "django"} <= {t["slug"] for t in client.get(f"{API}/technologies").get_json()}
    assert client.get(f"{API}/technologies/django").get_json()["slug"] == "django"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status"),
    [
        ("get", f"{API}/technologies/fla%00sk", {}, 400),
        ("get", f"{API}/recommendations/abc%00def", {}, 400),
        ("get", f"{API}/technologies?q=%00", {}, 400),
        ("get", "/catalog/fla%00sk", {}, 400),
        ("get", "/catalog/?q=%00", {}, 400),
        ("get", f"{API}/technologies/fla\u0000sk", {}, 400),
        ("post", f"{API}/recommendations", {"json": {"project_kind": "rest_api\u0000"}}, 422),
        ("post", f"{API}/recommendations", {"json": {"project_kind": "rest_api", "avoid": ["a\u0000"]}}, 422),
        (
            "post",
            f"{API}/recommendations",
            {"json": {"project_kind": "rest_api'; DROP TABLE saved_result;--"}},
            422,
        ),
    ],
)
def test_hostile_input_on_postgresql(pg_app, method, url, kwargs, status):
    """PostgreSQL refuses NUL bytes in text: they must be turned away before any query."""
    response = getattr(pg_app.test_client(), method)(url, **kwargs)
    assert response.status_code == status, response.data[:300]
    if status >= 400 and url.startswith(API):
        assert_error_shape(response, status)


@pytest.mark.postgres
def test_api_on_postgresql_over_http(pg_app):
    with LiveServer(pg_app) as server, requests.Session() as http:
        created = http.post(
            f"{server.url}{API}/recommendations", json={"project_kind": "rest_api"}, timeout=30
        )
        assert created.status_code == 201
        body = created.json()
        assert http.get(f"{server.url}{API}/recommendations/{body['id']}", timeout=30).json() == body
