"""Availability under a hung dependency and under slow clients: real gunicorn with the repo's own
gunicorn.conf.py, a Redis that accepts connections and never answers, and sockets that trickle
their request bodies.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from tests.api_helpers import API
from tests.reliability_helpers import HungListener, timed
from tests.test_production import _base_env, create, gunicorns, prepare_database

pytestmark = pytest.mark.slow


@pytest.fixture
def hung_redis() -> Iterator[HungListener]:
    with HungListener() as listener:
        yield listener


def _csrf(http: requests.Session, url: str) -> str:
    from tests.admin_helpers import csrf_from

    return csrf_from(http.get(url, timeout=10).text)


def test_hung_redis_every_page_answers_within_a_second(tmp_path, hung_redis):
    """REDIS_URL points at a listener that never answers: health, pages, a wizard step and a result
    creation each answer within a second; readiness names Redis; logins still fail closed."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    env = _base_env(url, WEB_CONCURRENCY="2", REDIS_URL=f"redis://127.0.0.1:{hung_redis.port}/0",
                    ADVISOR_RATELIMIT="1", ADVISOR_LOG_LEVEL="INFO")
    with gunicorns(tmp_path, env) as (server,), requests.Session() as http:
        base = server.url
        checks = {
            "healthz": lambda: http.get(f"{base}/healthz", timeout=10),
            "index": lambda: http.get(f"{base}/", timeout=10),
            "wizard step": lambda: http.get(f"{base}/wizard/kind", timeout=10),
            "wizard post": lambda: http.post(f"{base}/wizard/kind", timeout=10, allow_redirects=False,
                                             data={"project_kind": "rest_api",
                                                   "csrf_token": _csrf(http, f"{base}/wizard/kind")}),
            "creation": lambda: create(base, http, timeout=10),
        }
        # Twice round, so that both workers (and both the first and a later request) are measured.
        for _ in range(2):
            for name, call in checks.items():
                took, response = timed(call)
                assert took < 1.0, f"{name} took {took:.2f} s"
                assert response.status_code in (200, 201, 303), (name, response.status_code)
        took, created = timed(checks["creation"])
        assert created.status_code == 201 and took < 1.0, (created.status_code, took)

        took, ready = timed(lambda: http.get(f"{base}/readyz", timeout=10))
        assert took < 1.0, f"readyz took {took:.2f} s"
        assert ready.json()["redis"] == "unreachable", ready.json()
        assert ready.json()["database"] == "ok"

        # The login throttle cannot count attempts: logins fail closed, quickly.
        token = _csrf(http, f"{base}/admin/login")
        took, login = timed(lambda: http.post(f"{base}/admin/login", timeout=10, data={
            "email": "nobody@example.org", "password": "x" * 12, "csrf_token": token}))
        assert login.status_code == 503 and took < 1.0, (login.status_code, took)

    log = server.log()
    assert "Traceback" not in log, log[-3000:]
    fallbacks = [line for line in log.splitlines() if "falling back to in-memory storage" in line]
    assert 1 <= len(fallbacks) <= 2, f"one line per worker at most, got {len(fallbacks)}:\n{log[-3000:]}"
