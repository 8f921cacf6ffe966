"""The catalog: models, seed/import/export, and the public catalog pages."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from advisor.catalog import routes
