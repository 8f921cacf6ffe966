"""`flask catalog refresh` against a PyPI stand-in served in this process from recorded answers
(tests/fixtures/pypi/, trimmed real responses of pypi.org): nothing here needs the internet."""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from advisor.catalog.models import AuditEntry
from advisor.catalog.refresh import RefreshError, Release, release_of
from advisor.extensions import db
from tests.catalog_helpers import catalog_state, export_text

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "pypi"


class FakeIndex(ThreadingHTTPServer):
    """Serves /pypi/<name>/json from the recorded answers; 404 with an empty body (as pypi.org
    does) for any other name. `delay` slows every answer; `stall` names packages that answer
    nothing for a long while; `trickle` names packages whose body drips a byte at a time."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay, self.stall, self.trickle = 0.0, set(), set()
        self.requests: list[str] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        self.url = f"http://127.0.0.1:{self.server_port}"

    def handle_error(self, request, client_address):
        # A client that gave up (the refresh's timeout) closes its end while an answer trickles.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: FakeIndex

    def do_GET(self):  # noqa: N802 (http.server's naming)
        index = self.server
        with index.lock:
            index.requests.append(self.path)
            index.in_flight += 1
            index.max_in_flight = max(index.max_in_flight, index.in_flight)
        # Counted until the answer starts: once it is sent, the client may ask again before this
        # thread would get to count it down.
        time.sleep(index.delay)
        with index.lock:
            index.in_flight -= 1
        self._answer(index)

    def _answer(self, index: FakeIndex) -> None:
        parts = self.path.split("/")
        name = parts[2] if len(parts) == 4 and parts[1] == "pypi" and parts[3] == "json" else ""
        if name in index.stall:
            time.sleep(5)
        path = FIXTURES / f"{name}.json"
        if not name or not path.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if name in index.trickle:
            for byte in body[:40]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@contextmanager
def serving() -> Iterator[FakeIndex]:
    index = FakeIndex()
    thread = threading.Thread(target=index.serve_forever, daemon=True)
    thread.start()
    try:
        yield index
    finally:
        index.shutdown()
        index.server_close()
        thread.join(timeout=5)


@pytest.fixture
def index() -> Iterator[FakeIndex]:
    with serving() as server:
        yield server


def _entries(runner) -> dict[str, dict]:
    return {e["slug"]: e for e in yaml.safe_load(export_text(runner))}


def _import(runner, tmp_path, entries: list[dict]) -> None:
    path = tmp_path / "changes.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output


def _refresh(runner, index_url: str, *args: str):
    return runner.invoke(args=["catalog", "refresh", "--index-url", index_url, *args])


def _audits(app, action: str) -> list[tuple[str, str, int, dict]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [(a.actor, a.slug, a.catalog_version, a.changes) for a in rows]


# --- reading one answer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("motor", Release("3.7.1", "2025-05")),
        ("flask", Release("3.1.3", "2026-02")),
        ("pymongo", Release("4.20.1", "2026-11")),
        # Its older releases are yanked; PyPI's info.version already names the newest that is not.
        ("tonic-config", Release("0.1.7", "2020-05")),
    ],
)
def test_the_newest_release_and_its_month_are_read_from_recorded_answers(name, expected):
    assert release_of(json.loads((FIXTURES / f"{name}.json").read_text())) == expected


def test_a_project_whose_every_release_is_yanked_is_refused():
    with pytest.raises(RefreshError, match=r"every release is yanked \(the newest is 0\.9\.0\)"):
        release_of(json.loads((FIXTURES / "django-twilio2.json").read_text()))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "no usable info.version"),
        ([], "no usable info.version"),
        ({"info": {"version": ""}}, "no usable info.version"),
        ({"info": {"version": "1.0"}}, "no list of files"),
        ({"info": {"version": "1.0"}, "urls": []}, "release 1.0 has no files"),
        ({"info": {"version": "1.0"}, "urls": [{"upload_time_iso_8601": "last Tuesday"}]}, "not an ISO 8601"),
    ],
)
def test_answers_without_a_dated_release_are_refused(data, words):
    with pytest.raises(RefreshError, match=words):
        release_of(data)


# --- the command --------------------------------------------------------------------------------


def test_a_new_version_updates_the_entry_and_bumps_the_catalog_version_once(app, runner, tmp_path, index):
    entries = _entries(runner)
    old = [
        dict(entries["motor"], latest_version="3.6.0", last_release="2024-09"),
        dict(entries["flask"], latest_version="3.0.0", last_release="2023-09"),
    ]
    _import(runner, tmp_path, old)
    version, audits = catalog_state(app)

    result = _refresh(runner, index.url, "motor", "flask")
    assert result.exit_code == 0, result.output
    assert "2 updated, 0 unchanged, 0 failed" in result.stdout
    assert catalog_state(app) == (version + 1, audits + 2)
    after = _entries(runner)
    assert (after["motor"]["latest_version"], after["motor"]["last_release"]) == ("3.7.1", "2025-05")
    assert (after["flask"]["latest_version"], after["flask"]["last_release"]) == ("3.1.3", "2026-02")
    # Nothing else of the entries moved; each change is audited once, under one catalog version.
    for slug in ("motor", "flask"):
        assert {k: v for k, v in after[slug].items() if k not in ("latest_version", "last_release")} == {
            k: v for k, v in entries[slug].items() if k not in ("latest_version", "last_release")
        }
    rows = _audits(app, "refresh")
    assert sorted(r[1] for r in rows) == ["flask", "motor"]
    assert {r[0] for r in rows} == {"refresh"} and {r[2] for r in rows} == {version + 1}
    motor = next(r for r in rows if r[1] == "motor")[3]
    assert motor == {
        "latest_version": {"old": "3.6.0", "new": "3.7.1"},
        "last_release": {"old": "2024-09", "new": "2025-05"},
    }
    assert sorted(index.requests) == ["/pypi/flask/json", "/pypi/motor/json"]

    # The same answers again: nothing to write, no new version.
    result = _refresh(runner, index.url, "motor", "flask")
    assert result.exit_code == 0 and "0 updated, 2 unchanged" in result.stdout
    assert catalog_state(app) == (version + 1, audits + 2)


def test_a_closed_port_exits_1_names_the_packages_and_changes_nothing(app, runner):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before, state = export_text(runner), catalog_state(app)
    result = _refresh(runner, f"http://127.0.0.1:{port}", "motor", "flask", "sqlalchemy")
    assert result.exit_code == 1
    for package in ("motor", "flask", "sqlalchemy"):
        assert re.search(
            rf"^{package} \(for {package}\): cannot reach the index .*; left as it was$", result.stderr, re.M
        ), result.stderr
    assert "nothing was changed" in result.stderr
    assert export_text(runner) == before and catalog_state(app) == state


def test_every_package_of_the_catalog_with_at_most_eight_requests_in_flight(app, runner, index):
    """No SLUG: every technology with a package is asked for, never more than eight at once; most
    are unknown to the stand-in (404), so the run fails, but what it could read is written."""
    index.delay = 0.05
    with app.app_context():
        from advisor.catalog.models import Technology

        packages = set(
            db.session.scalars(sa.select(Technology.package).where(Technology.package.is_not(None)))
        )
    version, _ = catalog_state(app)
    result = _refresh(runner, index.url)
    assert result.exit_code == 1
    assert sorted(index.requests) == sorted(f"/pypi/{p}/json" for p in packages)
    assert 1 < index.max_in_flight <= 8
    assert "not on the index (HTTP 404: no such project, or no releases)" in result.stderr
    failed = len(packages - {p.stem for p in FIXTURES.glob("*.json")})
    assert f"{failed} failed" in result.stdout
    assert len(result.stderr.strip().splitlines()) == failed
    # Known packages were read: one version for the whole run, or none if nothing changed.
    assert catalog_state(app)[0] in (version, version + 1)


def test_a_stalled_and_a_trickling_answer_time_out_the_others_are_written(app, runner, tmp_path, index):
    entries = _entries(runner)
    _import(runner, tmp_path, [dict(entries["motor"], latest_version="3.0.0", last_release="2022-01")])
    index.stall, index.trickle = {"flask"}, {"pymongo"}
    version, _ = catalog_state(app)
    started = time.monotonic()
    result = _refresh(runner, index.url, "--timeout", "1", "motor", "flask", "pymongo")
    assert time.monotonic() - started < 4, "a slow answer held the refresh beyond its timeout"
    assert result.exit_code == 1
    assert "flask (for flask): no answer within 1 s; left as it was" in result.stderr
    assert "pymongo (for pymongo): no answer within 1 s; left as it was" in result.stderr
    assert "nothing was changed" not in result.stderr
    assert _entries(runner)["motor"]["latest_version"] == "3.7.1"
    assert catalog_state(app)[0] == version + 1


def test_yanked_missing_and_unlisted_packages_are_named_and_left_alone(app, runner, tmp_path, index):
    entries = _entries(runner)
    base = {k: v for k, v in entries["flask"].items()}
    made = [
        dict(
            base,
            slug="twilio-thing",
            name="Twilio thing",
            package="django-twilio2",
            rules=[],
            aliases=[],
            latest_version="0.8.0",
            last_release="2017-01",
        ),
        dict(
            base,
            slug="tonic-thing",
            name="Tonic thing",
            package="tonic-config",
            rules=[],
            aliases=[],
            latest_version=None,
            last_release=None,
        ),
        dict(
            base,
            slug="no-release-thing",
            name="No release",
            package="python",
            rules=[],
            aliases=[],
            latest_version="1.0",
            last_release="2001-01",
        ),
    ]
    _import(runner, tmp_path, made)
    result = _refresh(runner, index.url, "twilio-thing", "tonic-thing", "no-release-thing", "postgresql")
    assert result.exit_code == 1
    assert (
        "django-twilio2 (for twilio-thing): every release is yanked (the newest is 0.9.0); left as it was"
    ) in result.stderr
    assert (
        "python (for no-release-thing): not on the index (HTTP 404: no such project, or no "
        "releases); left as it was"
    ) in result.stderr
    after = _entries(runner)
    assert (after["twilio-thing"]["latest_version"], after["twilio-thing"]["last_release"]) == (
        "0.8.0",
        "2017-01",
    )
    assert (after["no-release-thing"]["latest_version"], after["no-release-thing"]["last_release"]) == (
        "1.0",
        "2001-01",
    )
    assert (after["tonic-thing"]["latest_version"], after["tonic-thing"]["last_release"]) == (
        "0.1.7",
        "2020-05",
    )
    if entries["postgresql"]["package"] is None:
        assert "postgresql: no package, so no registry facts to refresh" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--index-url", "file:///etc"], "http:// or https://"),
        (["--index-url", "pypi.org"], "http:// or https://"),
        (["--index-url", "https://pypi.org", "no-such-slug"], "not in the catalog: no-such-slug"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "soon"], "--timeout"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(app, runner, args, words):
    state = catalog_state(app)
    result = runner.invoke(args=["catalog", "refresh", *args])
    assert result.exit_code == 2
    assert words in result.output
    assert catalog_state(app) == state
