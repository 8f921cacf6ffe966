"""The Atom feeds: radar editions and catalog changes."""

from __future__ import annotations

from flask import Response, request

from advisor.feeds import bp, service
from advisor.feeds.atom import MIMETYPE, Feed, render


def _atom(feed: Feed) -> Response:
    response = Response(render(feed), mimetype=MIMETYPE)
    # Feed readers poll: an ETag lets them get 304s until something changes.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/radar.atom")
def radar():
    """Every published radar edition with what moved in it."""
    return _atom(service.radar_feed())


@bp.get("/catalog.atom")
def catalog():
    """New technologies and changes of status, successor or curated ring."""
    return _atom(service.catalog_feed())
