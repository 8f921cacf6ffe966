"""Everything served for a saved result, cached: its page, its comparison, starter and share card.

A saved result never changes and is never deleted, so what is made from it only depends on the
result, on whether the catalog has moved on since (the note on its pages, the versions a starter
falls back to) and on the host (absolute URLs). Each is made once per process for those and sent
with an ETag; none touches the session, so one copy is right for everyone and shared caches may
keep it.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, make_response, request, session

from advisor.catalog.service import published_version, snapshot
from advisor.core.cache import app_cache
from advisor.core.database import reads_only
from advisor.results.service import get_result

# A result whose catalog has since changed will always have changed: what is made from it is final.
FINAL_MAX_AGE = 365 * 24 * 3600
# Until then a browser rechecks every few minutes, so the "catalog changed" note shows up.
FRESH_MAX_AGE = 300
# The template's indentation was a quarter of the page. A run of white space that holds a line break
# renders like one line break outside <pre> and <textarea>, so pages without them drop it. Bump
# PAGE_FORMAT when what is done to a rendered page changes.
_INDENTS = re.compile(r"\n\s+")
PAGE_FORMAT = 3
COMPRESSIBLE = ("text/html", "application/json", "text/plain")


@dataclass(frozen=True)
class Made:
    """What a builder returns: the body, its type, and which templates it came from (for the ETag)."""

    body: bytes | str
    mimetype: str = "text/html"
    templates: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Page:
    """A response body as sent, its gzip, and what the headers need."""

    version: int  # the catalog version it was made against
    final: bool  # nothing can change it any more
    etag: str
    last_modified: datetime
    body: bytes
    gzipped: bytes | None
    mimetype: str
    headers: tuple[tuple[str, str], ...]


# What a response made from a saved result depends on besides the result itself.
NOTE = "note"  # only whether the catalog has changed since (the note): final once it has
CATALOG = "catalog"  # the current catalog version (facts it falls back to): never final
NOTHING = "nothing"  # the result alone: final from the start


def serve(kind: str, result_id: str, build: Callable[..., Made | None], depends: str = NOTE):
    """The response for `kind` of a saved result, made by `build(saved, catalog, changed)` once per
    process and per what it `depends` on; None when there is no such result, or when `build` says
    there is nothing to make (an unknown rank, say)."""
    pages = app_cache("result_pages", 256)
    version = None if depends == NOTHING else published_version()
    page = pages.get((kind, result_id, version, request.url_root))
    if page is None:
        with reads_only():
            saved = get_result(result_id)
            if saved is None:
                return None
            catalog = snapshot()
            changed = catalog.version != saved.catalog_version
            made = build(saved, catalog, changed)
        if made is None:
            return None
        page = _page(kind, saved, catalog.version, changed, depends, made)
        pages.put((kind, result_id, None if depends == NOTHING else page.version, request.url_root), page)
    return _respond(page)


def _page(kind: str, saved, version: int, changed: bool, depends: str, made: Made) -> _Page:
    body = made.body
    if isinstance(body, str):
        if "<pre" not in body and "<textarea" not in body:
            body = _INDENTS.sub("\n", body)
        body = body.encode()
    # A page holds no secret (no session, no CSRF token), so compressing it leaks nothing (BREACH);
    # done once per cached page, so the best level costs nothing per request.
    packed = gzip.compress(body, 9, mtime=0) if made.mimetype in COMPRESSIBLE else None
    final = depends == NOTHING or (depends == NOTE and changed)
    state = {NOTE: int(changed), CATALOG: version, NOTHING: "-"}[depends]
    raw = (
        f"{kind}:{saved.id}:{saved.catalog_version}:{state}:{_templates_digest(made.templates)}:{PAGE_FORMAT}"
    )
    etag = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return _Page(version, final, etag, _utc(saved.created_at), body, packed, made.mimetype, made.headers)


def _respond(page: _Page):
    gzipped = page.gzipped is not None and request.accept_encodings["gzip"] > 0
    etag = page.etag + "-gz" if gzipped else page.etag  # strong tags differ per encoding
    if request.if_none_match.contains_weak(etag):  # proxies may weaken it (gzip)
        response = _cacheable(make_response("", 304), etag, page.final)
    else:
        response = make_response(page.gzipped if gzipped else page.body)
        response.mimetype = page.mimetype
        response = _cacheable(response, etag, page.final)
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.last_modified = page.last_modified
        for name, value in page.headers:
            response.headers[name] = value
    if page.gzipped is not None:
        response.vary.add("Accept-Encoding")
    return response


def _templates_digest(names: tuple[str, ...]) -> str:
    digests = current_app.extensions.setdefault("results_templates_digest", {})
    cached = digests.get(names)
    if cached is None:
        digest = hashlib.sha256()
        for name in names:
            source, _, _ = current_app.jinja_loader.get_source(current_app.jinja_env, name)
            digest.update(source.encode())
        cached = digests[names] = digest.hexdigest()[:16]
    return cached


def _cacheable(response, etag: str, final: bool):
    response.set_etag(etag)
    if current_app.session_interface.should_set_cookie(current_app, session):
        # Something put a cookie on this response: never let a shared cache keep it.
        response.headers["Cache-Control"] = "private, no-cache"
    elif final:
        response.headers["Cache-Control"] = f"public, max-age={FINAL_MAX_AGE}, immutable"
    else:
        response.headers["Cache-Control"] = f"public, max-age={FRESH_MAX_AGE}"
    return response


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
