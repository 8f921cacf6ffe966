"""The app under gunicorn in production mode, as deployed: no version banner, HSTS, secure cookies."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import requests

from tests.api_helpers import API, SECURITY_HEADERS, free_port
from tests.app_helpers import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gunicorn_url(seeded_sqlite, tmp_path_factory):
    """One production-mode gunicorn for this module, on its own copy of the seeded database."""
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    db_path = tmp_path / "advisor.sqlite3"
    shutil.copy(seeded_sqlite, db_path)
    port = free_port()
    env = {
        **os.environ,
        "ADVISOR_ENV": "production",
        "SECRET_KEY": "x" * 40,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "WEB_CONCURRENCY": "1",
        "ADVISOR_BIND": f"127.0.0.1:{port}",
        "ADVISOR_RATELIMIT": "0",
    }
    env.pop("REDIS_URL", None)
    log = (tmp_path / "gunicorn.log").open("wb")  # a file, not a pipe that could fill and block
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                output = (tmp_path / "gunicorn.log").read_text(errors="replace")
                pytest.fail(f"gunicorn did not start:\n{output[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_gunicorn_serves_hardened_responses(gunicorn_url):
    for path in ("/", "/catalog/", f"{API}/technologies", "/no/such/page", "/.git/config"):
        response = requests.get(gunicorn_url + path, timeout=10)
        assert response.status_code in (200, 404), path
        assert not re.search(r"\d", response.headers.get("Server", "")), response.headers.get("Server")
        assert "X-Powered-By" not in response.headers
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
        hsts = response.headers["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
        assert response.headers["X-Request-ID"]


def test_production_cookies_are_secure(gunicorn_url):
    cookies = []
    for path in ("/wizard/kind", "/admin/login", "/"):
        response = requests.get(gunicorn_url + path, timeout=10, allow_redirects=False)
        cookies += [c for c in response.raw.headers.getlist("Set-Cookie")]
    if not cookies:
        pytest.skip("no page sets a cookie in this build")
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_api_works_under_gunicorn(gunicorn_url):
    created = requests.post(
        f"{gunicorn_url}{API}/recommendations", json={"project_kind": "rest_api"}, timeout=30
    )
    assert created.status_code == 201
    body = created.json()
    assert requests.get(f"{gunicorn_url}{API}/recommendations/{body['id']}", timeout=10).json() == body


def test_huge_bodies_are_413_and_no_worker_dies(gunicorn_url):
    two_mb = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    for path, content_type in (
        (f"{API}/recommendations", "application/json"),
        ("/wizard/kind", "application/x-www-form-urlencoded"),
    ):
        try:
            response = requests.post(
                gunicorn_url + path, data=two_mb, timeout=30, headers={"Content-Type": content_type}
            )
            assert response.status_code == 413, (path, response.status_code)
        except requests.ConnectionError:
            pass  # the server may close the connection after answering 413 before the upload ends
    for _ in range(3):
        assert requests.get(f"{gunicorn_url}/healthz", timeout=10).status_code == 200
