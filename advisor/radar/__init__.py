"""The technology radar: rings and quadrants from the catalog, published editions, what moved."""

from flask import Blueprint

bp = Blueprint("radar", __name__, cli_group="radar")

from advisor.radar import commands, routes


@bp.record_once
def _add_to_catalog_pages(state) -> None:
    """The catalog's pages show rings, radar standing and radar history through these."""
    from advisor.catalog.extras import PageExtras, register_extras
    from advisor.radar import service

    register_extras(
        state.app,
        PageExtras(rings=service.current_rings, standing=service.standing, events=service.ring_events),
    )
