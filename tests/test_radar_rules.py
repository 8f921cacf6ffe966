"""The radar's pure parts: the ring rule, quadrants for every slot, moves, and the drawing's layout."""

from __future__ import annotations

import math
from datetime import date

import pytest

from advisor.engine.vocabulary import QUADRANT_SLOTS, QUADRANTS, RINGS, SLOT_QUADRANTS, SLOTS
from advisor.radar import layout
from advisor.radar.rings import RULE, USED_RANK, WIDELY_USED_RANK, computed_ring, movement, place

TODAY = date(2026, 12, 1)


def entry(
    maturity=3,
    status="active",
    rank=None,
    package="pkg",
    last_release="2026-10",
    ring=None,
    slots=("framework",),
):
    return {
        "slug": "x",
        "name": "X",
        "slots": list(slots),
        "ratings": {"maturity": maturity},
        "status": status,
        "popularity_rank": rank,
        "package": package,
        "last_release": last_release,
        "ring": ring,
    }


def test_every_slot_has_exactly_one_quadrant():
    assert set(SLOT_QUADRANTS) == set(SLOTS)
    assert sum(len(slots) for slots in QUADRANT_SLOTS.values()) == len(SLOTS)
    assert set(QUADRANT_SLOTS) == set(QUADRANTS)


@pytest.mark.parametrize(
    ("fields", "ring"),
    [
        ({"status": "maintenance", "maturity": 5, "rank": 10}, "hold"),
        ({"status": "deprecated", "maturity": 4, "rank": 10}, "hold"),
        ({"status": "end_of_life"}, "hold"),
        ({"maturity": 5, "rank": USED_RANK}, "adopt"),
        ({"maturity": 5, "package": None}, "adopt"),  # a database server: maturity alone
        ({"maturity": 4, "rank": WIDELY_USED_RANK}, "adopt"),
        ({"maturity": 4, "rank": WIDELY_USED_RANK + 1}, "trial"),
        ({"maturity": 5, "rank": None}, "trial"),  # packaged but not in the top 15,000
        ({"maturity": 4, "package": None}, "trial"),
        ({"maturity": 3, "rank": USED_RANK}, "trial"),
        ({"maturity": 3, "rank": USED_RANK + 1}, "assess"),
        ({"maturity": 2, "rank": 5}, "assess"),
        ({"maturity": 5, "rank": 50, "last_release": "2025-06"}, "trial"),  # 18 months: one ring out
        ({"maturity": 5, "rank": 50, "last_release": "2025-07"}, "adopt"),  # 17 months: fresh
        ({"maturity": 2, "last_release": "2020-01"}, "hold"),
    ],
)
def test_computed_ring(fields, ring):
    assert computed_ring(entry(**fields), TODAY)[0] == ring


def test_the_reason_names_the_facts():
    ring, reason = computed_ring(entry(maturity=5, rank=50, last_release="2025-01"), TODAY)
    assert ring == "trial"
    assert reason.startswith("Trial:") and "maturity 5 of 5" in reason and "rank 50" in reason
    assert "would be adopt" in reason and "Jan 2025" in reason
    assert computed_ring(entry(status="end_of_life"), TODAY)[1] == "Hold: it is past its end of life."


def test_a_curators_ring_wins_and_says_what_the_facts_say():
    placement = place(entry(maturity=5, rank=10, ring="hold"), TODAY)
    assert (placement.ring, placement.source) == ("hold", "curator")
    assert "the facts alone would say adopt" in placement.reason
    same = place(entry(maturity=5, rank=10, ring="adopt"), TODAY)
    assert same.reason == "Set by the curators."
    assert place(entry(maturity=5, rank=10), TODAY).source == "computed"


def test_quadrant_is_the_primary_slots():
    assert place(entry(slots=("db_driver", "broker_client")), TODAY).quadrant == "data"
    assert place(entry(slots=("task_queue", "broker")), TODAY).quadrant == "messaging-and-jobs"
    assert place(entry(slots=("deployment", "server")), TODAY).quadrant == "tooling-and-operations"


@pytest.mark.parametrize(
    ("previous", "ring", "has_previous", "moved"),
    [
        (None, "adopt", False, None),
        (None, "hold", True, "in"),
        ("trial", "adopt", True, "up"),
        ("adopt", "hold", True, "down"),
        ("assess", "assess", True, None),
        ("hold", "assess", True, "up"),
    ],
)
def test_movement(previous, ring, has_previous, moved):
    assert movement(previous, ring, has_previous) == moved


def test_the_rule_as_written_states_the_thresholds():
    text = " ".join(RULE)
    for words in ("1,000", "5,000", "18 months", "maintenance", "deprecated", "end of life", "curator"):
        assert words in text
    assert [line.split(":")[0] for line in RULE[1:5]] == ["Hold", "Adopt", "Trial", "Assess"]


class Blip:
    def __init__(self, slug, quadrant, ring):
        self.slug, self.quadrant, self.ring = slug, quadrant, ring


@pytest.mark.parametrize("count", [1, 2, 7, 40, 120])
def test_layout_keeps_blips_in_their_band_and_quarter_without_overlap(count):
    blips = [Blip(f"{q}-{r}-{i}", q, r) for q in QUADRANTS for r in RINGS for i in range(count)]
    points = layout.layout(blips)
    assert len(points) == len(blips)
    by_cell: dict = {}
    for blip in blips:
        p = points[blip.slug]
        radius = math.hypot(p.x - layout.CENTER, p.y - layout.CENTER)
        inner, outer = layout.ring_radius(blip.ring)
        assert inner <= radius <= outer, (blip.slug, radius)
        angle = math.degrees(math.atan2(layout.CENTER - p.y, p.x - layout.CENTER)) % 360
        low, high = layout.ANGLES[blip.quadrant]
        assert low <= angle <= high, (blip.slug, angle)
        by_cell.setdefault((blip.quadrant, blip.ring), []).append(p)
    if count <= 40:  # more than the seed catalog's fullest band (34): the blips never touch
        for cell in by_cell.values():
            for i, a in enumerate(cell):
                for b in cell[i + 1 :]:
                    assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * layout.BLIP, (a, b)
