"""The catalog facts of a few technologies, arranged as the rows of one comparison table."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from advisor.catalog.models import CompatibilityRule, Technology
from advisor.catalog.service import to_entry
from advisor.engine.constraints import SLUG_RE
from advisor.engine.maintenance import STATUS_WORDS, release_label
from advisor.engine.vocabulary import RATING_AXES, RATING_LABELS, SLOT_LABELS
from advisor.extensions import db

MIN_COMPARED, MAX_COMPARED = 2, 4
LISTS = (("pros", "Pros"), ("cons", "Cons"), ("best_for", "Best for"), ("when_to_avoid", "When to avoid"))
RULE_WORDS = {"requires": "Needs one of", "conflicts": "Clashes with", "works_well_with": "Works well with"}


def load(slugs: list[str]) -> dict[str, dict]:
    """The catalog entries of `slugs` that exist (archived ones too: old results link to them)."""
    wanted = [s for s in slugs if SLUG_RE.match(s)]
    techs = db.session.scalars(
        sa.select(Technology)
        .where(Technology.slug.in_(wanted))
        .options(
            selectinload(Technology.slots),
            selectinload(Technology.tradeoffs),
            selectinload(Technology.rules).selectinload(CompatibilityRule.targets),
        )
    )
    return {tech.slug: to_entry(tech) for tech in techs}


def table(entries: list[dict], names: dict[str, str]) -> dict:
    """Rows of facts, ratings (the best of each row marked), lists and rules, one cell per entry."""
    facts = [
        ("Summary", [e.get("summary") or "" for e in entries]),
        ("Fills", [", ".join(SLOT_LABELS.get(s, s) for s in e.get("slots", [])) for e in entries]),
        ("Package", [e.get("package") or "none (not a Python package)" for e in entries]),
        ("Version range", [e.get("version") or "any" for e in entries]),
        ("Latest version", [e.get("latest_version") or "not known" for e in entries]),
        ("Last release", [release_label(e.get("last_release")) or "not known" for e in entries]),
    ]
    ratings = []
    for axis in RATING_AXES:
        values = [int((e.get("ratings") or {}).get(axis, 3)) for e in entries]
        best = max(values)
        ratings.append(
            {
                "label": RATING_LABELS[axis],
                "cells": [{"value": v, "best": v == best and len(set(values)) > 1} for v in values],
            }
        )
    return {
        "entries": [{"slug": e["slug"], "name": e["name"], "status": _status(e, names)} for e in entries],
        "facts": facts,
        "ratings": ratings,
        "lists": [(title, [e.get(key) or [] for e in entries]) for key, title in LISTS],
        "rules": [_rules(e, names) for e in entries],
    }


def _status(entry: dict, names: dict[str, str]) -> dict:
    status = entry.get("status") or "active"
    successor = entry.get("successor")
    return {
        "value": status,
        "text": STATUS_WORDS.get(status, status),
        "note": entry.get("status_note") or "",
        "successor": {"slug": successor, "name": names.get(successor, successor)} if successor else None,
    }


def _rules(entry: dict, names: dict[str, str]) -> list[dict]:
    """The entry's rules grouped by kind, each target once with the reason that names it."""
    grouped: dict[str, dict[str, dict]] = {}
    for rule in entry.get("rules", []):
        targets = grouped.setdefault(rule["kind"], {})
        for slug in rule["targets"]:
            targets.setdefault(
                slug, {"slug": slug, "name": names.get(slug, slug), "reason": rule.get("reason") or ""}
            )
    return [
        {"kind": RULE_WORDS[kind], "targets": list(grouped[kind].values())}
        for kind in RULE_WORDS
        if kind in grouped
    ]
