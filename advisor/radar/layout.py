"""Where each blip goes in the radar drawing: pure geometry, the same radar always drawn the same.

The drawing is a square of SIZE units; rings are concentric bands, quadrants are quarters (the
first two on top). Blips of one quadrant and ring share that band's quarter: candidate points are
laid on arcs a blip's width apart, and the blips take evenly spread ones, so a crowded band stays
readable and a sparse one does not bunch in a corner.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.engine.vocabulary import QUADRANTS, RINGS

SIZE = 820
CENTER = SIZE / 2
RADII = (0, 215, 292, 352, 402)  # ring boundaries, adopt inside
BLIP = 10.5  # a blip's radius
SPACING = 2 * BLIP + 3  # between blip centres
# Quadrant angles in degrees, counter-clockwise from east with y pointing up: frameworks top
# left, data top right, messaging bottom left, tooling bottom right (the tables' reading order).
ANGLES = {QUADRANTS[0]: (90, 180), QUADRANTS[1]: (0, 90), QUADRANTS[2]: (180, 270), QUADRANTS[3]: (270, 360)}


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


def ring_radius(ring: str) -> tuple[float, float]:
    index = RINGS.index(ring)
    return RADII[index], RADII[index + 1]


LABEL_HALF_WIDTH, LABEL_HALF_HEIGHT = 34, 12  # the ring names on the upper vertical axis


def _clear_of_labels(point: Point) -> bool:
    if point.y >= CENTER or abs(point.x - CENTER) >= LABEL_HALF_WIDTH + BLIP:
        return True
    return all(abs(point.y - ring_label_y(ring)) >= LABEL_HALF_HEIGHT + BLIP for ring in RINGS)


def _candidates(quadrant: str, ring: str, spacing: float) -> list[Point]:
    """Points a `spacing` apart on arcs inside one band's quarter, clear of its edges and of the
    ring names."""
    inner, outer = ring_radius(ring)
    start, end = (math.radians(a) for a in ANGLES[quadrant])
    margin, axis_margin = BLIP + 3, BLIP + 7
    points = []
    radius = max(inner + margin, spacing)
    while radius <= outer - margin:
        # Clear of both axes, measured along the arc.
        lo, hi = start + axis_margin / radius, end - axis_margin / radius
        if hi > lo:
            count = int((hi - lo) * radius // spacing) + 1
            step = (hi - lo) / (count - 1) if count > 1 else 0
            offset = 0 if count > 1 else (hi - lo) / 2
            for i in range(count):
                angle = lo + offset + i * step
                point = Point(
                    round(CENTER + radius * math.cos(angle), 1), round(CENTER - radius * math.sin(angle), 1)
                )
                if _clear_of_labels(point):
                    points.append(point)
        radius += spacing
    return points


def place_blips(quadrant: str, ring: str, count: int) -> list[Point]:
    """`count` points for one quadrant and ring, tightening the spacing only when they do not fit."""
    if count <= 0:
        return []
    spacing = SPACING
    points = _candidates(quadrant, ring, spacing)
    while len(points) < count and spacing > 2 * BLIP:
        spacing = max(spacing * 0.96, 2 * BLIP)
        points = _candidates(quadrant, ring, spacing)
    if len(points) < count:  # an absurdly crowded band: overlap rather than drop a blip
        points = (points * (count // max(len(points), 1) + 1)) or [Point(CENTER, CENTER)]
    # Evenly spread picks along the arcs, outer arcs first so a sparse band is not all at its centre.
    points = points[::-1]
    return [points[int((i + 0.5) * len(points) / count)] for i in range(count)]


def layout(entries) -> dict[str, Point]:
    """slug -> point for radar entries (anything with slug, quadrant and ring), in their order."""
    cells: dict[tuple[str, str], list] = {}
    for entry in entries:
        cells.setdefault((entry.quadrant, entry.ring), []).append(entry)
    out = {}
    for (quadrant, ring), members in cells.items():
        for entry, point in zip(members, place_blips(quadrant, ring, len(members)), strict=True):
            out[entry.slug] = point
    return out


def ring_label_y(ring: str) -> float:
    """Where a ring's name sits on the vertical axis, above the centre."""
    inner, outer = ring_radius(ring)
    return CENTER - (inner + outer) / 2
