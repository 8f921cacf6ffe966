"""Publishing radar editions: what would move, a confirm step, then one audited write."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from advisor.admin import bp
from advisor.catalog.service import current_version
from advisor.extensions import db
from advisor.radar import service as radar


class PublishForm(FlaskForm):
    """The edition number and catalog version the curator confirmed, so that a publish never
    records something other than what the confirm page showed."""

    number = HiddenField()
    catalog_version = HiddenField()


@bp.get("/radar")
def radar_overview():
    """Published editions, and how the next one would differ from the latest."""
    latest = radar.latest_edition()
    return render_template(
        "admin/radar.html", latest=latest, preview=radar.live_radar(latest), editions=radar.all_editions()
    )


@bp.get("/radar/publish")
def radar_confirm():
    """The confirm step: exactly what the next edition will hold and what moves in it."""
    return _confirm()


def _confirm(message: str | None = None, status: int = 200):
    latest = radar.latest_edition()
    preview = radar.live_radar(latest)
    number = (latest.number if latest else 0) + 1
    form = PublishForm(data={"number": str(number), "catalog_version": str(preview.catalog_version)})
    return render_template(
        "admin/radar_publish.html", form=form, number=number, latest=latest, preview=preview, message=message
    ), status


@bp.post("/radar/publish")
def radar_publish():
    """Publish the confirmed edition (303 to the overview), or show the confirm step again (409)
    when the catalog or the editions moved since it was shown."""
    form = PublishForm()
    if not form.validate():
        return _confirm("The form had expired; check the edition again.", 400)
    if form.catalog_version.data != str(current_version()):
        return _confirm(
            "The catalog changed since you opened this page; here is the edition as it would be now.", 409
        )
    number = int(form.number.data) if (form.number.data or "").isdigit() else None
    try:
        edition = radar.publish(current_user.email, expected_number=number)
        db.session.commit()
    except radar.EditionConflict as err:
        return _confirm(f"Edition {err.args[0]} was published meanwhile; here is the next one.", 409)
    flash(f"Published radar edition {edition.number} ({len(edition.entries)} technologies).", "success")
    return redirect(url_for("admin.radar_overview"), 303)
