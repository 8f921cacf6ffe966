"""The wizard: one URL per step, a full page for browsers and the step alone for htmx swaps."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for

from advisor.core.errors import error_response
from advisor.core.security import limit_result_creation
from advisor.engine import ConstraintError, vocabulary
from advisor.results import presets
from advisor.results.service import create_result, get_result
from advisor.wizard import bp, fixes, forms, steps
from advisor.wizard.steps import STEPS, Step


@bp.get("/")
def start():
    """Start or resume the wizard; `?from=<result id>` loads that result's answers for editing,
    `?preset=<key>` one of the landing page's start points."""
    result_id, preset = request.args.get("from"), request.args.get("preset")
    if preset:
        if preset not in presets.BY_KEY:
            return error_response(404, "There is no such start point; pick one on the home page.")
        steps.load(presets.BY_KEY[preset].constraints)
        flash(
            f"Started from the answers of “{presets.BY_KEY[preset].title}”. Walk through the steps "
            "and change what does not fit your project."
        )
    elif result_id:
        saved = get_result(result_id)
        if saved is None:
            return error_response(404, "That result does not exist, so there are no answers to edit.")
        steps.load(saved.constraints)
        flash(
            "These are the answers behind your earlier result. Change what you like; "
            "the earlier result stays as it was."
        )
    return redirect(url_for(".step", name=STEPS[0].name))


@bp.post("/reset")
def reset():
    """Forget the answers and start again."""
    steps.clear()
    return _go(STEPS[0])


@bp.route("/<name>", methods=["GET", "POST"])
@limit_result_creation
def step(name: str):
    """Show a step (GET) or take its answers and move on (POST)."""
    current = steps.BY_NAME.get(name) or abort(404)
    if not steps.reachable(current):
        flash("Start by telling us what you are building.")
        return redirect(url_for(".step", name=STEPS[0].name))
    if request.method == "GET":
        picker = _picker_target(current)
        if picker:
            return _picker_options(current, picker)
        return _swap(current)
    form = steps.make_form(current)
    if request.form.get("nav") == "back" and current.previous:
        form.validate()
        steps.save(form.valid_answers())
        return _go(current.previous)
    if not form.validate():
        return _render(current, form, status=422)
    steps.save(form.answers())
    return _finish(current, form) if current.is_last else _go(current.next)


@bp.post("/fix")
@limit_result_creation
def fix():
    """Apply one of a clash's suggested fixes: it becomes the answers, and its result is made."""
    form = forms.FixForm()
    if not form.validate():
        return error_response(
            400,
            "This fix cannot be applied: "
            + " ".join(form.constraints.errors)
            + " Go back to the wizard and try again.",
            "constraints",
        )
    steps.load(form.constraints.data)
    # If the catalog changed since the fix was offered, the last step shows the new clash.
    return _finish(STEPS[-1])


def _finish(current: Step, form=None):
    """Run the engine on every answer, save the result and send the browser to its permalink; a
    clash shows `current` (with `form`, or else the answers) and the ways out of it."""
    try:
        saved = create_result(steps.constraints())
    except ConstraintError as err:
        if form is None:
            form = steps.make_form(current, formdata=None, data=steps.answers())
        return _render(current, form, status=422, engine_errors=err.errors, suggestions=err.suggestions)
    # The identity key, not `saved.id`: the commit expired the object and reading it would reload it.
    url = url_for("results.show", result_id=sa.inspect(saved).identity[0])
    if request.htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def _go(target: Step):
    """After a successful post: the next page (303), or for htmx that step swapped in, URL pushed."""
    url = url_for(".step", name=target.name)
    if not request.htmx:
        return redirect(url, 303)
    response = _render(target, steps.make_form(target, formdata=None, data=steps.answers()))
    response.headers["HX-Push-Url"] = url
    return response


def _swap(current: Step):
    """Show a step with the session's answers."""
    return _render(current, steps.make_form(current, data=steps.answers()))


def _render(
    current: Step,
    form,
    status: int = 200,
    engine_errors: dict | None = None,
    suggestions: list[dict] | None = None,
):
    """The step as a full page, or as the partial for htmx (which does not swap 4xx answers); a
    clash comes with its ways out."""
    partial = request.htmx and not request.htmx.history_restore_request
    summary = _error_summary(current, form, engine_errors or {})
    template = "wizard/_step.html" if partial else "wizard/step.html"
    body = render_template(
        template,
        step=current,
        steps=STEPS,
        form=form,
        errors=summary,
        answers=steps.answers(),
        choices=steps.grouped,
        vocab=vocabulary,
        fixes=fixes.offered(suggestions or [], steps.answers()),
        partial=partial,
    )
    response = make_response(body, 200 if partial else status)
    return _no_store(response)


def _error_summary(current: Step, form, engine_errors: dict) -> list[dict]:
    """Every error as {field, message, href}; the engine's are attached to this step's fields."""
    for key, messages in engine_errors.items():
        if key in form:
            form[key].errors = list(form[key].errors) + list(messages)
    summary = []
    for field in form:
        for message in _flat(field.errors):
            summary.append({"label": None, "message": message, "href": f"#field-{field.name}"})
    for key, messages in engine_errors.items():
        if key not in form:
            elsewhere = steps.FIELD_STEP.get(key)
            href = url_for(".step", name=elsewhere.name) if elsewhere else None
            label = elsewhere.title if elsewhere else "Your answers"
            summary.extend({"label": label, "message": m, "href": href} for m in messages)
    return summary


def _flat(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat(value)]
    return list(errors or ())


def _picker_target(current: Step) -> str | None:
    """The picker whose options htmx asked for (its container is the request's target)."""
    if not request.htmx:
        return None
    for name in current.form.technology_field_names():
        if request.htmx.target == f"{name}-options-container":
            return name
    return None


def _picker_options(current: Step, name: str):
    """The options of one technology picker, filtered by `q`, keeping what is ticked."""
    form = steps.make_form(current, formdata=request.args, meta={"csrf": False})
    query = request.args.get("q", "")[:80]
    body = render_template(
        "wizard/_tech_options.html",
        field=form[name],
        query=query,
        groups=steps.grouped(form[name].data, query),
    )
    return _no_store(make_response(body))


def _no_store(response):
    """Wizard pages depend on the session and on HX-Request; no cache may keep them."""
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
