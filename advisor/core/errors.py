"""Error pages in HTML, or JSON for API clients; never a traceback.

JSON errors have the contract's shape `{"errors": {"<field>": ["message", ...]}}`; errors that are
about the request as a whole (not one field) use the field name `_request`.
"""

from __future__ import annotations

import logging
import time

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from advisor.extensions import db, limiter

log = logging.getLogger("advisor.errors")

REQUEST_FIELD = "_request"
MESSAGES = {
    400: "The request could not be understood.",
    401: "Please log in.",
    403: "You are not allowed to do that.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    406: "This resource cannot be represented in the requested format.",
    408: "The request took too long to arrive; please send it again.",
    409: "Someone else changed this in the meantime.",
    413: "The request is too large.",
    415: "Unsupported content type.",
    422: "The request was understood but is invalid.",
    429: "Too many requests; please slow down.",
    503: "The service is briefly unavailable; please retry in a few seconds.",
}
# Headers an HTTP error carries that clients rely on (Allow on 405, WWW-Authenticate on 401, ...).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Location")


def wants_json() -> bool:
    """API paths, and clients that ask for JSON rather than HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str | None = None, field: str = REQUEST_FIELD):
    message = message or MESSAGES.get(status, "Error.")
    if wants_json():
        return jsonify(errors={field: [message]}), status
    try:
        return render_template("errors/error.html", status=status, message=message), status
    except Exception:  # the error page itself failed: a bare page rather than a traceback
        log.exception("error page failed to render")
        return f"<!doctype html><title>Error {status}</title><p>{escape(message)}</p>", status


def _retry_after_seconds() -> int:
    """Seconds until the breached limit resets (at least 1)."""
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()))


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):
        log.warning("csrf rejected: %s %s (%s)", request.method, request.path, err.description)
        return error_response(
            400,
            f"Security token missing or expired: {err.description} Reload the page and try again.",
            "csrf_token",
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        message = MESSAGES.get(status) if status != 400 else (err.description or MESSAGES[400])
        body, status = error_response(status, message)
        response = app.make_response((body, status))
        for name, value in err.get_headers():
            if name in KEPT_HEADERS:
                response.headers[name] = value
        if status == 429:
            log.warning("rate limit hit: %s %s (%s)", request.method, request.path, err.description)
            response.headers.setdefault("Retry-After", str(_retry_after_seconds()))
        return response

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.DBAPIError)
    def _database_down(err: sa.exc.DBAPIError):
        # Only a database that cannot be reached (or dropped the connection) is an outage; a
        # constraint or a value the database refused is a bug, answered and logged as one.
        if not (
            err.connection_invalidated or isinstance(err, (sa.exc.OperationalError, sa.exc.InterfaceError))
        ):
            return _unexpected(err)
        _rollback_quietly()
        log.error("database unavailable: %s", type(err).__name__)
        response, status = error_response(503)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        _rollback_quietly()
        return error_response(500, "Something went wrong on our side; it has been logged.")


def _rollback_quietly() -> None:
    """Roll back for an error page; a connection that died with the database may fail even that."""
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError as err:
        log.warning("rollback failed: %s", type(err).__name__)
