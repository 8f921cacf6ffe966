"""The fit value of every candidate of one request, fast: exactly `fit(..., explain=False).value`.

A value is a sum of signal deltas plus a sum of rating deltas. The signals read, besides the
constraints, only a few facts of a technology (see `fit._facts`), and the technologies of a slot
often share them (capabilities are a small vocabulary; copies and forks share all of them), so each
distinct profile is summed once per request. The rating deltas come from tables made per request
and are added in the order `rating_sum` adds them, so the floats are the same.
"""

from __future__ import annotations

from functools import reduce
from operator import add, getitem

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog
from advisor.engine.fit import SCALE_SLOTS, Context, bounded, fact_sum, rating_delta


class TechProfiles:
    """What fit values read of each technology, once per catalog snapshot (`Catalog.derived`): its
    ratings in `RATING_AXES` order (as places in `rating_values`), and per slot a number naming its
    profile there: the facts the signals read, but familiarity and being built in (rare, and scored
    on their own)."""

    def __init__(self, catalog: Catalog):
        rows = {
            slug: tuple(t.ratings.get(axis, 3) for axis in v.RATING_AXES) for slug, t in catalog.techs.items()
        }
        # Each rating as its place among the catalog's rating values, to index a per-request table.
        self.rating_values = sorted({r for row in rows.values() for r in row})
        place = {r: i for i, r in enumerate(self.rating_values)}
        self.ratings = {slug: tuple(place[r] for r in row) for slug, row in rows.items()}
        numbers: dict[tuple, int] = {}
        self.profile: dict[str, dict[str, int]] = {}
        for slot, slugs in catalog.by_slot.items():
            here = self.profile[slot] = {}
            for slug in slugs:
                t = catalog.techs[slug]
                scalability = t.ratings.get("scalability", 3) if slot in SCALE_SLOTS else None
                facts = (slot, t.capabilities, t.status, t.last_release, scalability)
                here[slug] = numbers.setdefault(facts, len(numbers))


class FitTable:
    """Fit values for one request (its `Context`) on one catalog snapshot."""

    def __init__(self, catalog: Catalog, ctx: Context):
        self.catalog, self.ctx = catalog, ctx
        self.profiles = catalog.derived(TechProfiles)
        scales = dict(ctx.axes)
        # One table per axis in RATING_AXES order, the order of `ctx.axes` (an unweighted axis adds
        # 0.0, which leaves a sum as it is).
        self.tables = tuple(
            tuple(
                rating_delta(scales[axis], r) if axis in scales else 0.0 for r in self.profiles.rating_values
            )
            for axis in v.RATING_AXES
        )
        self.fact_sums: dict[int, float] = {}

    def values(self, slot: str, slugs: list[str], owners: dict[str, str]) -> list[float]:
        """The fits of `slugs` in `slot`; `owners` names the part each built-in one is built into."""
        ratings, tables = self.profiles.ratings, self.tables
        facts = self._fact_sums(slot, slugs, owners)
        return [
            bounded(f + reduce(add, map(getitem, tables, ratings[slug]), 0.0))
            for f, slug in zip(facts, slugs, strict=True)
        ]

    def _fact_sums(self, slot: str, slugs: list[str], owners: dict[str, str]) -> list[float]:
        """`fact_sum` of each technology: looked up by profile, computed for a profile's first one
        and for the built-in and familiar ones (whose own signals come first)."""
        ctx, sums, profile = self.ctx, self.fact_sums, self.profiles.profile.get(slot, {})
        facts = [sums.get(profile[slug]) for slug in slugs]
        special = owners.keys() | ctx.familiar.intersection(slugs)
        if special or None in facts:
            for i, slug in enumerate(slugs):
                tech = self.catalog.techs[slug]
                if slug in special:
                    facts[i] = fact_sum(tech, slot, ctx, owners.get(slug))
                elif facts[i] is None:
                    known = sums.get(profile[slug])
                    facts[i] = sums[profile[slug]] = fact_sum(tech, slot, ctx) if known is None else known
        return facts  # type: ignore[return-value]  # every None was filled
