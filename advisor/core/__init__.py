"""Shared plumbing every feature uses: database engine settings, request bodies, caches, error pages,
JSON, Redis and whole-app security; plus the liveness and readiness routes. It imports no feature
package, so any feature may import it."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from advisor.core import routes
