"""A result payload arranged for the result pages: each stack at a glance and in detail.

Payloads are kept forever, so each field the engine added over time is optional here: a result
saved before `kind`, `fits`, `parts`, `trades`, `instead_of`, `warnings` or the maintenance facts
existed still renders, with what it has.
"""

from __future__ import annotations

from flask import url_for

from advisor.engine import vocabulary
from advisor.engine.maintenance import STALE_AFTER_MONTHS, STATUS_WORDS, release_label
from advisor.engine.vocabulary import PRIORITY_AXES, SLOT_LABELS

NAME_SLOTS = ("framework", "database", "task_queue", "orm", "cache", "broker", "ml_library")
FLAGGED_STATUSES = ("maintenance", "deprecated", "end_of_life", "archived")


class Names:
    """Technology names and facts: the payload's own first (as they were), then the catalog's."""

    def __init__(self, payload: dict, catalog):
        self.techs = payload.get("technologies") or {}
        self.catalog = catalog

    def name(self, slug: str | None) -> str:
        if not slug:
            return "Nothing"
        info = self.techs.get(slug)
        if info and info.get("name"):
            return info["name"]
        tech = self.catalog.techs.get(slug)
        return tech.name if tech else slug

    def info(self, slug: str) -> dict:
        return self.techs.get(slug) or {}

    def tech(self, slug: str) -> dict:
        """A linkable technology: slug, name and its freshness flags."""
        flags = self.flags(slug)
        warn = next((f for f in flags if f["kind"] != "release"), None)  # worth a mark on its chip
        return {"slug": slug, "name": self.name(slug), "flags": flags, "warn": warn}

    def flags(self, slug: str) -> list[dict]:
        """What a reader should know about a part's upkeep, from the facts saved with the result."""
        info = self.info(slug)
        flags = []
        status = info.get("status")
        if status in FLAGGED_STATUSES:
            successor = info.get("successor")
            flags.append(
                {
                    "kind": status,
                    "text": STATUS_WORDS.get(status, status),
                    "note": info.get("status_note") or "",
                    "successor": self.tech_link(successor) if successor else None,
                }
            )
        month = release_label(info.get("last_release"))
        if month:
            flags.append({"kind": "release", "text": f"last release {month}", "note": "", "successor": None})
        if info.get("stale"):
            flags.append(
                {
                    "kind": "stale",
                    "text": f"no release in {STALE_AFTER_MONTHS}+ months",
                    "note": "",
                    "successor": None,
                }
            )
        return flags

    def tech_link(self, slug: str) -> dict:
        return {"slug": slug, "name": self.name(slug)}


def present(payload: dict, constraints: dict, catalog) -> dict:
    """Everything the result pages show, from a saved (or previewed) payload."""
    names = Names(payload, catalog)
    why = {s["slot"]: s["why"] for s in payload.get("slots", [])}
    raw_stacks = payload.get("stacks", [])
    top = raw_stacks[0]["components"] if raw_stacks else {}
    stacks = [_stack(stack, names, why, top) for stack in raw_stacks]
    priorities = constraints.get("priorities") or {}
    for stack in stacks:
        for axis in stack["axes"] or ():
            axis["priority"] = int(priorities.get(axis["axis"], 0))
    if stacks and not raw_stacks[0].get("instead_of"):  # older results: the top stack's runner-ups
        for row in stacks[0]["rows"]:
            options = payload.get("alternatives", {}).get(row["slot"], [])
            row["instead_of"] = _options(row, sorted(options, key=lambda o: -o["delta"]), names)
    return {
        "stacks": stacks,
        "answers": _answers(constraints, names),
        "kind": vocabulary.label("project_kind", constraints.get("project_kind", "")),
        "title": stacks[0]["name"] if stacks else "No stack",
        "score_basis": payload.get("score_basis"),
        "warnings": [_warning(w, names) for w in payload.get("warnings", [])],
        "whatif": _whatif(constraints, raw_stacks, names),
    }


def _stack(stack: dict, names: Names, why: dict, top: dict) -> dict:
    components = stack.get("components", {})
    tradeoffs = {t["technology"]: t for t in stack.get("tradeoffs", [])}
    fits = stack.get("fits") or {}
    rows, pairs = {}, []
    for reason in stack.get("reasons", []):
        slot, slug = reason["slot"], reason.get("technology")
        kind = reason.get("kind") or _old_kind(reason, slot in rows)
        if kind == "pair":
            pairs.append({"points": reason["contribution"], "text": reason["text"]})
            continue
        if slot in rows:  # one row per slot; a later non-pair reason adds to its text
            rows[slot]["text"] += " " + reason["text"]
            continue
        fit = fits.get(slot)
        rows[slot] = {
            "slot": slot,
            "label": SLOT_LABELS.get(slot, slot),
            "kind": kind,
            "tech": names.tech(slug) if slug else None,
            "version": names.info(slug).get("version") if slug else None,
            "host": _host(reason, slot, components, names) if kind == "builtin" else None,
            "points": reason["contribution"],
            "text": reason["text"],
            "why": why.get(slot, ""),
            "fit": fit,
            "bar": None if fit is None else round(100 * max(0.0, min(1.0, fit)), 1),
            "pros": tradeoffs.get(slug, {}).get("pros", []),
            "cons": tradeoffs.get(slug, {}).get("cons", []),
        }
    for row in rows.values():
        current = row["tech"]["slug"] if row["tech"] else None
        options = (stack.get("instead_of") or {}).get(row["slot"], [])
        row["instead_of"] = _options(row, options, names, current)
    key_slots = [s for s in NAME_SLOTS if s in components][:3] or list(components)[:3]
    trades = stack.get("trades") or {}
    changes = _changes(top, components, names) if stack["rank"] > 1 else []
    return {
        "rank": stack["rank"],
        "score": stack["score"],
        "components": components,
        "name": " + ".join(names.name(components[s]) for s in key_slots),
        "rows": list(rows.values()),
        "pairs": pairs,
        "parts": _parts(stack, names),
        "trade": trades.get("summary") or (f"Unlike #1: {', '.join(changes)}" if changes else ""),
        "changes": changes,
        "axes": _axes(stack.get("axes")),
    }


def _old_kind(reason: dict, seen: bool) -> str:
    """Results saved before reasons had a kind: the first of a slot is its fit, later ones pairs."""
    if seen:
        return "pair"
    return "fit" if reason.get("technology") else "empty"


def _host(reason: dict, slot: str, components: dict, names: Names) -> dict | None:
    """The part a built-in slot lives in: one that fills another slot too, else the framework."""
    slug = reason.get("technology")
    if reason.get("partner"):
        return names.tech_link(reason["partner"])
    if slug and any(s != slot and t == slug for s, t in components.items()):
        return names.tech_link(slug)
    framework = components.get("framework")
    return names.tech_link(framework) if framework else None


def _parts(stack: dict, names: Names) -> list[dict]:
    """Each technology once, with every slot it fills."""
    parts = stack.get("parts")
    if parts is None:
        grouped: dict[str, list[str]] = {}
        for slot, slug in stack.get("components", {}).items():
            grouped.setdefault(slug, []).append(slot)
        parts = [{"technology": slug, "slots": slots} for slug, slots in grouped.items()]
    return [
        {**names.tech(p["technology"]), "slots": [SLOT_LABELS.get(s, s) for s in p["slots"]]} for p in parts
    ]


def _options(row: dict, options: list[dict], names: Names, current: str | None = None) -> list[dict]:
    """Other choices for a slot, each linked to a side-by-side comparison with the current part."""
    current = current or (row["tech"]["slug"] if row["tech"] else None)
    out = []
    for option in options:
        slug = option["technology"]
        changes = [
            f"{names.name(t) if t else 'nothing'} as {SLOT_LABELS.get(s, s).lower()}"
            for s, t in (option.get("changes") or {}).items()
        ]
        out.append(
            {
                "slug": slug,
                "name": option.get("name") or names.name(slug),
                "score": option["score"],
                "delta": option["delta"],
                "changes": changes,
                "compare_url": url_for("compare.technologies", t=[current, slug]) if current else None,
            }
        )
    return out


def _changes(top: dict, other: dict, names: Names) -> list[str]:
    """How a stack differs from the first, in slot order: "Redis as message broker", "no cache"."""
    lines = []
    for slot in dict.fromkeys([*top, *other]):
        label = SLOT_LABELS.get(slot, slot).lower()
        if slot not in other:
            lines.append(f"no {label}")
        elif top.get(slot) != other[slot]:
            lines.append(f"{names.name(other[slot])} as {label}")
    return lines


def _axes(axes: dict | None) -> list[dict] | None:
    """The stack's rating per priority axis (0-1) in axis order, with its words; None when unknown."""
    if not axes:
        return None
    return [
        {
            "axis": axis,
            "label": vocabulary.label("priorities", axis),
            "value": max(0.0, min(1.0, float(axes[axis]))),
        }
        for axis in PRIORITY_AXES
        if axis in axes
    ]


def _warning(warning: dict, names: Names) -> dict:
    successor = warning.get("successor")
    return {
        "text": warning.get("text", ""),
        "tech": names.tech_link(warning["technology"]) if warning.get("technology") else None,
        "successor": names.tech_link(successor) if successor else None,
    }


def _whatif(constraints: dict, stacks: list[dict], names: Names) -> dict:
    """The what-if panel's starting point: the answers' priorities, and every part it can pin or
    exclude (the stacks' parts, and whatever the answers already pinned or excluded)."""
    slugs = list(
        dict.fromkeys(
            [
                *constraints.get("must_use", []),
                *constraints.get("avoid", []),
                *(slug for s in stacks for slug in s.get("components", {}).values()),
            ]
        )
    )
    priorities = constraints.get("priorities") or {}
    return {
        "priorities": [
            {
                "axis": axis,
                "label": vocabulary.label("priorities", axis),
                "value": int(priorities.get(axis, 0)),
            }
            for axis in PRIORITY_AXES
        ],
        "parts": sorted(({"slug": s, "name": names.name(s)} for s in slugs), key=lambda p: p["name"].lower()),
        "must_use": set(constraints.get("must_use", [])),
        "avoid": set(constraints.get("avoid", [])),
        "levels": vocabulary.PRIORITY_LEVELS,
    }


def _answers(c: dict, names: Names) -> list[tuple[str, str]]:
    """The constraints as (question, answer) lines, in words."""

    priorities = [
        f"{vocabulary.label('priorities', axis)} {level}/5"
        for axis, level in (c.get("priorities") or {}).items()
        if level
    ]

    def answer(key: str) -> str:
        if key in vocabulary.TECHNOLOGY_LISTS:
            return ", ".join(names.name(s) for s in c.get(key, [])) or "None"
        if key == "priorities":
            return ", ".join(priorities) or "No preference"
        if key == "features":
            return ", ".join(vocabulary.label(key, f) for f in c.get(key, [])) or "None"
        return vocabulary.label(key, c.get(key, ""))

    return [(vocabulary.CONSTRAINT_LABELS[key], answer(key)) for key in vocabulary.CONSTRAINT_KEYS]
