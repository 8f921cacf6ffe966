"""Cross-cutting routes: landing page, health and readiness."""

from flask import Blueprint

bp = Blueprint("core", __name__)

from advisor.core import routes  # noqa: E402,F401
