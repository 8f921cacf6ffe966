"""The radar pages: the radar (an edition or the live one) and the list of editions."""

from __future__ import annotations

from flask import render_template, request

from advisor.core.errors import error_response
from advisor.engine.vocabulary import QUADRANT_LABELS, RING_LABELS
from advisor.radar import bp, layout, service
from advisor.radar.forms import EditionForm
from advisor.radar.rings import RULE


@bp.get("")
def index():
    """The radar as a drawing and as tables: the latest edition by default, or ?edition=n."""
    form = EditionForm(formdata=request.args)
    if not form.validate():
        return error_response(422, form.error(), "edition")
    number = form.edition.data
    radar = service.current_radar() if number is None else service.edition_radar(number)
    if radar is None:
        return error_response(404, f"There is no edition {number} of the radar.", "edition")
    return render_template(
        "radar/index.html",
        radar=radar,
        points=layout.layout(radar.entries),
        rule=RULE,
        editions=service.edition_numbers(),
        geometry=layout,
    )


@bp.get("/editions")
def editions():
    """Every published edition with what moved in it, newest first."""
    return render_template("radar/editions.html", editions=service.all_editions(), rule=RULE)


@bp.app_context_processor
def _labels() -> dict:
    return {"ring_labels": RING_LABELS, "quadrant_labels": QUADRANT_LABELS}
