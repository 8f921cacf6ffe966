"""Availability under a hung dependency and under slow clients: real gunicorn with the repo's own
gunicorn.conf.py, a Redis that accepts connections and never answers, and sockets that trickle
their request bodies.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.api_helpers import API, free_port
from tests.app_helpers import ROOT
from tests.reliability_helpers import HungListener, timed
from tests.test_production import _base_env, _tool, create, gunicorns, prepare_database

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("ADVISOR_TEST_REDIS_URL", "")
KINDS = ("rest_api", "web_app", "microservice", "scripts")


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
    env = _base_env(
        url,
        WEB_CONCURRENCY="2",
        REDIS_URL=f"redis://127.0.0.1:{hung_redis.port}/0",
        ADVISOR_RATELIMIT="1",
        ADVISOR_LOG_LEVEL="INFO",
    )
    with gunicorns(tmp_path, env) as (server,), requests.Session() as http:
        base = server.url
        checks = {
            "healthz": lambda: http.get(f"{base}/healthz", timeout=10),
            "index": lambda: http.get(f"{base}/", timeout=10),
            "wizard step": lambda: http.get(f"{base}/wizard/kind", timeout=10),
            "wizard post": lambda: http.post(
                f"{base}/wizard/kind",
                timeout=10,
                allow_redirects=False,
                data={"project_kind": "rest_api", "csrf_token": _csrf(http, f"{base}/wizard/kind")},
            ),
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
        took, login = timed(
            lambda: http.post(
                f"{base}/admin/login",
                timeout=10,
                data={"email": "nobody@example.org", "password": "x" * 12, "csrf_token": token},
            )
        )
        assert login.status_code == 503 and took < 1.0, (login.status_code, took)

    log = server.log()
    assert "Traceback" not in log, log[-3000:]
    fallbacks = [line for line in log.splitlines() if "falling back to in-memory storage" in line]
    assert 1 <= len(fallbacks) <= 2, f"one line per worker at most, got {len(fallbacks)}:\n{log[-3000:]}"


# --- slow clients ------------------------------------------------------------------------------


class Trickler:
    """`count` connections that each send a POST's headers (Content-Length: 1000) and then one byte of
    body per second, as a slow-loris client does, until the server answers or drops them."""

    HEAD = (
        b"POST " + API.encode() + b"/recommendations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )

    def __init__(self, port: int, count: int):
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
        for sock in self.sockets:
            sock.sendall(self.HEAD)
        self.answers: dict[int, bytes] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self) -> None:
        while not self.stop.wait(1.0):
            for i, sock in enumerate(self.sockets):
                if i in self.answers:
                    continue
                try:
                    sock.sendall(b" ")
                except OSError:
                    self.answers[i] = b""  # dropped by the server

    def __enter__(self) -> Trickler:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()

    def outcomes(self, deadline: float) -> dict[int, bytes]:
        """What each connection got by `deadline` (monotonic): the answer's first bytes, b"" when
        dropped; connections still waiting are missing."""
        for i, sock in enumerate(self.sockets):
            if i in self.answers:
                continue
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                self.answers[i] = sock.recv(200)
            except TimeoutError:
                continue
            except OSError:
                self.answers[i] = b""
        return self.answers


def test_fifty_slow_bodies_do_not_block_other_clients(tmp_path):
    """The default gunicorn.conf.py (CPUs + 1 workers) keeps answering /healthz, and creating
    results, while 50 connections trickle their bodies; each slow body is cut off with a 408 (or
    dropped) after the body deadline instead of holding the server."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    env = _base_env(url)
    env.pop("WEB_CONCURRENCY", None)
    with gunicorns(tmp_path, env) as (server,):
        with Trickler(server.port, 50) as slow:
            started = time.monotonic()
            for _ in range(3):
                took, response = timed(lambda: requests.get(f"{server.url}/healthz", timeout=10))
                assert response.status_code == 200 and took < 2.0, f"/healthz took {took:.2f} s"
                took, created = timed(lambda: create(server.url, timeout=10))
                assert created.status_code == 201 and took < 2.0, f"creation took {took:.2f} s"
                time.sleep(0.5)
            outcomes = slow.outcomes(deadline=started + 15)
            assert len(outcomes) == 50, f"{50 - len(outcomes)} slow connections still held after 15 s"
            assert all(o == b"" or o.startswith(b"HTTP/1.1 408") for o in outcomes.values()), {
                o[:40] for o in outcomes.values()
            }
        took, response = timed(lambda: requests.get(f"{server.url}/healthz", timeout=10))
        assert response.status_code == 200 and took < 2.0
    assert "Traceback" not in server.log(), server.log()[-3000:]


def test_slow_headers_are_cut_off_too(tmp_path):
    """A client that trickles its request line and headers (one byte a second) is dropped after
    gunicorn's keepalive (5 s), under which the gevent worker reads every request."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    with (
        gunicorns(tmp_path, _base_env(url)) as (server,),
        socket.create_connection(("127.0.0.1", server.port), timeout=15) as sock,
    ):
        started = time.monotonic()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        dropped = None
        for byte in b"X-Slow: " + b"a" * 20:
            try:
                sock.sendall(bytes([byte]))
                sock.settimeout(1.0)
                if sock.recv(100) == b"":
                    dropped = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                dropped = time.monotonic() - started
                break
        assert dropped is not None and dropped < 8, dropped


def _chunked(port: int, body: bytes, path: str = f"{API}/recommendations") -> bytes:
    """POST `body` with Transfer-Encoding: chunked (64 KB chunks); the answer's first bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
        )
        with contextlib.suppress(OSError):  # the server may answer and close before the end
            for start in range(0, len(body), 65536):
                chunk = body[start : start + 65536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        answer = b""
        with contextlib.suppress(OSError):
            while len(answer) < 4096 and (data := sock.recv(4096)):
                answer += data
        return answer


def test_chunked_bodies_over_the_limit_are_413_under_gunicorn(tmp_path):
    """Valid JSON followed by 320 KB of padding, sent chunked: 413 like a too-long Content-Length
    (it used to be cut at the limit, parsed, and saved with a 201)."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    with gunicorns(tmp_path, _base_env(url)) as (server,):
        small = _chunked(server.port, b'{"project_kind": "rest_api"}')
        assert small.startswith(b"HTTP/1.1 201"), small[:200]
        padded = _chunked(server.port, b'{"project_kind": "rest_api"}' + b" " * (320 * 1024))
        assert padded.startswith(b"HTTP/1.1 413"), padded[:200]
        assert b'"_request"' in padded
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize("preload", ["0", "1"])
def test_a_request_waiting_on_postgresql_leaves_its_worker_free(pg_url, tmp_path, preload):
    """One gevent worker: while a request waits on a PostgreSQL lock, /healthz still answers, so
    psycopg waits on gevent's patched select rather than blocking the worker's only thread (also
    when the app, and psycopg with it, was imported in the master before the fork)."""
    import sqlalchemy as sa

    prepare_database(pg_url)
    env = _base_env(pg_url, WEB_CONCURRENCY="1", ADVISOR_PRELOAD=preload)
    with gunicorns(tmp_path, env) as (server,):
        assert create(server.url).status_code == 201  # the worker has its snapshot and connections
        engine = sa.create_engine(pg_url)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("LOCK TABLE catalog_state IN ACCESS EXCLUSIVE MODE"))
                waiting: list = []
                thread = threading.Thread(target=lambda: waiting.append(create(server.url, timeout=30)))
                thread.start()
                time.sleep(0.5)
                assert thread.is_alive(), "the creation did not wait on the lock"
                took, health = timed(lambda: requests.get(f"{server.url}/healthz", timeout=10))
                assert health.status_code == 200 and took < 1.0, f"/healthz took {took:.2f} s"
                conn.rollback()
            thread.join(timeout=30)
            assert waiting and waiting[0].status_code == 201
        finally:
            engine.dispose()


def test_sqlite_writers_in_one_gevent_worker_queue_without_stalling(tmp_path):
    """SQLite, Redis-backed throttles, one gevent worker, logins and creations at once. A login holds
    SQLite's write lock while it clears its throttle counter in Redis; another request of the same
    worker must not meanwhile spin in SQLite's busy wait (C code that never yields), which would
    stall the whole worker for the 30 s busy timeout and end in "database is locked"."""
    if not REDIS_URL:
        pytest.skip("ADVISOR_TEST_REDIS_URL is not set")
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    email, password = f"load-{uuid.uuid4().hex[:8]}@example.org", "a fairly long pass phrase 42"
    made = subprocess.run(
        [*_tool("flask"), "--app", "advisor", "curator", "create", email, "--password-stdin"],
        input=password + "\n",
        cwd=ROOT,
        text=True,
        env=_base_env(url),
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    env = _base_env(
        url,
        WEB_CONCURRENCY="1",
        REDIS_URL=REDIS_URL,
        ADVISOR_RATELIMIT="1",
        ADVISOR_RESULT_RATE_LIMIT="100000 per minute",
        ADVISOR_LOGIN_RATE_LIMIT="100000 per minute",
    )
    with gunicorns(tmp_path, env) as (server,):

        def one(i: int) -> tuple[int, float]:
            if i % 2:
                took, response = timed(lambda: create(server.url, timeout=60, project_kind=KINDS[i % 4]))
                return response.status_code, took
            with requests.Session() as http:
                token = _csrf(http, f"{server.url}/admin/login")
                took, response = timed(
                    lambda: http.post(
                        f"{server.url}/admin/login",
                        data={"email": email, "password": password, "csrf_token": token},
                        timeout=60,
                        allow_redirects=False,
                    )
                )
            return response.status_code, took

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            outcomes = list(pool.map(one, range(64)))
        elapsed = time.perf_counter() - started
    assert sorted({status for status, _ in outcomes}) == [201, 303], outcomes
    assert elapsed < 25, f"64 requests took {elapsed:.1f} s (slowest {max(t for _, t in outcomes):.1f} s)"
    assert "database is locked" not in server.log()


# --- the reverse proxy of docker-compose.yml ------------------------------------------------------


@pytest.fixture
def nginx_in_front(tmp_path):
    """deploy/nginx.conf run by this machine's nginx, its upstream pointed at `upstream(port)`."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    started: list[subprocess.Popen] = []

    def start(upstream_port: int) -> int:
        port = free_port()
        text = (ROOT / "deploy" / "nginx.conf").read_text()
        text = re.sub(r"server app1:8000[^;]*;", f"server 127.0.0.1:{upstream_port};", text)
        text = re.sub(r"\n\s*server app2:8000[^;]*;", "", text)
        text = text.replace("listen 8080", f"listen 127.0.0.1:{port}").replace("/tmp/", f"{tmp_path}/ngx-")
        conf = tmp_path / "nginx.conf"
        conf.write_text(text)
        with (tmp_path / "nginx.log").open("wb") as log:  # a file, never a pipe that could fill
            started.append(
                subprocess.Popen(
                    [nginx, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                return port
            assert time.monotonic() < deadline and started[-1].poll() is None, (
                tmp_path / "nginx.log"
            ).read_text(errors="replace")
            time.sleep(0.1)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def test_nginx_config_shields_even_a_single_sync_worker(tmp_path, nginx_in_front):
    """The proxy of docker-compose.yml, run for real: 50 slow clients never reach one sync worker,
    oversized bodies stop at the proxy, and the forwarded host is the client's, not one it injects."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    env = _base_env(
        url,
        WEB_CONCURRENCY="1",
        ADVISOR_WORKER_CLASS="sync",
        ADVISOR_PROXY_HOPS="1",
        TRUSTED_HOSTS="127.0.0.1,localhost",
    )
    with gunicorns(tmp_path, env) as (server,):
        port = nginx_in_front(server.port)
        base = f"http://127.0.0.1:{port}"
        with Trickler(port, 50):
            for _ in range(3):
                took, response = timed(lambda: requests.get(f"{base}/healthz", timeout=10))
                assert response.status_code == 200 and took < 2.0, f"/healthz took {took:.2f} s"
        created = create(base, headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "1"})
        assert created.status_code == 201
        assert created.headers["Location"].startswith(f"{base}/r/"), created.headers["Location"]
        evil = requests.get(f"{base}/", headers={"Host": "evil.example"}, timeout=10)
        assert evil.status_code == 400
        big = requests.post(
            f"{base}{API}/recommendations",
            data=b"{" + b" " * (300 * 1024) + b"}",
            headers={"Content-Type": "application/json"},
            timeout=10,
        )
        assert big.status_code == 413
