"""The pages of a saved result: the result, its stacks side by side, what-if re-ranking, starter
files, the share card, and re-running its answers on the current catalog.

What is made from a saved result alone is cached (pages.py) and carries no session and no CSRF
token, so one copy is right for everyone. What needs a token lives at its own URL: the re-run
button is fetched into the page by htmx, and a what-if re-rank (a GET) brings its own "Save as new
link" form.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, make_response, redirect, render_template, request, url_for

from advisor.catalog.service import snapshot
from advisor.core.errors import error_response
from advisor.core.security import limit_engine_runs, limit_result_creation
from advisor.engine import ConstraintError
from advisor.results import bp
from advisor.results.card import render_card
from advisor.results.compare import stack_table
from advisor.results.examples import EXAMPLES, example_result
from advisor.results.forms import RerunForm, WhatIfForm
from advisor.results.pages import CATALOG, NOTHING, Made, serve
from advisor.results.present import present
from advisor.results.service import create_result, get_result, preview_result
from advisor.results.starter import starter_files, starter_stack, zip_bytes

PAGE_TEMPLATES = (
    "base.html",
    "results/show.html",
    "results/_result.html",
    "results/_ranking.html",
    "results/_stack.html",
    "results/_whatif.html",
    "results/_whatif_status.html",
)


@bp.get("/<result_id>")
def show(result_id: str):
    """A saved result as a page; 304 when the browser already holds this version of it."""
    return serve("page", result_id, _page) or _not_found()


def _page(saved, catalog, changed: bool) -> Made:
    html = render_template(
        "results/show.html",
        page=present(saved.payload, saved.constraints, catalog),
        saved=saved,
        changed=changed,
    )
    return Made(html, templates=PAGE_TEMPLATES)


@bp.get("/<result_id>/compare")
def compare(result_id: str):
    """The saved stacks side by side: one table, a column per stack, a row per slot."""
    return serve("compare", result_id, _compare) or _not_found()


def _compare(saved, catalog, changed: bool) -> Made:
    page = present(saved.payload, saved.constraints, catalog)
    html = render_template(
        "results/compare.html", page=page, saved=saved, table=stack_table(saved.payload, page)
    )
    return Made(html, templates=("base.html", "results/compare.html", "results/_charts.html"))


@bp.get("/<result_id>/starter/<int:rank>")
def starter(result_id: str, rank: int):
    """The starter files of one stack, to read before downloading them (like Initializr's Explore)."""
    return serve(f"starter-{rank}", result_id, _starter_page(rank), CATALOG) or _not_found(rank)


def _starter_page(rank: int):
    def build(saved, catalog, changed: bool) -> Made | None:
        stack = starter_stack(saved, rank)
        if stack is None:
            return None
        page = present(saved.payload, saved.constraints, catalog)
        html = render_template(
            "results/starter.html",
            saved=saved,
            page=page,
            stack=page["stacks"][rank - 1],
            files=starter_files(saved, stack),
        )
        return Made(html, templates=("base.html", "results/starter.html"))

    return build


@bp.get("/<result_id>/starter/<int:rank>.zip")
def starter_zip(result_id: str, rank: int):
    """The starter files of one stack as a zip."""

    def build(saved, catalog, changed: bool) -> Made | None:
        stack = starter_stack(saved, rank)
        if stack is None:
            return None
        name = f"stack-{rank}-starter"
        return Made(
            zip_bytes(name, starter_files(saved, stack)),
            "application/zip",
            headers=(("Content-Disposition", f'attachment; filename="{name}.zip"'),),
        )

    return serve(f"starter-{rank}.zip", result_id, build, CATALOG) or _not_found(rank)


@bp.get("/<result_id>/card.png")
def card(result_id: str):
    """The share card (og:image): the top stack's name, parts and score, 1200x630 PNG."""

    def build(saved, catalog, changed: bool) -> Made:
        return Made(render_card(present(saved.payload, saved.constraints, catalog)), "image/png")

    return serve("card", result_id, build, NOTHING) or _not_found()


@bp.route("/<result_id>/whatif", methods=["GET", "POST"])
@limit_engine_runs
def whatif(result_id: str):
    """Re-rank the stacks for other priorities, pins and exclusions (GET, nothing saved), or save
    that re-ranking as a new result at a new permalink (POST); the old one stays as it was."""
    saved = get_result(result_id)
    if saved is None:
        return _not_found()
    catalog = snapshot()
    form, page = _whatif_form(saved, catalog)
    errors = _flat_errors(form) if request.args or request.method == "POST" else {}
    preview = None
    if not errors:
        try:
            if request.method == "POST":
                fresh = create_result(form.constraints(saved.constraints))
                return _redirect(url_for(".show", result_id=sa.inspect(fresh).identity[0]))
            preview = preview_result(form.constraints(saved.constraints))
        except ConstraintError as err:
            errors = err.errors
    if preview is not None:
        page = present(preview, preview["constraints"], catalog) | {"whatif": page["whatif"]}
    return _whatif_response(saved, form, page, errors, preview is not None)


def _whatif_form(saved, catalog) -> tuple[WhatIfForm, dict]:
    """The panel's form, filled from the request, or from the saved answers when there is none."""
    page = present(saved.payload, saved.constraints, catalog)
    posted = request.method == "POST"
    formdata = request.form if posted else (request.args or None)
    defaults = page["whatif"]
    form = WhatIfForm(
        formdata=formdata,
        meta={"csrf": posted},
        data={
            "priorities": {p["axis"]: p["value"] for p in defaults["priorities"]},
            "must_use": sorted(defaults["must_use"]),
            "avoid": sorted(defaults["avoid"]),
        },
    )
    form.set_parts(defaults["parts"])
    form.validate()
    page["whatif"] = {
        **defaults,
        "priorities": [{**p, "value": form.priorities[p["axis"]].data} for p in defaults["priorities"]],
        "must_use": set(form.must_use.data or ()),
        "avoid": set(form.avoid.data or ()),
    }
    return form, page


def _whatif_response(saved, form, page: dict, errors: dict, reranked: bool):
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context = {
        "saved": saved,
        "page": page,
        "form": form,
        "errors": errors,
        "reranked": reranked,
        "preview": True,
        "changed": False,
    }
    if partial:
        body = render_template("results/_whatif_swap.html", **context)
    else:
        body = render_template("results/whatif.html", **context)
    response = make_response(body, 422 if errors and not partial else 200)
    if partial and errors:
        response.headers["HX-Reswap"] = "none"  # keep the ranking; the panel shows what is wrong
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _flat_errors(form) -> dict[str, list[str]]:
    """The form's errors by the label of the input they are about ("Typing", "Exclude")."""
    errors = {}
    for field in form:
        if isinstance(field.errors, dict):
            for sub, messages in field.errors.items():
                errors[field[sub].label.text] = list(messages)
        elif field.errors:
            errors[field.label.text] = list(field.errors)
    return errors


@bp.get("/example/<name>")
def example(name: str):
    """One of the landing page's example results, made once per catalog version."""
    if name not in EXAMPLES:
        abort(404)
    try:
        return redirect(url_for(".show", result_id=example_result(name)), 303)
    except ConstraintError:  # a curator removed what the example needs
        return error_response(404, "This example no longer fits the catalog; try the others.")


@bp.route("/<result_id>/rerun", methods=["GET", "POST"])
@limit_result_creation
def rerun(result_id: str):
    """Offer (GET) or run (POST) this result's answers on the current catalog: a new permalink."""
    saved = get_result(result_id)
    if saved is None:
        return _not_found()
    form = RerunForm()
    errors: dict = {}
    if form.validate_on_submit():
        try:
            fresh = create_result(saved.constraints)
        except ConstraintError as err:
            errors = err.errors
        else:
            return _redirect(url_for(".show", result_id=sa.inspect(fresh).identity[0]))
    changed = snapshot().version != saved.catalog_version
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    body = render_template(
        "results/_rerun.html" if partial else "results/rerun.html",
        saved=saved,
        form=form,
        changed=changed,
        errors=errors,
    )
    response = make_response(body, 422 if errors and not partial else 200)
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _redirect(url: str):
    if request.htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def _not_found(rank: int | None = None):
    if rank is not None:
        return error_response(
            404,
            f"There is no stack #{rank} at this address: either the result "
            "does not exist or it has fewer stacks.",
        )
    return error_response(
        404,
        "There is no result at this address. Results are kept forever, so "
        "the link may be mistyped or cut short.",
    )
