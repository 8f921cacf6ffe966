"""The JSON API (/api/v1): recommendations, the catalog, the vocabulary and its OpenAPI description."""

from flask import Blueprint

from advisor.extensions import csrf

bp = Blueprint("api", __name__)
# No cookie-based auth here, so no CSRF: a cross-site POST can do nothing a script could not.
csrf.exempt(bp)

from advisor.api import routes
