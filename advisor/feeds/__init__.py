"""Atom feeds for people who follow the field: radar editions and catalog changes."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from advisor.feeds import routes
