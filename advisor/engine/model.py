"""From constraints and a catalog snapshot to a search problem: candidates, points, pairs and rules."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog, Rule, Tech
from advisor.engine.fit import Context, Fit, fit
from advisor.engine.fit_table import FitTable
from advisor.engine.model_index import ModelIndex
from advisor.engine.needs import SlotNeed, companion_need, needed_slots, slot_weight
from advisor.engine.plan import interacting_first
from advisor.engine.problem import Placement, Problem, Requirement

UNARY_POINTS = 8000  # hundredths of a point shared by the slots' fits
PAIR_POINTS = 20  # hundredths of a point per unit of works-well-with strength
BUILT_IN_MARGIN = 0.2  # how much better a library must fit to be added beside a built-in
COMPANION_WEIGHT = 2  # a part that comes with another (a channel layer) weighs little on its own


@dataclass
class Model:
    """A problem plus what is needed to explain its answers."""

    catalog: Catalog
    constraints: dict
    needs: list[SlotNeed]  # every slot of the problem, companions included, in display order
    problem: Problem
    fits: dict[Placement, float]  # (slot, slug) -> fit in [0, 1]
    builtin: dict[Placement, str]  # (slot, slug) -> name of the part it is built into
    pair_rules: dict[frozenset[Placement], Rule]
    shares: dict[str, float]  # slot -> points a perfect fit earns there
    context: Context
    explained: dict[tuple[str, str], Fit] = field(default_factory=dict)

    def need(self, slot: str) -> SlotNeed:
        return next(n for n in self.needs if n.slot == slot)

    def explain_fit(self, slot: str, slug: str) -> Fit:
        """The fit of a part with the signals behind it, in words (computed once, for the parts shown)."""
        key = (slot, slug)
        if key not in self.explained:
            self.explained[key] = fit(
                self.catalog.techs[slug], slot, self.context, builtin_of=self.builtin.get(key)
            )
        return self.explained[key]


def build_model(catalog: Catalog, c: dict, today: date) -> Model:
    """Turn validated constraints into a search problem: candidates, integer points and hard rules."""
    index = catalog.derived(ModelIndex)
    ctx = Context(c, today, index.names)
    must = set(c["must_use"])
    avoid = set(c["avoid"])
    usable = (index.recommendable | {s for s in must if s in catalog.techs}) - avoid
    needs = needed_slots(c, catalog)
    options, pinned = {}, set()
    for need in needs:
        options[need.slot], is_pinned = _options(catalog, need, usable, must, needs)
        if is_pinned:
            pinned.add(need.slot)
    needs = _with_companions(catalog, index, needs, options, usable)
    weights = {n.slot: COMPANION_WEIGHT if n.companion else slot_weight(n.slot) for n in needs}
    total = sum(weights.values())
    shares = {slot: UNARY_POINTS * w / total for slot, w in weights.items()}
    candidates: dict[str, tuple[str | None, ...]] = {}
    unary: dict[Placement, int] = {}
    fits: dict[Placement, float] = {}
    builtin: dict[Placement, str] = {}
    table = FitTable(catalog, ctx)
    for need in needs:
        slot, slugs = need.slot, options[need.slot]
        if need.optional and slot not in pinned:
            candidates[slot] = (*slugs, None)
            unary[(slot, None)] = round(shares[slot] * need.empty_fit)
        else:
            candidates[slot] = tuple(slugs)
        built_here = index.built_in.get(slot, ())
        owners = {s: catalog.techs[s].name for s in slugs if s in built_here and catalog.techs[s].name}
        keys = [(slot, slug) for slug in slugs]
        values = table.values(slot, slugs, owners)
        fits.update(zip(keys, values, strict=True))
        unary.update(zip(keys, [round(shares[slot] * value) for value in values], strict=True))
        builtin.update(((slot, s), name) for s, name in owners.items())
    requirements, conflicts = _hard_rules(index, usable, must, avoid, {n.slot for n in needs})
    requirements += _built_ins_first(catalog, candidates, fits, builtin, must)
    pairs, pair_rules = _pairs(index, candidates)
    problem = interacting_first(
        Problem(tuple(n.slot for n in needs), candidates, unary, pairs, conflicts, requirements)
    )
    return Model(catalog, c, needs, problem, fits, builtin, pair_rules, shares, ctx)


def _options(
    catalog: Catalog, need: SlotNeed, usable: frozenset[str], must: set[str], needs: list[SlotNeed]
) -> tuple[list[str], bool]:
    """The technologies that may fill a slot: usable, able to do what the slot demands (a must-use
    technology always may), and only the must-use one when it can go nowhere else."""
    slugs = [s for s in catalog.by_slot.get(need.slot, ()) if s in usable]
    if need.demands:
        slugs = [s for s in slugs if s in must or need.admits(catalog.techs[s].capabilities)]
    pinned = [s for s in slugs if s in must and _only_slot(catalog.techs[s], needs) == need.slot]
    return (pinned, True) if pinned else (slugs, False)


def _only_slot(tech: Tech, needs: list[SlotNeed]) -> str | None:
    """The single needed slot a must-use technology can fill, if there is exactly one."""
    slots = [n.slot for n in needs if n.slot in tech.slots]
    return slots[0] if len(slots) == 1 else None


def _with_companions(
    catalog: Catalog,
    index: ModelIndex,
    needs: list[SlotNeed],
    options: dict[str, list[str]],
    usable: frozenset[str],
) -> list[SlotNeed]:
    """Add the slots that candidates bring with them (a channel layer for Channels), to a fixpoint."""
    have = {n.slot for n in needs}
    owners: dict[str, list[str]] = {}
    brings = index.companion_rules
    queue = [(n.slot, s) for n in needs for s in options[n.slot] if s in brings]
    while queue:
        slot, slug = queue.pop()
        for needed, rule in brings[slug]:
            if needed in have or rule.when_in not in (None, slot):
                continue
            names = owners.setdefault(needed, [])
            if catalog.techs[slug].name not in names:
                names.append(catalog.techs[slug].name)
            if needed not in options:
                options[needed] = [s for s in catalog.by_slot.get(needed, ()) if s in usable]
                queue.extend((needed, s) for s in options[needed] if s in brings)
    extra = [companion_need(slot, " or ".join(names[:3])) for slot, names in owners.items()]
    order = {s: i for i, s in enumerate(v.STACK_SLOTS)}
    return sorted(needs + extra, key=lambda n: (order.get(n.slot, len(order)), n.slot))


def _hard_rules(index: ModelIndex, usable: frozenset[str], must: set[str], avoid: set[str], slots: set[str]):
    """The must-use demands, the `requires` rules of usable owners and their conflicts. Most
    requirements are the index's own: only a rule naming a technology this request makes usable or
    unusable (must-use, avoid) gets its targets cut again."""
    requirements = [Requirement(None, frozenset({m}), None, f"you must use {m}") for m in sorted(must)]
    # Only a must-use or avoided technology can be usable here and not in the index, or the reverse.
    changed = {s for s in must.union(avoid) if (s in usable) != (s in index.recommendable)}
    for entry in index.requires:
        rule = entry.rule
        if rule.owner not in usable:
            continue
        if rule.slot is None or rule.slot in slots:
            if changed.isdisjoint(entry.targets):
                requirements.append(entry.in_slot)
            else:
                requirements.append(
                    Requirement(rule.owner, entry.targets & usable, rule.slot, rule.reason, rule.when_in)
                )
        elif entry.impossible:
            requirements.append(entry.impossible)
    conflicts: defaultdict[str, set[str]] = defaultdict(set)  # no throwaway set per target
    for rule in index.conflicts:
        if rule.owner in usable:
            for t in frozenset(rule.targets) - {rule.owner}:
                conflicts[rule.owner].add(t)
                conflicts[t].add(rule.owner)
    return tuple(requirements), {t: frozenset(s) for t, s in conflicts.items()}


def _built_ins_first(catalog: Catalog, candidates: dict, fits: dict, builtin: dict, must: set) -> tuple:
    """Where a part of the stack already does a slot's job (Django's auth, PostgreSQL's full-text
    search), the slot uses it: another library only when it clearly fits better."""
    out = []
    by_fit: dict[str, tuple[list[float], list[str], set[str]]] = {}
    for (slot, slug), owner in builtin.items():
        if slot not in by_fit:
            ranked = sorted((fits[(slot, t)], t) for t in candidates[slot] if t)
            by_fit[slot] = (
                [f for f, _ in ranked],
                [t for _, t in ranked],
                must.intersection(candidates[slot]),
            )
        values, techs, required = by_fit[slot]
        home = catalog.techs[slug].slots[0]
        floor = fits[(slot, slug)] + BUILT_IN_MARGIN
        better = (set(techs[bisect_left(values, floor) :]) | required) - {slug}
        out.append(Requirement(slug, frozenset({slug} | better), slot, f"{owner} already does this", home))
    return tuple(out)


def _pairs(index: ModelIndex, candidates: dict[str, tuple]) -> tuple[dict, dict]:
    """Works-well-with bonuses between placements: only where both parts play the rule's roles."""
    where: defaultdict[str, list[str]] = defaultdict(list)  # never read at a missing key
    for slot, opts in candidates.items():
        for t in opts:
            if t is not None:
                where[t].append(slot)
    pairs: dict[frozenset[Placement], int] = {}
    rules: dict[frozenset[Placement], Rule] = {}
    for rule in index.works_well:
        if rule.owner not in where:
            continue
        points = rule.strength * PAIR_POINTS
        for owner_slot in where[rule.owner]:
            if rule.when_in not in (None, owner_slot):
                continue
            for target in rule.targets:
                for target_slot in where.get(target, ()):
                    if target == rule.owner or rule.slot not in (None, target_slot):
                        continue
                    key = frozenset(((owner_slot, rule.owner), (target_slot, target)))
                    if points > pairs.get(key, 0):
                        pairs[key], rules[key] = points, rule
    return pairs, rules
