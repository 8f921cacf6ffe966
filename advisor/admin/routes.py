"""Catalog screens: list, create, edit (rows, preview, save, conflict, merge), archive, audit."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from advisor.admin import bp, editing, service
from advisor.admin.fields import ConfirmForm, page_number, version_number
from advisor.admin.forms import TechnologyForm, field_errors
from advisor.catalog.models import Technology, TechnologySlot
from advisor.catalog.service import current_version, to_entry
from advisor.engine.maintenance import STATUS_LABELS
from advisor.engine.vocabulary import CAPABILITY_GROUPS, RATING_AXES, SLOTS, STATUSES, TRADEOFF_KINDS
from advisor.extensions import db

PER_PAGE = 50


# --- list -------------------------------------------------------------------------------------


@bp.get("/")
def index():
    """Every technology, filtered by slot, status and a search as you type."""
    q = (request.args.get("q") or "").strip()[:100]
    slot = request.args.get("slot") if request.args.get("slot") in SLOTS else ""
    status = request.args.get("status") if request.args.get("status") in STATUSES else ""
    page = db.paginate(
        _list_query(q, slot, status), page=page_number(request.args), per_page=PER_PAGE, error_out=False
    )
    context = dict(page=page, q=q, slot=slot, status=status, slots=SLOTS, version=current_version())
    if request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request"):
        return render_template("admin/_tech_table.html", **context)
    return render_template("admin/index.html", **context)


def _list_query(q: str, slot: str, status: str):
    query = (
        sa.select(Technology)
        .options(selectinload(Technology.slots))
        .order_by(sa.func.lower(Technology.name), Technology.slug)
    )
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(
                sa.func.lower(Technology.name).like(pattern, escape="\\"),
                Technology.slug.like(pattern, escape="\\"),
            )
        )
    if slot:
        query = query.where(Technology.slots.any(TechnologySlot.slot == slot))
    if status:
        query = query.where(Technology.status == status)
    return query


# --- create and edit --------------------------------------------------------------------------


@bp.route("/technologies/new", methods=["GET", "POST"])
def create():
    """A new technology; rows, preview and save all post here."""
    if request.method == "GET":
        form = TechnologyForm(formdata=None, data={"ratings": {a: 3 for a in RATING_AXES}})
        return _render(form, None)
    return _post(TechnologyForm(), None)


@bp.route("/technologies/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    """Every field of one technology; rows, preview and save all post here."""
    tech = service.load_technology(slug)
    if request.method == "GET":
        entry = to_entry(tech)
        return _render(editing.form_for(entry, tech.lock_version, entry), tech)
    return _post(editing.for_existing(TechnologyForm(), tech.status), tech)


def _post(form: TechnologyForm, tech: Technology | None):
    op = request.form.get("op", "save")
    if op.startswith(("add:", "remove:")):
        return _render(form, tech, partial=editing.apply_row_op(form, op))
    entry = _validated_entry(form, tech)
    if entry is None:
        if op == "preview" and _htmx():
            return _render(form, tech, preview=[], partial="preview")
        return _render(form, tech, status=422)
    if op == "preview":
        return _render(form, tech, preview=service.preview(entry), partial="preview")
    if tech is None:
        return _save_new(form, entry)
    return _save_edit(form, tech, entry)


def _validated_entry(form: TechnologyForm, tech: Technology | None) -> dict | None:
    """The form's entry after the form's checks and the catalog's own (shared with imports)."""
    slug = tech.slug if tech else (form.slug.data or "")
    status = form.status.data if form.status is not None else tech.status
    ok = form.validate()
    ok = editing.validate_lines(form) and ok
    ok = editing.check_targets(form, service.statuses(), status) and ok
    if not ok:
        return None
    old_slots = [s.slot for s in tech.slots] if tech else []
    raw = editing.entry_from_form(form, slug, status, old_slots)
    entry, problems = service.validate(raw)
    if problems:
        editing.apply_problems(form, problems)
        return None
    if tech is None and slug in service.statuses():
        editing.add_error(form.slug, f"There is already a technology with the slug '{slug}'.")
        return None
    return entry


def _save_edit(form: TechnologyForm, tech: Technology, entry: dict):
    opened_at = version_number(form.lock_version.data)
    outcome = service.save_edit(tech, entry, opened_at, actor=current_user.email)
    if outcome.status == "conflict":
        base = editing.read_json_entry(form.base.data)
        return render_template(
            "admin/conflict.html",
            tech=tech,
            mine=entry,
            theirs=outcome.theirs,
            lock_version=outcome.lock_version,
            fields=service.merge_fields(base, entry, outcome.theirs),
            last=service.last_change(tech.slug),
            form=ConfirmForm(),
            **_labels(),
        ), 409
    if outcome.status == "unchanged":
        flash("Nothing had changed, so nothing was saved.", "info")
    else:
        flash(f"Saved {entry['name']}. The catalog is now at version {outcome.version}.", "success")
    return redirect(url_for("admin.edit", slug=tech.slug), 303)


def _save_new(form: TechnologyForm, entry: dict):
    try:
        version = service.create(entry, actor=current_user.email)
    except service.DuplicateSlug:
        editing.add_error(form.slug, f"There is already a technology with the slug '{entry['slug']}'.")
        return _render(form, None, status=422)
    flash(f"Created {entry['name']}. The catalog is now at version {version}.", "success")
    return redirect(url_for("admin.edit", slug=entry["slug"]), 303)


@bp.post("/technologies/<slug>/merge")
def merge(slug: str):
    """From the conflict page: the saved version with your chosen fields, as a form to review."""
    tech = service.load_technology(slug)
    mine = editing.read_json_entry(request.form.get("mine"))
    theirs = editing.read_json_entry(request.form.get("theirs"))
    version = version_number(request.form.get("lock_version"))
    if mine is None or theirs is None or version is None or {mine["slug"], theirs["slug"]} != {slug}:
        abort(400)
    choices = {key: request.form.get(f"choice-{key}", "") for key in service.MERGE_FIELDS}
    merged = service.apply_merge(mine, theirs, choices)
    form = editing.form_for(merged, version, theirs)
    return _render(form, tech, merged=True)


def _render(
    form: TechnologyForm,
    tech: Technology | None,
    *,
    status: int = 200,
    partial: str | None = None,
    preview=None,
    merged: bool = False,
):
    editing.finish(form, service.target_options())
    action = url_for("admin.edit", slug=tech.slug) if tech else url_for("admin.create")
    context = dict(
        form=form,
        tech=tech,
        action_url=action,
        preview=preview,
        merged=merged,
        errors=field_errors(form),
        referring=service.referring(tech.slug) if tech else [],
        last=service.last_change(tech.slug) if tech else None,
        confirm=ConfirmForm(),
        computed_reason=service.computed_ring_reason(tech),
        **_labels(),
    )
    if partial and _htmx():
        name = "preview" if partial == "preview" else ("rules" if partial == "rules" else "lines")
        return render_template(f"admin/_{name}.html", kind=partial, **context)
    return render_template("admin/edit.html", **context), status


def _labels() -> dict:
    return dict(tradeoff_kinds=TRADEOFF_KINDS, capability_groups=CAPABILITY_GROUPS)


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


# --- archive and restore ----------------------------------------------------------------------


@bp.post("/technologies/<slug>/archive")
def archive(slug: str):
    """Take a technology out of new recommendations (saved results keep it)."""
    return _set_status(slug, "archived")


@bp.post("/technologies/<slug>/restore")
def restore(slug: str):
    """Bring an archived technology back, with the status it had before it was archived."""
    return _set_status(slug, service.status_before_archive(slug))


def _set_status(slug: str, status: str):
    tech = service.load_technology(slug)
    version, problems = service.set_status(tech, status, actor=current_user.email)
    for problem in problems:
        flash(f"Cannot restore: {problem.field}: {problem.message}", "error")
    if not problems:
        word = "Archived" if status == "archived" else f"Restored ({STATUS_LABELS[status].lower()})"
        flash(f"{word} {tech.name}. The catalog is now at version {version}.", "success")
    return redirect(url_for("admin.edit", slug=slug), 303)


# --- audit ------------------------------------------------------------------------------------


@bp.get("/technologies/<slug>/history")
def history(slug: str):
    """Every recorded change to one technology, newest first."""
    tech = service.load_technology(slug)
    page = service.audit_page(page_number(request.args), slug=slug)
    return render_template("admin/history.html", tech=tech, page=page, describe=service.describe, **_labels())


@bp.get("/audit")
def audit():
    """Every recorded catalog change, newest first, optionally one kind of action."""
    actions = service.audit_actions()
    action = request.args.get("action") if request.args.get("action") in actions else ""
    page = service.audit_page(page_number(request.args), action=action or None)
    return render_template(
        "admin/audit.html",
        page=page,
        actions=actions,
        action=action,
        describe=service.describe,
        version=current_version(),
        **_labels(),
    )
