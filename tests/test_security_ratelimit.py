"""Rate limits on result creation: 429 with Retry-After, one shared budget, Redis shared or down."""

from __future__ import annotations

import os
import uuid

import pytest

from advisor.core.security import limit_result_creation
from advisor.extensions import csrf, limiter
from tests.api_helpers import API, assert_error_shape, free_port, rate_limited_app, reachable
from tests.app_helpers import make_app

REDIS_URL = os.environ.get("ADVISOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BODY = {"project_kind": "scripts"}


def _post(client, **kwargs):
    return client.post(f"{API}/recommendations", json=BODY, **kwargs)


def test_result_creation_is_limited_with_429_and_retry_after(db_path):
    client = rate_limited_app(make_app, db_path, "3 per minute").test_client()
    assert [_post(client).status_code for _ in range(3)] == [201, 201, 201]
    response = _post(client)
    assert_error_shape(response, 429, "_request")
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 60
    assert response.headers["X-Request-ID"]


def test_limits_are_per_client_address(db_path):
    client = rate_limited_app(make_app, db_path, "2 per minute").test_client()
    for _ in range(2):
        _post(client, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert _post(client, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 429
    assert _post(client, environ_base={"REMOTE_ADDR": "198.51.100.2"}).status_code == 201


def test_reads_are_not_limited_by_the_creation_budget(db_path):
    client = rate_limited_app(make_app, db_path, "1 per minute").test_client()
    created = _post(client).get_json()
    assert _post(client).status_code == 429
    for _ in range(5):
        assert client.get(f"{API}/recommendations/{created['id']}").status_code == 200
        assert client.get(f"{API}/technologies?slot=orm").status_code == 200


def test_invalid_posts_count_too(db_path):
    """Every attempt runs the validator and maybe the engine, so every attempt costs."""
    client = rate_limited_app(make_app, db_path, "2 per minute").test_client()
    client.post(f"{API}/recommendations", json={"project_kind": "nope"})
    client.post(f"{API}/recommendations", data="nope", content_type="application/json")
    assert _post(client).status_code == 429


def test_the_decorator_and_context_manager_share_one_budget(db_path):
    """What the wizard's last step does (`with limit_result_creation:`) shares the API's budget."""
    app = rate_limited_app(make_app, db_path, "2 per minute")

    @app.post("/_test/finish")
    @csrf.exempt
    def finish():
        with limit_result_creation:
            return "saved", 201

    client = app.test_client()
    assert _post(client).status_code == 201
    assert client.post("/_test/finish").status_code == 201
    assert _post(client).status_code == 429
    html = client.post("/_test/finish")
    assert html.status_code == 429 and html.mimetype == "text/html"
    assert int(html.headers["Retry-After"]) > 0


def test_other_result_creating_views_share_the_budget(db_path):
    app = rate_limited_app(make_app, db_path, "1 per minute")
    if "results.rerun" not in app.view_functions:
        pytest.skip("no re-run view in this build yet")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    created = _post(client).get_json()
    assert client.post(f"/r/{created['id']}/rerun").status_code == 429


@pytest.mark.skipif(not reachable(REDIS_URL), reason=f"Redis at {REDIS_URL} is not reachable")
def test_limits_are_shared_through_redis(db_path):
    """Two apps (as two workers or machines) on one Redis share one budget per client."""
    prefix = f"advisor-test-{uuid.uuid4().hex[:8]}"
    config = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    first = rate_limited_app(make_app, db_path, "2 per minute", **config).test_client()
    assert [_post(first).status_code for _ in range(2)] == [201, 201]
    second = make_app(
        f"sqlite:///{db_path}", RATELIMIT_ENABLED=True, RESULT_RATE_LIMIT="2 per minute", **config
    ).test_client()
    response = _post(second)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_app_keeps_serving_when_redis_is_down(db_path):
    """Storage unreachable: results are still created, limits go on per process in memory."""
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(
        f"sqlite:///{db_path}",
        RATELIMIT_ENABLED=True,
        RESULT_RATE_LIMIT="3 per minute",
        RATELIMIT_STORAGE_URI=dead,
    )
    client = app.test_client()
    try:
        statuses = [_post(client).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        assert client.get("/healthz").status_code == 200
        assert client.get(f"{API}/technologies").status_code == 200
    finally:
        limiter._storage_dead = False  # one limiter object serves every app of this test process
