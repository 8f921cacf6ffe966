"""Request bodies are read whole, within a deadline and a size limit, before the app sees them.

What a buffering proxy (nginx's request buffering) does in front of the app, done once more inside
it, for deployments without one and for `make run`:

- A body that is still arriving after `BODY_TIMEOUT` seconds is a 408. Under gunicorn's gevent
  worker (the default) the deadline covers the whole body: a client trickling one byte a second is
  cut off like a silent one, and in the meantime it holds a greenlet, not a worker. Elsewhere (the
  development server, the test client, a sync worker) only the server's own per-read timeout applies.
- A chunked body longer than `MAX_CONTENT_LENGTH` is a 413, as a too-long `Content-Length` is
  (Werkzeug alone would cut it at the limit and hand the app the first part): the app gets the
  first `MAX_CONTENT_LENGTH` + 1 bytes with that length declared, so Werkzeug refuses it exactly as
  it refuses a declared length over the limit, when a view reads the body. A declared length over
  the limit is left to Werkzeug, unread.
- No view starts a database transaction and then waits on the network for the rest of its form.

A timeout is left in the environ for the app's first before-request hook, so that the error is
answered in the app's own shape (JSON for the API, a page for browsers), with the usual headers.
"""

from __future__ import annotations

import io
import sys
from contextlib import AbstractContextManager, nullcontext

from flask import Flask

BODY_ERROR = "advisor.body_error"
CHUNK = 64 * 1024


class BodyTimeout(Exception):
    """The body did not arrive within the deadline."""


def _deadline(seconds: float) -> AbstractContextManager:
    """A deadline over everything inside the block, when the server runs on gevent's sockets."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("socket"):
        from gevent import Timeout

        return Timeout(seconds, BodyTimeout)
    return nullcontext()


def _read(stream, length: int | None, limit: int) -> bytes:
    """`length` bytes (or, without a length, up to `limit` + 1: enough to know it is too long)."""
    if length is not None:
        return stream.read(length)
    parts, size = [], 0
    while size <= limit and (part := stream.read(min(CHUNK, limit + 1 - size))):
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _without_body(environ, status: int) -> int:
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(), "0"
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    return status


class BufferedBody:
    """WSGI middleware around `app.wsgi_app`: see the module's docstring."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app, self.app = wsgi_app, app

    def __call__(self, environ, start_response):
        error = self.buffer(environ)
        if error:
            environ[BODY_ERROR] = error
        return self.wsgi_app(environ, start_response)

    def buffer(self, environ) -> int | None:
        """Replace `wsgi.input` by the whole body in memory; an HTTP status when that failed."""
        declared = environ.get("CONTENT_LENGTH", "").strip()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not declared and not chunked:
            return None
        if not chunked and not (declared.isascii() and declared.isdigit() and len(declared) <= 18):
            return None  # Werkzeug answers a malformed or absurd Content-Length itself
        # With both, Transfer-Encoding wins (RFC 9112, 6.3) and the length is the body's own.
        length = None if chunked else int(declared)
        limit = self.app.config.get("MAX_CONTENT_LENGTH") or sys.maxsize
        if length is not None and (length > limit or length == 0):
            return None
        try:
            with _deadline(float(self.app.config.get("BODY_TIMEOUT", 5))):
                body = _read(environ["wsgi.input"], length, limit)
        except BodyTimeout:
            return _without_body(environ, 408)
        except (OSError, ValueError):  # the connection broke, or the chunked framing was invalid
            return _without_body(environ, 400)
        # A short body (the client went away) keeps its declared length: Werkzeug then reports the
        # disconnect as it always did.
        environ["wsgi.input"] = io.BytesIO(body)
        if length is None:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # Werkzeug reads no length from a chunked body
        return None


def register(app: Flask) -> None:
    app.wsgi_app = BufferedBody(app.wsgi_app, app)
