"""Configuration read from the environment, once, at app creation."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


def _sqlite_url(instance_path: str) -> str:
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'advisor.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that name no driver (Heroku-style `postgres://`)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_environment(instance_path: str, env: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = dict(os.environ if env is None else env)
    production = env.get("ADVISOR_ENV", "development") == "production"
    secret = env.get("SECRET_KEY")
    if production and not secret:
        raise ConfigError("SECRET_KEY must be set when ADVISOR_ENV=production")
    database_url = normalise_database_url(env.get("DATABASE_URL") or _sqlite_url(instance_path))
    redis_url = env.get("REDIS_URL") or None
    return {
        "ADVISOR_ENV": "production" if production else "development",
        "SECRET_KEY": secret or "dev-only-not-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "REDIS_URL": redis_url,
        # Connect and read timeout of every Redis client (see advisor.core.redisconn).
        "REDIS_TIMEOUT_MS": int(env.get("ADVISOR_REDIS_TIMEOUT_MS", 50)),
        "MAX_CONTENT_LENGTH": int(env.get("ADVISOR_MAX_BODY", 256 * 1024)),
        # Seconds a request body may take to arrive, in all (see advisor.core.bodies).
        "BODY_TIMEOUT": float(env.get("ADVISOR_BODY_TIMEOUT", 5)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(env.get("ADVISOR_SESSION_HOURS", 8))),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "HSTS": production and env.get("ADVISOR_HSTS", "1") == "1",
        "PROXY_HOPS": int(env.get("ADVISOR_PROXY_HOPS", 0)),
        # Flask checks every request's Host (after ProxyFix) against this list; None: any host.
        "TRUSTED_HOSTS": [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        "CORS_ORIGINS": [o.strip() for o in env.get("ADVISOR_CORS_ORIGINS", "").split(",") if o.strip()],
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down: limits go on per process in memory, and a storage error never fails a request
        # (the login view checks the storage itself to fail closed).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_KEY_PREFIX": "advisor",
        "LOG_LEVEL": env.get("ADVISOR_LOG_LEVEL", "INFO").upper(),
        "RATELIMIT_ENABLED": env.get("ADVISOR_RATELIMIT", "1") == "1",
        "RESULT_RATE_LIMIT": env.get("ADVISOR_RESULT_RATE_LIMIT", "600 per minute"),
        "LOGIN_RATE_LIMIT": env.get("ADVISOR_LOGIN_RATE_LIMIT", "5 per minute"),
        "ENGINE_TOP_K": int(env.get("ADVISOR_TOP_K", 5)),
        # Move each new catalog snapshot (and all that lives as long) out of the cyclic collector's
        # reach (see catalog.service.snapshot); off by default in development and tests, which make
        # many apps in one process.
        "SNAPSHOT_GC_FREEZE": env.get("ADVISOR_GC_FREEZE", "1" if production else "0") == "1",
    }


def engine_options(database_url: str) -> dict:
    """Pool settings per backend: pre-ping for servers, a lock-friendly timeout for SQLite; JSON
    columns written with orjson."""
    from advisor.core.jsonio import dumps_text

    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}, "json_serializer": dumps_text}
    return {
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 5,
        "pool_recycle": 1800,
        "json_serializer": dumps_text,
    }
