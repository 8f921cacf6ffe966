"""Helpers for the API, security and hostile-input tests (fixtures stay in tests/conftest.py)."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

from advisor.extensions import db, limiter

API = "/api/v1"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def assert_security_headers(response) -> None:
    """Every response carries the same hardening headers and no version banner."""
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers.get("X-Request-ID")
    assert "X-Powered-By" not in response.headers
    assert "Server" not in response.headers


def assert_error_shape(response, status: int, field: str | None = None) -> dict:
    """A JSON error of the contract's shape, with `status`, naming `field` when given."""
    assert response.status_code == status, (response.status_code, response.data[:300])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) in ({"errors"}, {"errors", "suggestions"})
    for suggestion in body.get("suggestions", []):
        assert set(suggestion) == {"text", "constraints"} and suggestion["text"]
    assert body["errors"] and all(
        isinstance(m, list) and m and all(isinstance(x, str) for x in m) for m in body["errors"].values()
    ), body
    if field is not None:
        assert field in body["errors"], body
    return body


def rate_limited_app(make_app, db_path, limit: str = "3 per minute", **extra):
    """A fresh app with rate limiting on (tests have it off), its memory storage emptied."""
    app = make_app(f"sqlite:///{db_path}", RATELIMIT_ENABLED=True, RESULT_RATE_LIMIT=limit, **extra)
    with app.app_context():
        limiter.reset()
    return app


def archive(app, slug: str) -> None:
    """Archive one technology the way a curator would: status change plus a catalog version bump."""
    import sqlalchemy as sa

    from advisor.catalog.models import Technology
    from advisor.catalog.service import bump_version

    with app.app_context():
        tech = db.session.scalar(sa.select(Technology).where(Technology.slug == slug))
        tech.status = "archived"
        bump_version()
        db.session.commit()


def reachable(url: str) -> bool:
    """Whether a TCP service at `url` (redis://host:port/...) accepts connections."""
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
