"""Saved results: immutable snapshots behind unguessable permalinks, and their pages."""

from flask import Blueprint

bp = Blueprint("results", __name__)

from advisor.results import routes
