"""The technology radar: rings and quadrants from the catalog, published editions, what moved."""

from flask import Blueprint

bp = Blueprint("radar", __name__, cli_group="radar")

from advisor.radar import commands, routes
