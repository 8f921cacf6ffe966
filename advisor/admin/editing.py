"""Between the technology form and the catalog's canonical entries: fill, read, rows, errors."""

from __future__ import annotations

import json
import re

from wtforms.fields.choices import SelectChoice

from advisor.admin.forms import MAX_LINES, MAX_RULES, TechnologyForm
from advisor.catalog.problems import Problem
from advisor.catalog.schemas import MAINTENANCE_KEYS, TechnologySchema, canonical
from advisor.engine.vocabulary import RATING_AXES, SLOT_LABELS, SLOTS, TRADEOFF_KINDS

ROW_GROUPS = (*TRADEOFF_KINDS, "rules")


def form_data(entry: dict) -> dict:
    """Form data for a canonical entry."""
    slots = entry.get("slots") or []
    return {
        "slug": entry["slug"],
        "name": entry["name"],
        "aliases": ", ".join(entry.get("aliases") or []),
        "summary": entry.get("summary") or "",
        "description": entry.get("description") or "",
        "homepage": entry.get("homepage") or "",
        "package": entry.get("package") or "",
        "version": entry.get("version") or "",
        "primary_slot": slots[0] if slots else "",
        **{key: "" if entry.get(key) is None else str(entry[key]) for key in MAINTENANCE_KEYS},
        "ring": entry.get("ring") or "",
        "other_slots": slots[1:],
        "ratings": dict(entry["ratings"]),
        "capabilities": list(entry.get("capabilities") or []),
        **{kind: list(entry.get(kind) or []) for kind in TRADEOFF_KINDS},
        "rules": [
            {
                "kind": r["kind"],
                "targets": list(r["targets"]),
                "slot": r.get("slot") or "",
                "when_in": r.get("when_in") or "",
                "strength": r.get("strength", 2),
                "reason": r.get("reason") or "",
            }
            for r in entry.get("rules") or []
        ],
    }


def form_for(entry: dict, lock_version: int | None, base: dict | None) -> TechnologyForm:
    """A form showing `entry`, remembering the version (and content) it was opened at."""
    form = for_existing(TechnologyForm(formdata=None, data=form_data(entry)), entry["status"])
    form.lock_version.data = "" if lock_version is None else str(lock_version)
    form.base.data = json.dumps(base, sort_keys=True) if base is not None else ""
    return form


def for_existing(form: TechnologyForm, status: str) -> TechnologyForm:
    """An existing entry's slug is not editable, nor an archived entry's status (restoring is its
    own action): those fields are not even read."""
    del form.slug
    if status == "archived":
        del form.status
    return form


def entry_from_form(form: TechnologyForm, slug: str, status: str, old_slots: list[str]) -> dict:
    """The raw seed-format mapping the form describes (validated afterwards by the catalog schema)."""
    primary = form.primary_slot.data
    chosen = [s for s in form.other_slots.data or [] if s != primary]
    # Keep the order the other slots already had; new ones follow in vocabulary order.
    others = [s for s in old_slots[1:] if s in chosen] + [
        s for s in SLOTS if s in chosen and s not in old_slots[1:]
    ]
    return {
        "slug": slug,
        "name": _text(form.name.data),
        "aliases": [a.strip() for a in (form.aliases.data or "").split(",") if a.strip()],
        "summary": _text(form.summary.data),
        "description": _text(form.description.data),
        "homepage": _text(form.homepage.data) or None,
        "package": _text(form.package.data) or None,
        "version": _text(form.version.data) or None,
        "status": status,
        "successor": _text(form.successor.data) or None,
        "status_note": _text(form.status_note.data) or None,
        "latest_version": _text(form.latest_version.data) or None,
        "last_release": _text(form.last_release.data) or None,
        "popularity_rank": _rank(form.popularity_rank.data),
        "ring": form.ring.data or None,
        "slots": [primary, *others],
        "ratings": {axis: form.ratings[axis].data for axis in RATING_AXES},
        "capabilities": sorted(set(form.capabilities.data or [])),
        **{kind: form.lines(kind) for kind in TRADEOFF_KINDS},
        "rules": [
            {
                "kind": r.form.kind.data,
                "targets": sorted(set(r.form.targets.data or [])),
                "slot": r.form.slot.data or None,
                "when_in": r.form.when_in.data or None,
                "strength": r.form.strength.data,
                "reason": _text(r.form.reason.data),
            }
            for r in form.kept_rules()
        ],
    }


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _rank(value) -> int | str | None:
    """A whole number as an int; anything else as typed, for the catalog's validation to name."""
    text = _text(value)
    return int(text) if re.fullmatch(r"-?\d{1,12}", text) else (text or None)


def read_json_entry(text: str | None) -> dict | None:
    """A canonical entry carried in a hidden field, or None when it is missing or not an entry."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return canonical(TechnologySchema().load(data)) if isinstance(data, dict) else None
    except Exception:  # not JSON, or not an entry (marshmallow's ValidationError): start afresh
        return None


# --- rows added and removed (htmx, or a plain submit without JavaScript) ----------------------


def apply_row_op(form: TechnologyForm, op: str) -> str | None:
    """Add or remove one row of a group ("add:pros", "remove:rules-2"); returns the group's name."""
    action, _, target = op.partition(":")
    group = target.rsplit("-", 1)[0] if action == "remove" else target
    if group not in ROW_GROUPS:
        return None
    field = form[group]
    if action == "add":
        last = field.entries[-1] if field.entries else None
        if last is not None and _blank(last):
            last.is_new = True  # an empty row is already there: put the cursor in it
        elif len(field.entries) < (MAX_LINES if group != "rules" else MAX_RULES):
            field.append_entry().is_new = True
    elif action == "remove":
        field.entries = [e for e in field.entries if e.name != target]
    return group


def _blank(entry) -> bool:
    return entry.form.is_blank() if hasattr(entry, "form") else not (entry.data or "").strip()


def finish(form: TechnologyForm, targets: list[tuple[str, str, str, str]]) -> TechnologyForm:
    """Ready a form for display: a spare empty row per group, and the rule target choices."""
    for kind in TRADEOFF_KINDS:
        entries = form[kind].entries
        if not entries or not _blank(entries[-1]):
            form[kind].append_entry()
    if not form.rules.entries or not _blank(form.rules.entries[-1]):
        form.rules.append_entry({"kind": "works_well_with", "strength": 2})
    for rule in form.rules:
        rule.form.targets.choices = target_choices(targets, rule.form.targets.data or [])
    return form


def target_choices(targets, selected: list[str]) -> list[SelectChoice]:
    """Listed technologies grouped by primary slot; archived or unknown ones only if already picked."""
    groups: dict[str, list[tuple[str, str]]] = {}
    known = set()
    for slug, name, slot, status in targets:
        known.add(slug)
        if status != "archived":
            groups.setdefault(SLOT_LABELS.get(slot, slot or "Other"), []).append((slug, f"{name} ({slug})"))
        elif slug in selected:
            groups.setdefault("Archived: pick another", []).append((slug, f"{name} ({slug}, archived)"))
    missing = [s for s in selected if s not in known]
    if missing:
        groups["Not in the catalog"] = [(s, f"{s} (not in the catalog)") for s in missing]
    order = {SLOT_LABELS.get(s, s): i for i, s in enumerate(SLOTS)}
    return [
        SelectChoice(slug, label, optgroup=group)
        for group, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
        for slug, label in items
    ]


# --- errors -----------------------------------------------------------------------------------


def validate_lines(form: TechnologyForm) -> bool:
    ok = True
    for kind in TRADEOFF_KINDS:
        if len(form.lines(kind)) > MAX_LINES:
            form.problems.setdefault(kind, []).append(f"At most {MAX_LINES} lines.")
            ok = False
    return ok


def check_targets(form: TechnologyForm, statuses: dict[str, str], status: str) -> bool:
    """Rule targets must exist and, for a listed entry, not be archived: said in words, per rule."""
    ok = True
    for rule in form.kept_rules():
        targets = rule.form.targets
        if not targets.data:
            add_error(targets, "Pick at least one technology (or remove the rule).")
            ok = False
        for slug in targets.data or []:
            if slug not in statuses:
                add_error(targets, f"'{slug}' is not in the catalog.")
                ok = False
            elif statuses[slug] == "archived" and status != "archived":
                add_error(targets, f"'{slug}' is archived; pick another technology.")
                ok = False
    return ok


def add_error(field, message: str) -> None:
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    if message not in field.errors:
        field.errors.append(message)


def apply_problems(form: TechnologyForm, problems: list[Problem]) -> None:
    """Put the catalog validator's problems beside the fields their paths name."""
    kept = form.kept_rules()
    for problem in problems:
        path, message = problem.path, problem.message
        head = str(path[0]) if path else "entry"
        if head == "ratings" and len(path) > 1 and path[1] in RATING_AXES:
            add_error(form.ratings[path[1]], message)
        elif head == "rules" and len(path) > 2 and isinstance(path[1], int) and 0 < path[1] <= len(kept):
            sub = kept[path[1] - 1].form
            add_error(sub[path[2]] if path[2] in sub._fields else sub.targets, message)
        elif head == "slots":
            add_error(form.primary_slot, message)
        elif (
            head
            in (
                "slug",
                "name",
                "summary",
                "description",
                "homepage",
                "package",
                "version",
                "aliases",
                "capabilities",
                "ring",
                *MAINTENANCE_KEYS,
            )
            and head in form
        ):
            add_error(form[head], message)
        else:
            form.problems.setdefault(head if head in ROW_GROUPS else "entry", []).append(message)
