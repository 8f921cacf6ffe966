"""Registry facts from PyPI's JSON API: each package's newest release and the month it came out.

`{index}/pypi/{package}/json` answers `info.version` (PyPI's pick of the newest release: it passes
over yanked releases while any release is not yanked) and `urls`, the files of that release. The
release month is that of its earliest file. What the refresh refuses, leaving the entry as it was:
- every release yanked (PyPI then answers the newest yanked one, with `info.yanked` true): a
  withdrawn release is not a version to show anyone;
- a project with no releases: PyPI answers 404, as for a name it does not know;
- a release without files (a version registered with nothing uploaded): it has no date.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlsplit
from urllib.request import Request, urlopen

import sqlalchemy as sa

from advisor.catalog import service
from advisor.catalog.models import Technology
from advisor.catalog.schemas import MONTH_ERROR
from advisor.engine.maintenance import MONTH_RE
from advisor.extensions import db

DEFAULT_INDEX_URL = "https://pypi.org"
DEFAULT_TIMEOUT = 10.0  # seconds for one whole request, connection to last byte
MAX_IN_FLIGHT = 8  # requests at once: polite to the index, quick for ~200 packages
MAX_BODY_BYTES = 64 * 1024 * 1024  # the largest projects' JSON (every release's files) is tens of MB
CHUNK = 256 * 1024
# PEP 508 distribution names: what a catalog `package` must look like before it goes into a URL.
PACKAGE_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")
USER_AGENT = "stack-advisor-catalog-refresh"


class RefreshError(Exception):
    """A package whose facts could not be read; the message says why, in a few words."""


@dataclass(frozen=True)
class Release:
    version: str
    month: str  # "YYYY-MM"


def check_index_url(url: str) -> str:
    """An http(s) base URL without a trailing slash, or ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("the index URL must be an http:// or https:// address, e.g. https://pypi.org")
    return url.rstrip("/")


def release_of(data: object) -> Release:
    """The newest release in a parsed JSON API answer, or RefreshError."""
    if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
        raise RefreshError("the answer has no usable info.version")
    info = data["info"]
    version = info.get("version")
    if not isinstance(version, str) or not 0 < len(version) <= 64:
        raise RefreshError("the answer has no usable info.version")
    if info.get("yanked"):
        raise RefreshError(f"every release is yanked (the newest is {version})")
    files = data.get("urls")
    if not isinstance(files, list):
        raise RefreshError("the answer has no list of files (urls)")
    times = [f.get("upload_time_iso_8601") for f in files if isinstance(f, dict)]
    months = sorted(_month(t) for t in times if isinstance(t, str))
    if not months:
        raise RefreshError(f"release {version} has no files, so no date")
    return Release(version, months[0])


def _month(timestamp: str) -> str:
    try:
        month = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).strftime("%Y-%m")
    except ValueError:
        raise RefreshError(f"upload time {timestamp[:40]!r} is not an ISO 8601 time") from None
    if not MONTH_RE.fullmatch(month):
        raise RefreshError(MONTH_ERROR)
    return month


def fetch(index_url: str, package: str, timeout: float) -> Release:
    """One package's newest release from the index, within `timeout` seconds overall."""
    if not PACKAGE_RE.fullmatch(package):
        raise RefreshError("not a PyPI package name")
    url = f"{index_url}/pypi/{quote(package, safe='')}/json"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    deadline = time.monotonic() + timeout
    try:
        # urlopen's timeout bounds each socket operation; the deadline bounds the whole answer,
        # so that a server trickling bytes cannot hold a worker for longer than `timeout`.
        with urlopen(request, timeout=timeout) as response:
            body = _read(response, deadline, timeout)
    except HTTPError as err:
        err.close()  # it holds the response and its socket
        if err.code == 404:
            raise RefreshError("not on the index (HTTP 404: no such project, or no releases)") from None
        raise RefreshError(f"the index answered HTTP {err.code}") from None
    except TimeoutError:
        raise RefreshError(f"no answer within {timeout:g} s") from None
    except URLError as err:
        raise RefreshError(f"cannot reach the index ({err.reason})") from None
    except (HTTPException, OSError) as err:
        raise RefreshError(f"the connection failed ({type(err).__name__})") from None
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RefreshError("the answer is not JSON") from None
    return release_of(data)


def _read(response, deadline: float, timeout: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):  # what has arrived, so the deadline is checked often
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RefreshError(f"the answer is larger than {MAX_BODY_BYTES // 2**20} MB")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_all(
    packages: list[str], index_url: str, timeout: float, workers: int = MAX_IN_FLIGHT
) -> dict[str, Release | RefreshError]:
    """Every package's release or error; at most `workers` requests in flight at once."""

    def one(package: str) -> Release | RefreshError:
        try:
            return fetch(index_url, package, timeout)
        except RefreshError as err:
            return err

    unique = list(dict.fromkeys(packages))
    if not unique:
        return {}
    with ThreadPoolExecutor(
        max_workers=min(workers, len(unique)), thread_name_prefix="catalog-refresh"
    ) as pool:
        return dict(zip(unique, pool.map(one, unique), strict=True))


@dataclass
class RefreshReport:
    failed: dict[str, str]  # package -> why
    updated: list[str]  # slugs whose facts changed
    unchanged: int
    version: int  # the catalog version afterwards


def refresh(
    techs: list[Technology],
    index_url: str,
    timeout: float,
    actor: str = "refresh",
    workers: int = MAX_IN_FLIGHT,
) -> RefreshReport:
    """Fetch every technology's package and write what changed as one catalog version.

    The caller commits. When no package could be read, nothing is written at all.
    """
    by_slug = {t.slug: t.package for t in techs if t.package}
    results = fetch_all(list(by_slug.values()), index_url, timeout, workers)
    failed = {p: str(r) for p, r in results.items() if isinstance(r, RefreshError)}
    releases = {p: r for p, r in results.items() if isinstance(r, Release)}
    if not releases:
        return RefreshReport(failed, [], 0, service.current_version())
    entries = []
    for entry in service.export_entries():
        release = releases.get(by_slug.get(entry["slug"], ""))
        if release is not None:
            entries.append({**entry, "latest_version": release.version, "last_release": release.month})
    applied = service.apply_entries(entries, actor=actor, action="refresh")
    return RefreshReport(failed, applied.updated, applied.unchanged, applied.version)


def technologies(slugs: tuple[str, ...]) -> tuple[list[Technology], list[str]]:
    """The technologies to refresh (those named, or every one with a package) and unknown slugs."""
    query = sa.select(Technology).order_by(Technology.slug)
    if slugs:
        query = query.where(Technology.slug.in_(slugs))
    techs = list(db.session.scalars(query))
    known = {t.slug for t in techs}
    return techs, [s for s in slugs if s not in known]
