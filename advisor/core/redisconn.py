"""Redis clients that give up fast.

Every Redis client the app makes (the rate limiter's storage, the login throttle, the readiness
check) connects and reads with a timeout of tens of milliseconds and never retries. Redis answers a
loopback or LAN request in well under a millisecond, so the timeout only ever fires when Redis is
down or hung; without it one hung Redis stalled every request that counted a rate limit (redis-py's
default is no timeout and three retries). What each caller does then is its own choice: the rate
limiter goes on with per-process limits, the login throttle refuses logins, readiness reports it.
"""

from __future__ import annotations

import logging

from flask import Flask
from redis import Redis, RedisError
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger("advisor.redis")

REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "unix://")
DEFAULT_TIMEOUT_MS = 50


def is_redis(uri: str | None) -> bool:
    return bool(uri) and uri.startswith(REDIS_SCHEMES)


def client_options(app: Flask) -> dict:
    """Keyword arguments for `redis.from_url` (and the `limits` storages, which pass them on)."""
    seconds = int(app.config.get("REDIS_TIMEOUT_MS") or DEFAULT_TIMEOUT_MS) / 1000
    return {
        "socket_timeout": seconds,
        "socket_connect_timeout": seconds,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 0,
    }


def configure(app: Flask) -> None:
    """Give the rate limiter's storage the fast-failing options (before `limiter.init_app`)."""
    if is_redis(app.config.get("RATELIMIT_STORAGE_URI")):
        options = {**client_options(app), **app.config.get("RATELIMIT_STORAGE_OPTIONS", {})}
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options


def redis_status(app: Flask) -> str | None:
    """ "ok" or "unreachable" for REDIS_URL, None when the app runs without Redis."""
    url = app.config.get("REDIS_URL")
    if not is_redis(url):
        return None
    client = app.extensions.get("advisor_redis")
    if client is None:
        client = app.extensions.setdefault("advisor_redis", Redis.from_url(url, **client_options(app)))
    try:
        client.ping()
    except (RedisError, OSError) as err:
        log.warning("redis unreachable: %s", type(err).__name__)
        return "unreachable"
    return "ok"
