"""Every Redis client gives up within tens of milliseconds: a hung Redis costs a request at most that.

The Redis here accepts connections and never answers (the worst case: a refused connection fails
at once by itself). Each call runs in a thread joined with a deadline, so a regression fails the
test instead of hanging it.
"""

from __future__ import annotations

import os
import threading

import pytest

from advisor.extensions import limiter
from tests.admin_helpers import login, make_user
from tests.api_helpers import API, reachable
from tests.app_helpers import make_app
from tests.reliability_helpers import HungListener, timed

REDIS_URL = os.environ.get("ADVISOR_TEST_REDIS_URL", "")


@pytest.fixture
def hung_url():
    with HungListener() as listener:
        yield f"redis://127.0.0.1:{listener.port}/0"


def within(seconds: float, call):
    """`call()`'s result, or a test failure when it takes longer than `seconds`."""
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(timed(call)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds} s"
    took, result = outcome[0]
    assert took < seconds, took
    return result


@pytest.fixture
def reset_limiter_state():
    yield
    limiter._storage_dead = False  # one limiter object serves every app of this test process


def test_rate_limits_go_on_per_process_when_redis_hangs(db_path, hung_url, reset_limiter_state, caplog):
    app = make_app(
        f"sqlite:///{db_path}",
        RATELIMIT_ENABLED=True,
        RESULT_RATE_LIMIT="3 per minute",
        RATELIMIT_STORAGE_URI=hung_url,
        REDIS_URL=hung_url,
    )
    client = app.test_client()
    statuses = [
        within(
            1.0, lambda: client.post(f"{API}/recommendations", json={"project_kind": "scripts"})
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    warnings = [r for r in caplog.records if "falling back to in-memory storage" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]


def test_login_throttle_fails_closed_fast_when_redis_hangs(db_path, hung_url):
    app = make_app(f"sqlite:///{db_path}", RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT_STORAGE_URI=hung_url)
    make_user(app, "curator@example.org")
    client = app.test_client()
    response = within(1.0, lambda: login(client, "curator@example.org"))
    assert response.status_code == 503
    assert "unavailable" in response.text


def test_readyz_reports_a_hung_redis_without_waiting(app, hung_url):
    app.config["REDIS_URL"] = hung_url
    response = within(1.0, lambda: app.test_client().get("/readyz"))
    assert response.status_code == 200  # the app serves without Redis; it says so
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "unreachable"}


@pytest.mark.skipif(not REDIS_URL or not reachable(REDIS_URL), reason="ADVISOR_TEST_REDIS_URL not reachable")
def test_readyz_reports_a_live_redis(app):
    app.config["REDIS_URL"] = REDIS_URL
    assert app.test_client().get("/readyz").get_json()["redis"] == "ok"


def test_readyz_without_redis_says_nothing_about_it(client):
    assert client.get("/readyz").get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_whatever_redis_does(app, hung_url):
    app.config["REDIS_URL"] = hung_url
    response = within(1.0, lambda: app.test_client().get("/healthz"))
    assert response.get_json() == {"status": "ok"}
