"""Production shape: real gunicorn processes, several workers, two instances, a database restart.

Each test starts gunicorn as a subprocess on a free loopback port (``gunicorn -c gunicorn.conf.py
wsgi:app``), prepares its database with the real ``flask db upgrade`` and ``flask seed`` commands,
and always stops what it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.api_helpers import API, free_port
from tests.app_helpers import ROOT

pytestmark = pytest.mark.slow

REDIS_URL = os.environ.get("ADVISOR_TEST_REDIS_URL", "")
VENV_BIN = ROOT / ".venv" / "bin"


def _tool(name: str) -> list[str]:
    exe = VENV_BIN / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", name]


def _base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ADVISOR_ENV": "development",
        "SECRET_KEY": "production-test-secret-" + "x" * 20,
        "ADVISOR_RATELIMIT": "0",
        "ADVISOR_LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "ADVISOR_RESULT_RATE_LIMIT", "ADVISOR_PROXY_HOPS", "ADVISOR_PRELOAD"):
        env.pop(name, None)
    env.update(extra)
    return env


def flask_cli(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*_tool("flask"), "--app", "advisor", *args],
        cwd=ROOT,
        env=_base_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def prepare_database(database_url: str) -> None:
    """What a release does once: migrate, then load the seed catalog."""
    flask_cli(database_url, "db", "upgrade")
    flask_cli(database_url, "seed")


class Gunicorn:
    """One gunicorn master (with its workers) on a free loopback port."""

    def __init__(self, tmp_path: Path, name: str, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / f"gunicorn-{name}.log"
        self.env = {**env, "ADVISOR_BIND": f"127.0.0.1:{self.port}"}
        self.process: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self) -> Gunicorn:
        with self.log_path.open("wb") as log:  # a file, never a pipe that could fill and block
            self.process = subprocess.Popen(
                [*_tool("gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"gunicorn did not start:\n{self.log()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def gunicorns(tmp_path: Path, *envs: dict[str, str]) -> Iterator[list[Gunicorn]]:
    servers: list[Gunicorn] = []
    try:
        for i, env in enumerate(envs):
            servers.append(Gunicorn(tmp_path, chr(ord("a") + i), env).start())
        yield servers
    finally:
        for server in servers:
            server.stop()


def create(
    base: str,
    session: requests.Session | None = None,
    headers: dict | None = None,
    timeout: float = 30,
    **constraints,
) -> requests.Response:
    http = session or requests
    return http.post(
        f"{base}{API}/recommendations",
        json={"project_kind": "rest_api", **constraints},
        headers=headers or {},
        timeout=timeout,
        allow_redirects=False,
    )


# --- (a) SQLite, four workers, 200 concurrent writes ---------------------------------------------


def test_sqlite_four_workers_200_concurrent_creations(tmp_path):
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    kinds = ["rest_api", "web_app", "microservice", "scripts"]

    with gunicorns(tmp_path, _base_env(url, WEB_CONCURRENCY="4")) as (server,):

        def one(i: int) -> tuple[int, str, str]:
            with requests.Session() as http:
                response = create(server.url, http, project_kind=kinds[i % len(kinds)])
                return response.status_code, response.headers.get("Location", ""), response.text[:300]

        with ThreadPoolExecutor(max_workers=32) as pool:
            outcomes = list(pool.map(one, range(200)))

        failures = [o for o in outcomes if o[0] != 201]
        assert not failures, f"{len(failures)} of 200 failed, e.g. {failures[:3]}"
        locations = {location for _, location, _ in outcomes}
        assert len(locations) == 200 and all("/r/" in loc for loc in locations)

        def fetch(location: str) -> int:
            with requests.Session() as http:
                return http.get(location, timeout=30).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(fetch, sorted(locations)))
        assert statuses == [200] * 200

    log = server.log()
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]


# --- (b) two instances sharing PostgreSQL and Redis ---------------------------------------------


def _redis_or_skip():
    if not REDIS_URL:
        pytest.skip("ADVISOR_TEST_REDIS_URL is not set")
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as err:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {type(err).__name__}")
    return client


def test_two_instances_share_results_catalog_and_rate_limits(pg_url, tmp_path):
    redis_client = _redis_or_skip()
    prepare_database(pg_url)
    # Requests carry a made-up client address (one proxy hop trusted), so this test's rate-limit
    # keys are its own in the shared Redis database and can be removed afterwards.
    client_ip = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    env = _base_env(
        pg_url,
        WEB_CONCURRENCY="2",
        REDIS_URL=REDIS_URL,
        ADVISOR_RATELIMIT="1",
        ADVISOR_RESULT_RATE_LIMIT="5 per minute",
        ADVISOR_PROXY_HOPS="1",
    )
    headers = {"X-Forwarded-For": client_ip}
    try:
        with gunicorns(tmp_path, env, env) as (a, b):
            # A result created on A is served by B, as JSON and as its permalink page.
            created = create(a.url, headers=headers)
            assert created.status_code == 201, created.text[:500]
            body = created.json()
            from_b = requests.get(f"{b.url}{API}/recommendations/{body['id']}", headers=headers, timeout=10)
            assert from_b.status_code == 200 and from_b.json()["id"] == body["id"]
            assert from_b.json()["stacks"] == body["stacks"]
            page = requests.get(f"{b.url}/r/{body['id']}", timeout=10)
            assert page.status_code == 200 and page.headers.get("ETag")

            # A curator edit (export, rename, import) through the CLI: B's next result sees it.
            export = tmp_path / "catalog.yaml"
            flask_cli(pg_url, "catalog", "export", str(export))
            text = export.read_text(encoding="utf-8")
            top_framework = body["stacks"][0]["components"]["framework"]
            marker = f"- slug: {top_framework}\n"
            assert text.count(marker) == 1, f"{top_framework} not found once in the export"
            start = text.index(marker) + len(marker)
            name_line = text[start : text.index("\n", start)]
            assert name_line.lstrip().startswith("name: "), name_line
            new_name = f"Renamed {uuid.uuid4().hex[:6]}"
            text = (
                text[:start]
                + name_line.split("name: ")[0]
                + f"name: {new_name}"
                + text[start + len(name_line) :]
            )
            export.write_text(text, encoding="utf-8")
            flask_cli(pg_url, "catalog", "import", str(export))

            seen = create(b.url, headers=headers)
            assert seen.status_code == 201, seen.text[:500]
            assert seen.json()["catalog_version"] > body["catalog_version"]
            assert new_name in seen.text

            # Rate limits are shared: 5 per minute per client across both instances.
            # Two results are already counted (one on A, one on B).
            statuses = [
                create(a.url, headers=headers).status_code,
                create(b.url, headers=headers).status_code,
                create(a.url, headers=headers).status_code,
            ]
            assert statuses == [201, 201, 201]
            sixth = create(b.url, headers=headers)
            assert sixth.status_code == 429, sixth.text[:300]
            assert sixth.headers.get("Retry-After")
            assert create(a.url, headers=headers).status_code == 429
    finally:
        for key in redis_client.scan_iter(match=f"*{client_ip}*", count=500):
            redis_client.delete(key)


# --- (c) PostgreSQL restarted under load ---------------------------------------------------------


def _pg_ctl(action: str) -> subprocess.CompletedProcess:
    versions = sorted(os.listdir("/etc/postgresql"))
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", action],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _pg_is_up() -> bool:
    import psycopg

    from tests.app_helpers import PG_URL

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(dsn, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def _ensure_pg_running() -> None:
    if _pg_is_up():
        return
    _pg_ctl("start")
    deadline = time.monotonic() + 30
    while not _pg_is_up() and time.monotonic() < deadline:
        time.sleep(0.5)


@pytest.fixture
def restartable_pg_url() -> Iterator[str]:
    """Like conftest's pg_url, but its admin connection survives a server restart (no pooling)."""
    from tests.app_helpers import fresh_pg_database, pg_unreachable

    reason = pg_unreachable()
    if reason:
        pytest.skip(reason)
    with fresh_pg_database(before_drop=_ensure_pg_running) as url:
        yield url


def test_postgresql_restart_during_load(restartable_pg_url, tmp_path):
    pg_url = restartable_pg_url
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.skip("pg_ctlcluster is not available: cannot restart the local PostgreSQL")
    if os.geteuid() != 0:
        pytest.skip("restarting PostgreSQL needs root")
    prepare_database(pg_url)
    env = _base_env(pg_url, WEB_CONCURRENCY="2")
    records: list[tuple[float, float, int, str]] = []  # (sent, answered, status, body)
    created: list[str] = []

    with gunicorns(tmp_path, env) as (server,):
        stop_at = [time.monotonic() + 60.0]  # moved closer once PostgreSQL is back

        def worker() -> None:
            with requests.Session() as http:
                while time.monotonic() < stop_at[0]:
                    sent = time.monotonic()
                    try:
                        response = create(server.url, http, timeout=15)
                        status, text = response.status_code, response.text
                    except requests.RequestException as err:
                        status, text = -1, repr(err)
                    records.append((sent, time.monotonic(), status, text[:2000]))
                    if status == 201:
                        created.append(response.json()["id"])
                    elif status != 503:
                        time.sleep(0.05)

        try:
            with ThreadPoolExecutor(max_workers=4) as pool:
                futures = [pool.submit(worker) for _ in range(4)]
                time.sleep(2)
                stopping_at = time.monotonic()
                stopped = _pg_ctl("stop")
                assert stopped.returncode == 0, stopped.stderr
                time.sleep(3)
                started = _pg_ctl("start")
                assert started.returncode == 0, started.stderr
                up_at = time.monotonic()
                stop_at[0] = up_at + 15
                for future in futures:
                    future.result(timeout=90)
        finally:
            _ensure_pg_running()

        before = [r for r in records if r[1] < stopping_at]
        assert before and all(r[2] == 201 for r in before), "requests failed before the outage"
        failed = [r for r in records if r[2] != 201]
        assert failed, "no request noticed the outage"
        for _sent, _answered, status, text in failed:
            assert status == 503, f"outage answered {status}: {text[:300]}"
            assert "Traceback" not in text and "psycopg" not in text
            assert "message" in text or "detail" in text or "error" in text, text[:300]
        late_failures = [r for r in failed if r[0] > up_at + 10]
        assert not late_failures, f"{len(late_failures)} failures more than 10 s after PostgreSQL was back"
        assert any(r[2] == 201 and r[0] > up_at for r in records), "no success after the restart"

        # Every 201'd result survived the restart.
        with requests.Session() as http:
            for result_id in created:
                got = http.get(f"{server.url}{API}/recommendations/{result_id}", timeout=10)
                assert got.status_code == 200, (result_id, got.status_code)

    log = server.log()
    assert log.count("Booting worker") == 2, "a worker was restarted:\n" + log[-3000:]
    assert "Traceback" not in log, log[-3000:]


# --- Redis unreachable ---------------------------------------------------------------------------


def test_redis_down_app_keeps_serving(tmp_path):
    """REDIS_URL points at a port nobody listens on: results, pages and health still work."""
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    prepare_database(url)
    env = _base_env(
        url, WEB_CONCURRENCY="2", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", ADVISOR_RATELIMIT="1"
    )
    with gunicorns(tmp_path, env) as (server,), requests.Session() as http:
        created = create(server.url, http)
        assert created.status_code == 201, created.text[:500]
        assert http.get(created.headers["Location"], timeout=10).status_code == 200
        assert http.get(f"{server.url}/wizard/kind", timeout=10).status_code == 200
        assert http.get(f"{server.url}/readyz", timeout=10).status_code == 200
    assert "Traceback" not in server.log(), server.log()[-3000:]


# --- a dead connection at the end of a request -----------------------------------------------


def test_session_close_failure_does_not_replace_the_response(app, monkeypatch):
    """PostgreSQL going away mid-request makes the closing ROLLBACK fail: the answer still stands.

    Seen under test_postgresql_restart_during_load: Flask-SQLAlchemy's teardown raised, and
    gunicorn answered its bare 500 page instead of the 201 or 503 already built.
    """
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    real_close = Session.close
    armed, calls = [], []

    @app.after_request
    def _arm(response):  # the response is built: the next close is the teardown's
        armed.append(True)
        return response

    def failing_close(self):
        if armed and not calls:
            calls.append(self)
            raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection"))
        return real_close(self)

    monkeypatch.setattr(Session, "close", failing_close)
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 200 and calls
    assert client.get("/readyz").status_code == 200


def test_database_error_with_failing_rollback_is_still_a_503(app, monkeypatch):
    """The 503 handler's own ROLLBACK may fail on a dead connection: still a 503 with a message."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    def boom():
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    def failing_rollback(self):
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    app.add_url_rule("/_production_test_boom", view_func=boom)
    monkeypatch.setattr(Session, "rollback", failing_rollback)
    response = app.test_client().get("/_production_test_boom", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert b"Traceback" not in response.data and b"retry" in response.data.lower()
