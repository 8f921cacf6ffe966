"""Error pages in HTML, or JSON for API clients; never a traceback."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from advisor.extensions import db

log = logging.getLogger("advisor.errors")

MESSAGES = {
    400: "The request could not be understood.",
    401: "Please log in.",
    403: "You are not allowed to do that.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    409: "Someone else changed this in the meantime.",
    413: "The request is too large.",
    415: "Unsupported content type.",
    422: "The request was understood but is invalid.",
    429: "Too many requests; please slow down.",
    503: "The service is briefly unavailable; please retry in a few seconds.",
}


def wants_json() -> bool:
    """API paths, and clients that ask for JSON rather than HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, message: str | None = None, field: str = "_request"):
    message = message or MESSAGES.get(status, "Error.")
    if wants_json():
        response = jsonify(errors={field: [message]})
    else:
        response = render_template("errors/error.html", status=status, message=message)
    return response, status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):
        log.warning("csrf rejected: %s %s (%s)", request.method, request.path, err.description)
        return error_response(400, f"Security token missing or expired: {err.description} "
                                   "Reload the page and try again.", "csrf_token")

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        message = MESSAGES.get(status) if status != 400 else (err.description or MESSAGES[400])
        response, status = error_response(status, message)
        if status == 429 and getattr(err, "retry_after", None):
            pass
        return response, status

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.DBAPIError)
    def _database_down(err):
        db.session.rollback()
        log.error("database unavailable: %s", type(err).__name__)
        response, status = error_response(503)
        response = app.make_response((response, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(500, "Something went wrong on our side; it has been logged.")
