"""Every admin route and method refuses anonymous users, and curators where an admin is required."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from advisor import create_app
from advisor.catalog.models import AuditEntry
from advisor.extensions import db
from tests.admin_helpers import token

PUBLIC = {"admin.login"}
ADMIN_ONLY = {"admin.users", "admin.user_new", "admin.user_deactivate", "admin.user_activate"}
CURATOR = {
    "admin.index",
    "admin.create",
    "admin.edit",
    "admin.merge",
    "admin.archive",
    "admin.restore",
    "admin.history",
    "admin.audit",
    "admin.logout",
    "admin.password",
    "admin.radar_overview",
    "admin.radar_confirm",
    "admin.radar_publish",
}
ARGS = {"slug": "django", "user_id": 1}


def _admin_routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every admin rule in the app's url_map."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "RATELIMIT_ENABLED": False,
        }
    )
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{name}>", str(ARGS[name])).replace(f"<int:{name}>", str(ARGS[name]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


ROUTES = _admin_routes()
PROTECTED = [r for r in ROUTES if r[0] not in PUBLIC]
IDS = [f"{m} {u}" for _, m, u in PROTECTED]


def test_every_admin_endpoint_is_classified():
    endpoints = {endpoint for endpoint, _, _ in ROUTES}
    assert endpoints == PUBLIC | ADMIN_ONLY | CURATOR


def _request(client, method: str, url: str, **kwargs):
    data = {"csrf_token": token(client)} if method == "POST" else None
    return client.open(url, method=method, data=data, **kwargs)


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("endpoint, method, url", PROTECTED, ids=IDS)
def test_anonymous_is_sent_to_login(app, client, endpoint, method, url):
    before = _audit_count(app)
    response = _request(client, method, url)
    assert response.status_code == 302, response.text[:300]
    assert response.location.startswith("/admin/login")
    assert "Django" not in response.text
    assert _audit_count(app) == before


@pytest.mark.parametrize("endpoint, method, url", PROTECTED, ids=IDS)
def test_anonymous_api_style_requests_get_401_json(client, endpoint, method, url):
    response = _request(client, method, url, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json() == {"errors": {"_request": ["Please log in."]}}


@pytest.mark.parametrize("endpoint, method, url", PROTECTED, ids=IDS)
def test_anonymous_htmx_requests_get_401_and_a_client_redirect(client, endpoint, method, url):
    response = _request(client, method, url, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/admin/login")
    assert response.data == b""


ADMIN_ROUTES = [r for r in ROUTES if r[0] in ADMIN_ONLY]


@pytest.mark.parametrize("endpoint, method, url", ADMIN_ROUTES, ids=[f"{m} {u}" for _, m, u in ADMIN_ROUTES])
def test_curators_get_403_where_an_admin_is_required(app, curator_client, endpoint, method, url, caplog):
    response = _request(curator_client, method, url)
    assert response.status_code == 403
    assert "access denied: curator@example.org" in caplog.text


def test_admin_pages_stay_out_of_the_htmx_history_cache(app, curator_client):
    assert 'hx-history="false"' in app.test_client().get("/admin/login").text
    for url in (
        "/admin/",
        "/admin/audit",
        "/admin/technologies/django/edit",
        "/admin/technologies/new",
        "/admin/technologies/django/history",
        "/admin/account/password",
    ):
        assert 'hx-history="false"' in curator_client.get(url).text, url
