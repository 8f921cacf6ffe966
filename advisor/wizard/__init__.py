"""The wizard: a few short steps whose answers become the engine's constraints."""

from flask import Blueprint

bp = Blueprint("wizard", __name__)

from advisor.wizard import routes
