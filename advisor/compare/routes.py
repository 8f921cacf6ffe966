"""GET /compare?t=<slug>&t=<slug>: two to four technologies side by side."""

from __future__ import annotations

from flask import render_template, request

from advisor.catalog.service import snapshot
from advisor.compare import bp
from advisor.compare.service import MAX_COMPARED, MIN_COMPARED, load, table
from advisor.core.errors import error_response


@bp.get("")
def technologies():
    """Two to four technologies: ratings, pros and cons, maintenance facts and rules side by side."""
    slugs = list(dict.fromkeys(t.strip().lower() for t in request.args.getlist("t") if t.strip()))
    if not MIN_COMPARED <= len(slugs) <= MAX_COMPARED:
        return error_response(
            400,
            f"Name two to four technologies to compare (t=django&t=flask); this asked for {len(slugs)}.",
            "t",
        )
    entries = load(slugs)
    missing = [s for s in slugs if s not in entries]
    if missing:
        return error_response(404, f"The catalog has no technology called '{missing[0][:64]}'.", "t")
    names = {slug: tech.name for slug, tech in snapshot().techs.items()}
    return render_template("compare/technologies.html", table=table([entries[s] for s in slugs], names))
