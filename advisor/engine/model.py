"""From constraints and a catalog snapshot to a search problem: candidates, points, pairs and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog, Rule, Tech
from advisor.engine.fit import Context, Fit, fit
from advisor.engine.needs import COMPANION_SLOTS, SlotNeed, companion_need, needed_slots, slot_weight
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
    ctx = Context(c, today, {slug: t.name for slug, t in catalog.techs.items()})
    must = set(c["must_use"])
    usable = {
        s
        for s, t in catalog.techs.items()
        if s not in c["avoid"] and (t.status in v.RECOMMENDABLE_STATUSES or s in must)
    }
    needs = needed_slots(c, catalog)
    options, pinned = {}, set()
    for need in needs:
        options[need.slot], is_pinned = _options(catalog, need, usable, must, needs)
        if is_pinned:
            pinned.add(need.slot)
    needs = _with_companions(catalog, needs, options, usable)
    weights = {n.slot: COMPANION_WEIGHT if n.companion else slot_weight(n.slot) for n in needs}
    total = sum(weights.values())
    shares = {slot: UNARY_POINTS * w / total for slot, w in weights.items()}
    candidates: dict[str, tuple[str | None, ...]] = {}
    unary: dict[Placement, int] = {}
    fits: dict[Placement, float] = {}
    builtin: dict[Placement, str] = {}
    for need in needs:
        slugs = options[need.slot]
        opts: list[str | None] = list(slugs)
        if need.optional and need.slot not in pinned:
            opts.append(None)
            unary[(need.slot, None)] = round(shares[need.slot] * need.empty_fit)
        for slug in slugs:
            tech = catalog.techs[slug]
            owner = tech.name if _built_in(catalog, tech, need.slot) else None
            value = fit(tech, need.slot, ctx, builtin_of=owner, explain=False).value
            fits[(need.slot, slug)] = value
            unary[(need.slot, slug)] = round(shares[need.slot] * value)
            if owner:
                builtin[(need.slot, slug)] = owner
        candidates[need.slot] = tuple(opts)
    requirements, conflicts = _hard_rules(catalog, usable, must, {n.slot for n in needs})
    requirements += _built_ins_first(catalog, candidates, fits, builtin, must)
    pairs, pair_rules = _pairs(catalog, candidates)
    problem = interacting_first(
        Problem(tuple(n.slot for n in needs), candidates, unary, pairs, conflicts, requirements)
    )
    return Model(catalog, c, needs, problem, fits, builtin, pair_rules, shares, ctx)


def _options(
    catalog: Catalog, need: SlotNeed, usable: set[str], must: set[str], needs: list[SlotNeed]
) -> tuple[list[str], bool]:
    """The technologies that may fill a slot: usable, able to do what the slot demands (a must-use
    technology always may), and only the must-use one when it can go nowhere else."""
    slugs = [
        s
        for s in catalog.by_slot.get(need.slot, ())
        if s in usable and (s in must or need.admits(catalog.techs[s].capabilities))
    ]
    pinned = [s for s in slugs if s in must and _only_slot(catalog.techs[s], needs) == need.slot]
    return (pinned, True) if pinned else (slugs, False)


def _only_slot(tech: Tech, needs: list[SlotNeed]) -> str | None:
    """The single needed slot a must-use technology can fill, if there is exactly one."""
    slots = [n.slot for n in needs if n.slot in tech.slots]
    return slots[0] if len(slots) == 1 else None


def _built_in(catalog: Catalog, tech: Tech, slot: str) -> bool:
    """A part that fills `slot` only as part of itself in another slot (Django's auth, FastAPI's docs)."""
    return slot != tech.slots[0] and any(
        r.kind == "requires" and r.when_in == slot and r.targets == (tech.slug,)
        for r in catalog.rules_by_owner.get(tech.slug, ())
    )


def _with_companions(
    catalog: Catalog, needs: list[SlotNeed], options: dict[str, list[str]], usable: set[str]
) -> list[SlotNeed]:
    """Add the slots that candidates bring with them (a channel layer for Channels), to a fixpoint."""
    have = {n.slot for n in needs}
    owners: dict[str, list[str]] = {}
    queue = [(n.slot, s) for n in needs for s in options[n.slot]]
    while queue:
        slot, slug = queue.pop()
        for rule in catalog.rules_by_owner.get(slug, ()):
            if rule.kind != "requires" or rule.slot not in COMPANION_SLOTS or rule.slot in have:
                continue
            if rule.when_in not in (None, slot):
                continue
            names = owners.setdefault(rule.slot, [])
            if catalog.techs[slug].name not in names:
                names.append(catalog.techs[slug].name)
            if rule.slot not in options:
                options[rule.slot] = [s for s in catalog.by_slot.get(rule.slot, ()) if s in usable]
                queue.extend((rule.slot, s) for s in options[rule.slot])
    extra = [companion_need(slot, " or ".join(names[:3])) for slot, names in owners.items()]
    order = {s: i for i, s in enumerate(v.STACK_SLOTS)}
    return sorted(needs + extra, key=lambda n: (order.get(n.slot, len(order)), n.slot))


def _hard_rules(catalog: Catalog, usable: set[str], must: set[str], slots: set[str]):
    requirements = [Requirement(None, frozenset({m}), None, f"you must use {m}") for m in sorted(must)]
    conflicts: dict[str, set[str]] = {}
    for rule in catalog.rules:
        if rule.owner not in usable:
            continue
        targets = frozenset(rule.targets)
        if rule.kind == "requires" and (rule.slot is None or rule.slot in slots):
            requirements.append(
                Requirement(rule.owner, targets & usable, rule.slot, rule.reason, rule.when_in)
            )
        elif rule.kind == "requires" and targets == {rule.owner} and rule.when_in:
            # A built-in (Django's auth) needs its owner in a slot this project lacks: it cannot be.
            requirements.append(Requirement(rule.owner, frozenset(), None, rule.reason, rule.when_in))
        elif rule.kind == "conflicts":
            for t in targets - {rule.owner}:
                conflicts.setdefault(rule.owner, set()).add(t)
                conflicts.setdefault(t, set()).add(rule.owner)
    return tuple(requirements), {t: frozenset(s) for t, s in conflicts.items()}


def _built_ins_first(catalog: Catalog, candidates: dict, fits: dict, builtin: dict, must: set) -> tuple:
    """Where a part of the stack already does a slot's job (Django's auth, PostgreSQL's full-text
    search), the slot uses it: another library only when it clearly fits better."""
    out = []
    for (slot, slug), owner in builtin.items():
        home = catalog.techs[slug].slots[0]
        floor = fits[(slot, slug)] + BUILT_IN_MARGIN
        better = {t for t in candidates[slot] if t and t != slug and (t in must or fits[(slot, t)] >= floor)}
        out.append(Requirement(slug, frozenset({slug} | better), slot, f"{owner} already does this", home))
    return tuple(out)


def _pairs(catalog: Catalog, candidates: dict[str, tuple]) -> tuple[dict, dict]:
    """Works-well-with bonuses between placements: only where both parts play the rule's roles."""
    where: dict[str, list[str]] = {}
    for slot, opts in candidates.items():
        for t in opts:
            if t is not None:
                where.setdefault(t, []).append(slot)
    pairs: dict[frozenset[Placement], int] = {}
    rules: dict[frozenset[Placement], Rule] = {}
    for rule in catalog.rules:
        if rule.kind != "works_well_with" or rule.owner not in where:
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
