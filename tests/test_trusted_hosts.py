"""TRUSTED_HOSTS as the contract says: other hosts get a 400 and nothing is written; absolute URLs
and cached pages only ever carry a trusted host; a host the IDNA codec refuses still gets a proper
error page."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from advisor.config import from_environment
from advisor.core.cache import app_cache
from advisor.extensions import db
from advisor.results.models import SavedResult
from tests.api_helpers import API, assert_error_shape, rate_limited_app
from tests.app_helpers import make_app

TRUSTED = "advisor.example"
EVIL = "evil.example"
LONG_LABEL = "a" * 64 + ".example"


@pytest.fixture
def guarded(db_path):
    return make_app(f"sqlite:///{db_path}", TRUSTED_HOSTS=[TRUSTED, "localhost"])


def _results(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult))


def test_the_environment_variable_is_a_comma_separated_list():
    assert from_environment("/tmp", {"TRUSTED_HOSTS": " advisor.example, .example.org ,"})[
        "TRUSTED_HOSTS"
    ] == ["advisor.example", ".example.org"]
    assert from_environment("/tmp", {})["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize("path", ["/", "/wizard/kind", "/admin/login", "/catalog/", "/healthz"])
def test_pages_for_an_untrusted_host_are_400(guarded, path):
    response = guarded.test_client().get(path, headers={"Host": EVIL})
    assert response.status_code == 400
    assert "does not answer to the host name" in response.text
    assert EVIL not in response.text
    assert 'rel="stylesheet"' in response.text  # the site's own error page, not the bare fallback


def test_an_untrusted_host_writes_nothing_and_counts_no_rate_limit(db_path):
    app = rate_limited_app(make_app, db_path, "1 per minute", TRUSTED_HOSTS=[TRUSTED])
    client = app.test_client()
    before = _results(app)
    evil = client.post(f"{API}/recommendations", json={"project_kind": "scripts"}, headers={"Host": EVIL})
    assert_error_shape(evil, 400, "_request")
    assert _results(app) == before
    # The refused request used none of the client's budget.
    good = client.post(f"{API}/recommendations", json={"project_kind": "scripts"}, headers={"Host": TRUSTED})
    assert good.status_code == 201
    assert good.headers["Location"].startswith(f"http://{TRUSTED}/r/")
    assert good.get_json()["url"].startswith(f"http://{TRUSTED}/r/")
    assert _results(app) == before + 1


def test_a_forwarded_host_is_checked_too(db_path):
    app = make_app(f"sqlite:///{db_path}", TRUSTED_HOSTS=[TRUSTED], PROXY_HOPS=1)
    client = app.test_client()
    evil = client.get("/", headers={"Host": TRUSTED, "X-Forwarded-Host": EVIL})
    assert evil.status_code == 400
    assert client.get("/", headers={"Host": "internal:8000", "X-Forwarded-Host": TRUSTED}).status_code == 200


def test_cached_result_pages_only_ever_carry_a_trusted_host(guarded):
    client = guarded.test_client()
    created = client.post(
        f"{API}/recommendations", json={"project_kind": "web_app"}, headers={"Host": TRUSTED}
    )
    path = f"/r/{created.get_json()['id']}"
    assert client.get(path, headers={"Host": EVIL}).status_code == 400
    page = client.get(path, headers={"Host": TRUSTED, "Accept-Encoding": "identity"})
    assert page.status_code == 200
    assert f'<link rel="canonical" href="http://{TRUSTED}{path}">' in page.text
    assert f'<meta property="og:url" content="http://{TRUSTED}{path}">' in page.text
    assert client.get(path, headers={"Host": EVIL}).status_code == 400  # not served from the cache
    with guarded.app_context():
        hosts = {key[-1] for key in app_cache("result_pages").entries}  # (kind, id, version, host)
    assert hosts == {f"http://{TRUSTED}/"}


def test_any_host_is_answered_when_trusted_hosts_is_unset(client):
    """Development: unset means any host (the contract)."""
    assert client.get("/", headers={"Host": "whatever.test"}).status_code == 200


@pytest.mark.parametrize("trusted", [None, [TRUSTED]])
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_64_character_host_label_gets_the_real_error_page(db_path, caplog, trusted, accept):
    app = make_app(f"sqlite:///{db_path}", TRUSTED_HOSTS=trusted)
    with caplog.at_level(logging.INFO, logger="advisor"):
        response = app.test_client().get("/", headers={"Host": LONG_LABEL, "Accept": accept})
    assert response.status_code == 400
    if accept == "application/json":
        assert_error_shape(response, 400, "_request")
    else:
        assert 'rel="stylesheet"' in response.text and "does not answer to the host name" in response.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR
    ]


def test_production_without_trusted_hosts_says_so_in_the_log(db_path, caplog):
    with caplog.at_level(logging.WARNING, logger="advisor"):
        make_app(f"sqlite:///{db_path}", ADVISOR_ENV="production")
        make_app(f"sqlite:///{db_path}", ADVISOR_ENV="production", TRUSTED_HOSTS=[TRUSTED])
    assert [r.getMessage() for r in caplog.records if "TRUSTED_HOSTS" in r.getMessage()] == [
        "TRUSTED_HOSTS is not set: any Host header is answered and used in absolute URLs"
    ]
