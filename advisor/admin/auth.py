"""Curator authentication: login throttling, session start and end, timeouts and access guards."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, current_app, flash, make_response, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from advisor.admin.models import MAX_PASSWORD_LENGTH, User, dummy_verify
from advisor.core.errors import error_response, wants_json
from advisor.core.redisconn import client_options, is_redis
from advisor.extensions import db, login_manager

log = logging.getLogger("advisor.admin.auth")

DEFAULT_IDLE_MINUTES = 30


# --- Flask-Login ------------------------------------------------------------------------------

login_manager.login_view = "admin.login"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Sessions name "<id>:<token>"; a rotated token or a deactivated account ends the session."""
    number, _, token = user_id.partition(":")
    if not number.isdigit() or not token:
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active or not user.token_matches(token):
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Anonymous: 302 to the login page; API-style requests get 401 JSON, htmx a client redirect."""
    log.info("anonymous request refused: %s %s from %s", request.method, request.path, request.remote_addr)
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    login_url = url_for("admin.login", next=target)
    if wants_json():
        body, status = error_response(401)
        response = make_response(body, status)
        response.headers["WWW-Authenticate"] = 'FormBased realm="curators"'
        return response
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def safe_next(target: str | None) -> str | None:
    """A same-site relative path, or None: never a scheme, a host, `//` or a backslash trick."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if target.startswith(("//", "/\\")) or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --- throttling -------------------------------------------------------------------------------


class ThrottleUnavailable(RuntimeError):
    """The counter storage cannot be reached; logins fail closed."""


@dataclass
class LoginOutcome:
    user: User | None = None
    throttled: bool = False
    unavailable: bool = False


class LoginThrottle:
    """Failed-login counters per account and per address, in the rate limiter's storage.

    With REDIS_URL set the counters live in Redis and are shared by every worker; without it they
    are per process (development). Every attempt counts; a successful login clears the account's
    counter but not the address's, so one good account cannot be used to keep guessing others.
    """

    def __init__(self, app):
        uri = (
            app.config.get("LOGIN_RATE_LIMIT_STORAGE_URI")
            or app.config.get("RATELIMIT_STORAGE_URI")
            or "memory://"
        )
        options = client_options(app) if is_redis(uri) else {}
        self.storage = storage_from_string(uri, **options)
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.limit = parse(app.config.get("LOGIN_RATE_LIMIT", "5 per minute"))
        self.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))

    @staticmethod
    def keys(email: str, address: str) -> tuple[str, str]:
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return f"admin-login-account:{account}", f"admin-login-address:{address}"

    def hit(self, email: str, address: str) -> bool:
        """Count one attempt against both keys; False when either is over the limit."""
        if not self.enabled:
            return True
        try:
            return all([self.strategy.hit(self.limit, key) for key in self.keys(email, address)])
        except Exception as err:  # any storage failure: refuse rather than allow unlimited guesses
            raise ThrottleUnavailable(type(err).__name__) from err

    def clear_account(self, email: str) -> None:
        if not self.enabled:
            return
        try:
            self.strategy.clear(self.limit, self.keys(email, "")[0])
        except Exception:  # the login already succeeded; the counter simply expires
            log.warning("could not clear the login counter")

    def retry_after(self, email: str, address: str) -> int:
        try:
            resets = [
                self.strategy.get_window_stats(self.limit, key).reset_time
                for key in self.keys(email, address)
            ]
        except Exception:
            return 60
        return max(1, int(max(resets) - time.time()))


def throttle() -> LoginThrottle:
    app = current_app._get_current_object()
    if "admin_login_throttle" not in app.extensions:
        app.extensions["admin_login_throttle"] = LoginThrottle(app)
    return app.extensions["admin_login_throttle"]


def attempt_login(email: str, password: str) -> LoginOutcome:
    """Check throttles, then the password; log the outcome (never the password)."""
    email = email.strip().lower()
    address = request.remote_addr or "unknown"
    try:
        allowed = throttle().hit(email, address)
    except ThrottleUnavailable as err:
        log.error("login refused, throttle storage unavailable (%s): %s from %s", err, email, address)
        return LoginOutcome(unavailable=True)
    if not allowed:
        log.warning("login throttled: %s from %s", email, address)
        return LoginOutcome(throttled=True)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if len(password) > MAX_PASSWORD_LENGTH:
        user = None
    if user is None:
        dummy_verify(password[:MAX_PASSWORD_LENGTH])
    if user is None or not user.check_password(password) or not user.active:
        log.warning("login failed: %s from %s", email, address)
        return LoginOutcome()
    throttle().clear_account(email)
    log.info("login succeeded: %s (%s) from %s", email, user.role, address)
    return LoginOutcome(user=user)


def throttle_allows(email: str) -> bool:
    """Count a password check outside the login form (password change); False when throttled."""
    try:
        return throttle().hit(email.strip().lower(), request.remote_addr or "unknown")
    except ThrottleUnavailable:
        return False


# --- sessions ---------------------------------------------------------------------------------


def start_session(user: User, password: str) -> None:
    """A fresh session: nothing from before login survives (renewed CSRF token too)."""
    user.ensure_session_token()
    if user.password_needs_rehash():
        user.set_password(password)
    db.session.commit()
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def end_session(everywhere: bool = True) -> None:
    """Log out; rotating the token also invalidates copies of the cookie and other devices."""
    if everywhere and current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        if user is not None:
            user.rotate_session_token()
            db.session.commit()
    logout_user()
    session.clear()


def session_expired() -> str | None:
    """Why the current session must end (idle or too old), or None."""
    now = time.time()
    idle = current_app.config.get("ADMIN_IDLE_MINUTES", DEFAULT_IDLE_MINUTES) * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if now - session.get("login_at", 0) > lifetime:
        return "Your session has ended; please log in again."
    if now - session.get("seen_at", 0) > idle:
        return "You were logged out after a period of inactivity; please log in again."
    return None


def guard_admin_request():
    """Before every admin view: login required (except the login page), and timeouts enforced."""
    if request.endpoint in ("admin.login",):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    reason = session_expired()
    if reason:
        log.info("session ended (%s): %s", "timeout", current_user.email)
        end_session(everywhere=False)
        flash(reason, "info")
        return login_manager.unauthorized()
    session["seen_at"] = int(time.time())
    return None


def no_store(response):
    """After every admin view: pages with accounts, unpublished edits and CSRF tokens stay out of
    every cache (the browser's back-forward cache and history too)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def admin_required(view):
    """Views only admins may use; curators get 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            log.warning(
                "access denied: %s (%s) to %s %s",
                current_user.email,
                current_user.role,
                request.method,
                request.path,
            )
            abort(403)
        return view(*args, **kwargs)

    return wrapped
