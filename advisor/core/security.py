"""Whole-app hardening: security headers, CORS for API reads, request ids, JSON logs, rate limits.

`register_security(app)` wires it all; `limit_result_creation` is the decorator every view that
saves a result (the API's POST and the wizard's last step) applies, so both share one budget;
`limit_engine_runs` charges the same budget for GETs that run the engine (what-if re-ranks).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, request
from flask.globals import request_ctx
from werkzeug.exceptions import BadRequest, NotFound, RequestTimeout
from werkzeug.middleware.proxy_fix import ProxyFix

from advisor.core import bodies
from advisor.extensions import limiter

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"
STATIC_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not no-referrer: Flask-WTF's strict Referer check under HTTPS needs same-origin referrers.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
CORS_MAX_AGE = "600"

request_log = logging.getLogger("advisor.request")


# --- rate limits ------------------------------------------------------------------------------


def _result_limit() -> str:
    return current_app.config.get("RESULT_RATE_LIMIT", "600 per minute")


# One budget per client address for everything that runs the engine and saves a result.
limit_result_creation = limiter.shared_limit(_result_limit, scope="result-creation", methods=["POST"])
# The same budget for views that run the engine on a GET too (a what-if re-rank saves nothing, but
# costs what a creation costs).
limit_engine_runs = limiter.shared_limit(_result_limit, scope="result-creation")


# --- CORS -------------------------------------------------------------------------------------


def cors_read(view: Callable) -> Callable:
    """Mark a read-only (GET) view as readable by the configured cross-origin allow-list."""
    view.cors_read = True
    return view


def _cors_allowed_origin() -> str | None:
    origin = request.headers.get("Origin")
    if not origin:
        return None
    allowed = current_app.config.get("CORS_ORIGINS") or []
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def _apply_cors(response: Response) -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "cors_read", False):
        return
    response.vary.add("Origin")
    origin = _cors_allowed_origin()
    if origin is None or request.method not in ("GET", "HEAD", "OPTIONS"):
        return
    if request.method == "OPTIONS":
        if request.headers.get("Access-Control-Request-Method", "GET") not in ("GET", "HEAD"):
            return
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = f"Accept, {REQUEST_ID_HEADER}"
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    # The allow-listed value (never an arbitrary echo), and never credentials.
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = f"{REQUEST_ID_HEADER}, Location, Retry-After"
    response.headers.pop("Access-Control-Allow-Credentials", None)


# --- request ids and logs ---------------------------------------------------------------------


def request_id() -> str:
    """This request's id: the caller's X-Request-ID when it is sane, else a new random one."""
    rid = g.get("request_id")
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        g.request_id = rid
    return rid


class JsonFormatter(logging.Formatter):
    """One JSON object per line; only the message and known, secret-free fields."""

    FIELDS = (
        "request_id",
        "method",
        "path",
        "status",
        "duration_ms",
        "remote_addr",
        "user_agent",
        "endpoint",
        "content_length",
    )

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamp the current request id on every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            from flask import has_request_context

            if has_request_context():
                record.request_id = request_id()
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


# Flask-Limiter says in its own log when its storage becomes unreachable (once, as it falls back
# to per-process limits) and when it recovers; those lines belong beside the app's.
LOGGERS = ("advisor", "flask-limiter")


def _enable_loggers() -> None:
    """Undo `logging.config.fileConfig` (Alembic's env.py) disabling loggers that existed before it."""
    for name, logger in logging.root.manager.loggerDict.items():
        if name.split(".")[0] in LOGGERS and isinstance(logger, logging.Logger):
            logger.disabled = False


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr for the `advisor` loggers (and Flask-Limiter's), once per process."""
    _enable_loggers()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            handler = _StderrHandler()
            handler.setFormatter(JsonFormatter())
            handler.addFilter(RequestIdFilter())
            logger.addHandler(handler)


# --- hooks ------------------------------------------------------------------------------------


def _has_nul() -> bool:
    """A NUL character in the path, the query or a form field (never meaningful, and PostgreSQL
    refuses it in text: one slipping into a query would be a 5xx)."""
    if "\x00" in request.path:
        return True
    sources = [request.args]
    # Form bodies only for routes that take them: no parsing for a 404/405, and the JSON API
    # answers a form body with its own 415.
    if (
        request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        and request.routing_exception is None
        and request.blueprint != "api"
    ):
        sources.append(request.form)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for source in sources
        for key, values in source.lists()
    )


def _refuse_bad_host() -> None:
    """A Host that TRUSTED_HOSTS does not name, or that is not even a valid name (a 64-character
    label): Flask could not bind the URL map to it. Refused here, before any other hook can write
    anything, without echoing the host; the error page's links are built relative, from a map bound
    to a placeholder name, so the page renders as any other."""
    if request_ctx.url_adapter is not None:
        return
    request_ctx.url_adapter = current_app.url_map.bind(
        "localhost", script_name=request.script_root or None, url_scheme=request.scheme
    )
    raise BadRequest("This site does not answer to the host name in the request.")


def _start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()
    _refuse_bad_host()
    body_error = request.environ.get(bodies.BODY_ERROR)
    if body_error == 408:
        raise RequestTimeout()
    if body_error == 400:
        raise BadRequest("The request body ended before its declared length, or was malformed.")
    # Dotfiles (/.git/config, /.env, /static/.anything) are never served.
    if any(part.startswith(".") for part in request.path.split("/") if part):
        raise NotFound()
    if _has_nul():
        raise BadRequest("The request contains a NUL character, which no field accepts.")


def _finish_response(response: Response) -> Response:
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config.get("HSTS"):
        response.headers["Strict-Transport-Security"] = HSTS
    response.headers.pop("X-Powered-By", None)
    response.headers.pop("Server", None)
    _apply_cors(response)
    response.headers[REQUEST_ID_HEADER] = request_id()
    _log_request(response)
    return response


def _log_request(response: Response) -> None:
    if request_log.disabled:  # a migration run in this process reconfigured logging
        _enable_loggers()
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    # Path only: no query string, body, cookies or authorisation headers ever reach the log.
    request_log.info(
        "request",
        extra={
            "request_id": request_id(),
            "method": request.method,
            "path": request.path[:300],
            "status": response.status_code,
            "duration_ms": duration,
            "endpoint": request.endpoint,
            "remote_addr": request.remote_addr,
            "user_agent": request.user_agent.string[:200] or None,
            "content_length": request.content_length,
        },
    )


def register_security(app: Flask) -> None:
    """Proxy trust, request ids, headers, CORS and logs for every response of `app`."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    bodies.register(app)
    configure_logging(app)
    if app.config.get("ADVISOR_ENV") == "production" and not app.config.get("TRUSTED_HOSTS"):
        logging.getLogger("advisor.security").warning(
            "TRUSTED_HOSTS is not set: any Host header is answered and used in absolute URLs"
        )
    # First of all before-request hooks, so that even a CSRF rejection has a request id and timing.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_finish_response)
