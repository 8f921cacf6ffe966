"""The radar's rule: where a technology sits, from the catalog's facts, unless a curator chose.

Pure: seed-format entries and a date in, placements out. The rule is written once, here, both as
code and as the sentences the radar page shows, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from advisor.engine.maintenance import STALE_AFTER_MONTHS, STATUS_WORDS, is_stale, release_label
from advisor.engine.vocabulary import QUADRANTS, RING_LABELS, RINGS, SLOT_QUADRANTS

WIDELY_USED_RANK = 1_000  # among the most downloaded PyPI packages: a default people already know
USED_RANK = 5_000  # used enough that problems are found and answered
HOLD_STATUSES = ("maintenance", "deprecated", "end_of_life")
MOVES = ("in", "up", "down")

RULE = (
    "A ring a curator set wins; otherwise the first that applies:",
    "Hold: in maintenance mode (fixes only), deprecated or past its end of life.",
    f"Adopt: maturity 5 of 5 and among the {USED_RANK:,} most downloaded PyPI packages (or not a "
    f"PyPI package at all, like a database server); or maturity 4 and among the "
    f"{WIDELY_USED_RANK:,} most downloaded.",
    f"Trial: any other maturity of 4 or 5; or maturity 3 and among the {USED_RANK:,} most "
    f"downloaded (or not a PyPI package).",
    "Assess: everything else (maturity 1 or 2, or maturity 3 and little used).",
    f"No release for {STALE_AFTER_MONTHS} months or more moves it one ring further out (adopt to "
    "trial, trial to assess, assess to hold).",
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one technology sits on the radar and why."""

    ring: str
    quadrant: str
    source: str  # "curator" or "computed"
    reason: str  # one sentence


def quadrant_for(slots) -> str:
    """The quadrant of a technology's primary slot."""
    return SLOT_QUADRANTS.get(slots[0], QUADRANTS[-1]) if slots else QUADRANTS[-1]


def place(entry: Mapping, today: date) -> Placement:
    """The ring and quadrant of one seed-format entry on `today`."""
    quadrant = quadrant_for(entry.get("slots") or ())
    ring, reason = computed_ring(entry, today)
    curated = entry.get("ring")
    if curated in RINGS:
        note = "" if curated == ring else f" (the facts alone would say {ring})"
        return Placement(curated, quadrant, "curator", f"Set by the curators{note}.")
    return Placement(ring, quadrant, "computed", reason)


def computed_ring(entry: Mapping, today: date) -> tuple[str, str]:
    """The ring the facts give, with the reason in words."""
    status = entry.get("status") or "active"
    if status in HOLD_STATUSES:
        return "hold", f"Hold: it is {STATUS_WORDS[status]}."
    maturity = int((entry.get("ratings") or {}).get("maturity", 3))
    rank = entry.get("popularity_rank")
    packaged = bool(entry.get("package"))
    used = not packaged or (rank is not None and rank <= USED_RANK)
    widely = rank is not None and rank <= WIDELY_USED_RANK
    if (maturity == 5 and used) or (maturity == 4 and widely):
        index = 0
    elif maturity >= 4 or (maturity == 3 and used):
        index = 1
    else:
        index = 2
    facts = f"maturity {maturity} of 5, {_popularity(packaged, rank)}"
    if is_stale(entry.get("last_release"), today):
        stale_from = RINGS[index]
        index += 1
        return RINGS[index], (
            f"{RING_LABELS[RINGS[index]]}: {facts}, would be {stale_from}, but no "
            f"release since {release_label(entry['last_release'])}."
        )
    return RINGS[index], f"{RING_LABELS[RINGS[index]]}: {facts}."


def _popularity(packaged: bool, rank: int | None) -> str:
    if not packaged:
        return "not a PyPI package"
    if rank is None:
        return "not among the 15,000 most downloaded PyPI packages"
    return f"rank {rank:,} among PyPI downloads"


def movement(previous_ring: str | None, ring: str, has_previous: bool) -> str | None:
    """`in` (new since the previous edition), `up` (toward adopt), `down`, or None.

    The first edition has nothing to move against, so nothing in it is marked."""
    if not has_previous:
        return None
    if previous_ring is None:
        return "in"
    before, after = RINGS.index(previous_ring), RINGS.index(ring)
    return "up" if after < before else "down" if after > before else None
