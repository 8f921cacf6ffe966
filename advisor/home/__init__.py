"""The landing page: what the advisor does, the wizard's presets, and the catalog by slot."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from advisor.home import routes
