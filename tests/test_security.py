"""Hardening of the whole app: headers, CORS, request ids and logs, proxies, dotfiles, CSRF, cookies."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from advisor.config import ConfigError, from_environment
from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import create_result
from tests.api_helpers import API, assert_error_shape, assert_security_headers
from tests.app_helpers import make_app

ALLOWED = "https://partner.example"


def _has(app, endpoint: str) -> bool:
    return endpoint in app.view_functions


def _result_id(app) -> str:
    with app.app_context():
        return create_result({"project_kind": "rest_api"}).id


def page_urls(app) -> dict[str, str]:
    """One URL per kind of page that exists in this build of the app."""
    urls = {
        "landing": "/",
        "catalog": "/catalog/",
        "catalog detail": "/catalog/fastapi",
        "api list": f"{API}/technologies",
        "api docs": f"{API}/docs",
        "health": "/healthz",
        "static": "/static/css/app.css",
        "not found": "/no/such/page",
    }
    if _has(app, "results.show"):
        urls["result"] = f"/r/{_result_id(app)}"
    if _has(app, "admin.login"):
        urls["admin login"] = "/admin/login"
    if _has(app, "wizard.step"):
        urls["wizard step"] = "/wizard/kind"
    return urls


# --- security headers -------------------------------------------------------------------------


def test_every_kind_of_page_carries_the_security_headers(app, client):
    urls = page_urls(app)
    for kind, url in urls.items():
        with client.get(url) as response:
            assert response.status_code in (200, 302, 404), (kind, response.status_code)
            assert_security_headers(response)
    assert_security_headers(client.post(f"{API}/recommendations", data="x"))
    assert_security_headers(client.delete("/"))


@pytest.mark.parametrize("kind", ["result", "admin login", "wizard step"])
def test_feature_pages_are_covered(app, kind):
    """The pages of the other features, once they exist, are in the header test above."""
    if kind not in page_urls(app):
        pytest.skip(f"no {kind} page in this build yet")
    assert page_urls(app)[kind]


def test_csp_allows_no_inline_script_or_eval(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_scripts_or_styles(app, client):
    """What the CSP would block: inline <script>, style attributes, on* handlers, hx-on."""
    for kind, url in page_urls(app).items():
        with client.get(url) as response:
            html = response.get_data(as_text=True)
        if response.mimetype != "text/html":
            continue
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), kind
        assert not re.search(r"\sstyle=", html), kind
        assert not re.search(r"\son[a-z]+=", html), kind
        assert "hx-on" not in html, kind


def test_htmx_is_configured_for_the_csp(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', html).group(1))
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False


def test_hsts_only_when_configured(db_path):
    plain = make_app(f"sqlite:///{db_path}")
    assert "Strict-Transport-Security" not in plain.test_client().get("/healthz").headers
    tls = make_app(f"sqlite:///{db_path}", HSTS=True)
    hsts = tls.test_client().get("/healthz").headers["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000 and "includeSubDomains" in hsts


def test_production_config_sets_hsts_secure_cookies_and_needs_a_secret(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(str(tmp_path), {"ADVISOR_ENV": "production"})
    config = from_environment(str(tmp_path), {"ADVISOR_ENV": "production", "SECRET_KEY": "s" * 32})
    assert config["HSTS"] is True
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["MAX_CONTENT_LENGTH"] <= 1024 * 1024


def test_session_cookie_is_httponly_and_samesite(app, client):
    url = "/wizard/kind" if _has(app, "wizard.step") else "/"
    cookies = client.get(url).headers.getlist("Set-Cookie")
    if not cookies:
        pytest.skip("no page sets a cookie in this build")
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    "path",
    [
        "/.git/config",
        "/.env",
        "/.git/HEAD",
        "/static/.gitignore",
        "/static/css/.hidden.css",
        "/.well-known/../.git/config",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/../.git/config",
    ],
)
def test_dotfiles_and_traversal_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"[core]" not in response.data and b"root:" not in response.data


# --- request ids and logs ---------------------------------------------------------------------


def test_request_id_is_generated_and_unique(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_request_id_from_the_caller_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-1234.abc"})
    assert response.headers["X-Request-ID"] == "edge-1234.abc"


@pytest.mark.parametrize("bad", ["a b", "x" * 200, "<script>", "id\u202etxt", "a;b"])
def test_insane_request_ids_are_replaced(client, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def _log_lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_requests_are_logged_as_json_lines_with_the_request_id(client, capsys):
    response = client.get(f"{API}/technologies?q=secret-query", headers={"X-Request-ID": "trace-42"})
    lines = [e for e in _log_lines(capsys.readouterr().err) if e["logger"] == "advisor.request"]
    assert len(lines) == 1
    entry = lines[0]
    assert entry["request_id"] == "trace-42" == response.headers["X-Request-ID"]
    assert entry["method"] == "GET" and entry["path"] == f"{API}/technologies"
    assert entry["status"] == 200 and entry["duration_ms"] >= 0
    assert {"ts", "level", "message", "remote_addr", "endpoint"} <= set(entry)


def test_logs_hold_no_secrets(app, client, capsys):
    secrets = ["hunter2-password", "session-cookie-value", "Bearer-token-xyz", "secret-query"]
    headers = {"Cookie": f"session={secrets[1]}", "Authorization": f"Bearer {secrets[2]}"}
    login = "/admin/login" if _has(app, "admin.login") else "/"
    client.post(login, data={"email": "a@example.com", "password": secrets[0]}, headers=headers)
    client.post(
        f"{API}/recommendations?token={secrets[3]}",
        json={"project_kind": "x", "password": secrets[0]},
        headers=headers,
    )
    client.get(f"/catalog/?q={secrets[3]}", headers=headers)
    err = capsys.readouterr().err
    assert _log_lines(err), "nothing was logged"
    for secret in secrets:
        assert secret not in err


def test_errors_are_logged_with_the_request_id(client, capsys):
    client.post("/wizard/kind", data={}, headers={"X-Request-ID": "csrf-trace"})
    entries = _log_lines(capsys.readouterr().err)
    assert any(e["request_id"] == "csrf-trace" for e in entries)


# --- proxies ----------------------------------------------------------------------------------


def test_forwarded_headers_are_ignored_without_proxy_hops(client):
    response = client.post(
        f"{API}/recommendations",
        json={"project_kind": "scripts"},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
    )
    assert response.get_json()["url"].startswith("http://localhost/")


def test_forwarded_headers_are_trusted_through_configured_hops(db_path, capsys):
    app = make_app(f"sqlite:///{db_path}", PROXY_HOPS=1)
    response = app.test_client().post(
        f"{API}/recommendations",
        json={"project_kind": "scripts"},
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "advisor.example",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert response.get_json()["url"].startswith("https://advisor.example/r/")
    entry = [e for e in _log_lines(capsys.readouterr().err) if e["logger"] == "advisor.request"][-1]
    assert entry["remote_addr"] == "203.0.113.9"


# --- CORS -------------------------------------------------------------------------------------


@pytest.fixture
def cors_client(db_path):
    return make_app(f"sqlite:///{db_path}", CORS_ORIGINS=[ALLOWED]).test_client()


@pytest.mark.parametrize(
    "path",
    ["/technologies", "/technologies/flask", "/vocabulary", "/openapi.json", "/recommendations/unknown-id"],
)
def test_cors_allows_listed_origins_on_read_routes(cors_client, path):
    response = cors_client.get(f"{API}{path}", headers={"Origin": ALLOWED})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_never_echoes_other_origins(cors_client):
    for origin in ("https://evil.example", "null", ALLOWED + ".evil.example", "http://partner.example"):
        response = cors_client.get(f"{API}/technologies", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Origin" in response.headers["Vary"]


def test_cors_is_not_offered_for_writes_or_pages(cors_client):
    post = cors_client.post(
        f"{API}/recommendations", json={"project_kind": "scripts"}, headers={"Origin": ALLOWED}
    )
    assert post.status_code == 201
    assert "Access-Control-Allow-Origin" not in post.headers
    preflight = cors_client.options(
        f"{API}/recommendations", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    page = cors_client.get("/catalog/", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in page.headers


def test_cors_preflight_for_reads(cors_client):
    response = cors_client.options(
        f"{API}/technologies",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "X-Request-ID",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "X-Request-ID" in response.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_no_cors_without_configuration(client):
    response = client.get(f"{API}/technologies", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_wildcard_cors_never_comes_with_credentials(db_path):
    client = make_app(f"sqlite:///{db_path}", CORS_ORIGINS=["*"]).test_client()
    response = client.get(f"{API}/vocabulary", headers={"Origin": "https://anyone.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


# --- CSRF -------------------------------------------------------------------------------------


def _sample_value(rule, arg: str):
    if type(rule._converters[arg]).__name__ == "IntegerConverter":
        return 1
    return "kind" if arg == "name" else "fastapi"


def _form_posts(app) -> list[str]:
    """A URL for every non-API route that takes POST/PUT/PATCH/DELETE."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") or not (rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            continue
        values = {arg: _sample_value(rule, arg) for arg in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def test_every_form_post_without_a_token_is_400_and_writes_nothing(app, client):
    urls = _form_posts(app)
    if not urls:
        pytest.skip("no form posts in this build yet")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult))
    for url in urls:
        response = client.post(url, data={"project_kind": "rest_api", "nav": "next"})
        assert response.status_code == 400, (url, response.status_code)
        assert b"token" in response.data.lower()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult)) == before


def test_csrf_rejection_is_json_for_json_clients(app, client):
    urls = _form_posts(app)
    if not urls:
        pytest.skip("no form posts in this build yet")
    response = client.post(urls[0], data={}, headers={"Accept": "application/json"})
    assert_error_shape(response, 400, "csrf_token")
