"""The saved stacks side by side: a row per slot, a column per stack, what differs from #1 marked."""

from __future__ import annotations

from advisor.engine.vocabulary import SLOT_LABELS, STACK_SLOTS


def stack_table(payload: dict, page: dict) -> dict:
    """Columns (the stacks) and rows (the slots) of the comparison, from a presented result."""
    stacks = page["stacks"]
    order = [s["slot"] for s in payload.get("slots", [])] + list(STACK_SLOTS)
    slots = list(dict.fromkeys(slot for stack in stacks for slot in stack["components"]))
    slots.sort(key=lambda slot: order.index(slot) if slot in order else len(order))
    names = {part["slug"]: part["name"] for stack in stacks for part in stack["parts"]}
    top = stacks[0]["components"] if stacks else {}
    rows = []
    for slot in slots:
        cells = []
        for stack in stacks:
            slug = stack["components"].get(slot)
            cells.append(
                {
                    "slug": slug,
                    "name": names.get(slug, slug) if slug else None,
                    "differs": stack["rank"] > 1 and slug != top.get(slot),
                }
            )
        rows.append(
            {
                "slot": slot,
                "label": SLOT_LABELS.get(slot, slot),
                "cells": cells,
                "differs": any(cell["differs"] for cell in cells),
            }
        )
    return {
        "rows": rows,
        "has_axes": any(stack["axes"] for stack in stacks),
        "differing": sum(row["differs"] for row in rows),
    }
