"""From a catalog snapshot and constraints to ranked, explained stacks (the contract's result JSON)."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine.catalog import Catalog, Tech
from advisor.engine.constraints import ConstraintError, validate_constraints
from advisor.engine.fit import Fit, axis_weights, fit
from advisor.engine.needs import SlotNeed, needed_slots, slot_weight
from advisor.engine.search import Problem, Ranked, Requirement, search

UNARY_POINTS = 8000        # hundredths of a point shared by the slots' fits (80 points)
PAIR_POINTS = 50           # hundredths of a point per unit of works-well-with strength
ALTERNATIVES_PER_SLOT = 3
ALTERNATIVES_LOOKED_AT = 9    # the best-fitting other choices of a slot tried for those


@dataclass
class Model:
    """A problem plus what is needed to explain its answers."""

    constraints: dict
    needs: list[SlotNeed]
    problem: Problem
    fits: dict[tuple[str, str], Fit]
    pair_reasons: dict[frozenset[str], str]


def recommend(catalog: Catalog, raw: dict, k: int = 5, alternatives: bool = True) -> dict:
    """Validate `raw`, then return {"catalog_version", "constraints", "stacks", ...}; raise ConstraintError."""
    active = {slug for slug, t in catalog.techs.items() if t.status == "active"}
    constraints = validate_constraints(raw, active)
    model = build_model(catalog, constraints)
    ranked = search(model.problem, k)
    if not ranked:
        raise ConstraintError(diagnose(catalog, constraints))
    stacks = [explain(catalog, model, r, rank) for rank, r in enumerate(ranked, start=1)]
    result = {
        "catalog_version": catalog.version,
        "constraints": constraints,
        "slots": [{"slot": n.slot, "optional": n.optional, "why": n.why} for n in model.needs],
        "stacks": stacks,
        "technologies": _technologies(catalog, ranked),
    }
    if alternatives:
        result["alternatives"] = runner_ups(catalog, model, ranked)
    return result


def build_model(catalog: Catalog, c: dict) -> Model:
    """Turn constraints into a search problem: candidates, integer scores and hard rules."""
    needs = needed_slots(c, catalog)
    weights = axis_weights(c)
    total_weight = sum(slot_weight(n.slot) for n in needs)
    avoid = set(c["avoid"])
    usable = {s for s, t in catalog.techs.items() if t.status == "active" and s not in avoid}
    must = set(c["must_use"])
    familiar = set(c["familiar_with"])
    candidates, unary, fits = {}, {}, {}
    # A fit depends on a technology's slot, ratings and capabilities, and on its slug only through
    # familiarity: technologies alike in those share one computation.
    alike: dict[tuple, Fit] = {}
    for need in needs:
        share = UNARY_POINTS * slot_weight(need.slot) / total_weight
        slugs = [s for s in catalog.by_slot.get(need.slot, ()) if s in usable]
        if need.slot == "deployment":
            slugs = [s for s in slugs if catalog.techs[s].has(f"deploy_{c['deployment']}")]
        pinned = [s for s in slugs if s in must and _only_slot(catalog.techs[s], needs) == need.slot]
        if pinned:
            slugs = pinned
        opts: list[str | None] = list(slugs)
        if need.optional and not pinned:
            opts.append(None)
            unary[(need.slot, None)] = round(share * need.empty_fit)
        for slug in slugs:
            tech = catalog.techs[slug]
            key = (need.slot, tuple(sorted(tech.ratings.items())), tech.capabilities, slug in familiar)
            f = alike.get(key)
            if f is None:
                f = alike[key] = fit(tech, need.slot, c, weights)
            fits[(need.slot, slug)] = f
            unary[(need.slot, slug)] = round(share * f.value)
        candidates[need.slot] = tuple(opts)
    pairs, pair_reasons, conflicts = {}, {}, {}
    requirements = [Requirement(None, frozenset({m}), None, f"you must use {m}") for m in sorted(must)]
    slot_names = {n.slot for n in needs}
    for rule in catalog.rules:
        if rule.owner not in usable:
            continue
        targets = frozenset(rule.targets)
        if rule.kind == "requires":
            if rule.slot is None or rule.slot in slot_names:
                requirements.append(Requirement(rule.owner, targets & usable, rule.slot, rule.reason,
                                                rule.when_in))
        elif rule.kind == "conflicts":
            for t in targets - {rule.owner}:
                conflicts.setdefault(rule.owner, set()).add(t)
                conflicts.setdefault(t, set()).add(rule.owner)
        elif rule.kind == "works_well_with":
            for t in targets:
                if t != rule.owner:
                    key = frozenset((rule.owner, t))
                    points = rule.strength * PAIR_POINTS
                    if points > pairs.get(key, 0):
                        pairs[key], pair_reasons[key] = points, rule.reason
    problem = Problem(
        slots=tuple(n.slot for n in needs),
        candidates=candidates,
        unary=unary,
        pairs=pairs,
        conflicts={t: frozenset(v) for t, v in conflicts.items()},
        requirements=tuple(requirements),
    )
    return Model(c, needs, problem, fits, pair_reasons)


def _only_slot(tech: Tech, needs: list[SlotNeed]) -> str | None:
    """The single needed slot a must-use technology can fill, if there is exactly one."""
    slots = [n.slot for n in needs if n.slot in tech.slots]
    return slots[0] if len(slots) == 1 else None


def explain(catalog: Catalog, model: Model, ranked: Ranked, rank: int) -> dict:
    """Reasons whose contributions add up to the score, and the tradeoffs of each part."""
    reasons = []
    display = [n.slot for n in model.needs]
    for slot in display:
        slug = ranked.assign[slot]
        points = model.problem.unary[(slot, slug)]
        if slug is None:
            need = next(n for n in model.needs if n.slot == slot)
            reasons.append({"slot": slot, "technology": None, "contribution": points / 100,
                            "text": f"Left empty: {need.empty_text}"})
            continue
        reasons.append({"slot": slot, "technology": slug, "contribution": points / 100,
                        "text": _fit_text(catalog.techs[slug], model.fits[(slot, slug)])})
    present = sorted({t for t in ranked.assign.values() if t})
    first_slot = {}
    for slot in display:
        first_slot.setdefault(ranked.assign[slot], slot)
    for i, a in enumerate(present):
        for b in present[i + 1:]:
            key = frozenset((a, b))
            if key in model.problem.pairs:
                name_a, name_b = catalog.techs[a].name, catalog.techs[b].name
                reasons.append({"slot": first_slot[a], "technology": a,
                                "contribution": model.problem.pairs[key] / 100,
                                "text": f"{name_a} works well with {name_b}: {model.pair_reasons[key]}"})
    components = {s: t for s, t in ranked.assign.items() if t}
    score = sum(round(r["contribution"] * 100) for r in reasons) / 100
    return {
        "rank": rank,
        "score": score,
        "components": {s: components[s] for s in display if s in components},
        "reasons": reasons,
        "tradeoffs": [{"technology": t, "pros": list(catalog.techs[t].pros),
                       "cons": list(catalog.techs[t].cons)} for t in _unique(components.values())],
    }


def _fit_text(tech: Tech, f: Fit) -> str:
    good = [p for d, p in f.signals if d > 0][:3]
    bad = [p for d, p in f.signals if d <= -0.02][:2]
    text = f"{tech.name}: " + ("; ".join(good) if good else "an acceptable choice")
    if bad:
        text += ". Watch out: " + "; ".join(bad)
    return text + "."


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _technologies(catalog: Catalog, ranked: list[Ranked]) -> dict:
    slugs = sorted({t for r in ranked for t in r.assign.values() if t})
    return {s: {"name": catalog.techs[s].name, "summary": catalog.techs[s].summary,
                "version": catalog.techs[s].version} for s in slugs}


def runner_ups(catalog: Catalog, model: Model, ranked: list[Ranked]) -> dict:
    """For each slot, the best few other choices (by fit) whose cost is known without another search.

    A choice counts when the top stack with just that part swapped still breaks no rule (its score
    is that stack's), or when one of the ranked stacks holds it (the first of them is the best stack
    holding it at all; `changes` lists its other differences). Choices that would need other parts
    changed and that no ranked stack holds are left out: finding the best stack for each would cost
    a search apiece, several times the ranking itself.
    """
    problem, top = model.problem, ranked[0]
    out = {}
    for slot in problem.slots:
        others = [t for t in problem.candidates[slot] if t is not None and t != top.assign[slot]]
        others.sort(key=lambda t: (-problem.unary[(slot, t)], t))
        rows = []
        for tech in others[:ALTERNATIVES_LOOKED_AT]:
            swapped = {**top.assign, slot: tech}
            if problem.is_valid(swapped):
                score = problem.score(swapped)
            else:
                holder = next((r for r in ranked if r.assign[slot] == tech), None)
                if holder is None:
                    continue
                swapped, score = holder.assign, holder.score
            changes = {s: t for s, t in swapped.items() if s != slot and t != top.assign[s]}
            rows.append({"technology": tech, "name": catalog.techs[tech].name, "score": score / 100,
                         "delta": (score - top.score) / 100, "changes": changes})
            if len(rows) == ALTERNATIVES_PER_SLOT:
                break
        if rows:
            out[slot] = sorted(rows, key=lambda r: (-r["score"], r["technology"]))
    return out


def diagnose(catalog: Catalog, c: dict) -> dict[str, list[str]]:
    """Explain why no stack satisfies `c`: which must-use entries clash, or what the avoid list rules out."""
    must = list(c["must_use"])

    def feasible(required: list[str], avoid: list[str]) -> bool:
        trial = dict(c, must_use=sorted(required), avoid=sorted(avoid))
        return bool(search(build_model(catalog, trial).problem, 1))

    kept: list[str] = []
    for slug in must:
        if feasible(kept + [slug], []):
            kept.append(slug)
            continue
        partners = [other for other in kept if not feasible([other, slug], [])]
        why = _rule_reason(catalog, slug, partners)
        if partners:
            names = ", ".join(partners)
            return {"must_use": [f"{slug} and {names} cannot be in one stack{why}."]}
        return {"must_use": [f"{slug} does not fit a {c['project_kind']} stack{why}."]}
    for slug in must:
        if not feasible([slug], c["avoid"]):
            return {"must_use": [f"{slug} needs something you avoid ({', '.join(c['avoid'])})"
                                 f"{_avoid_reason(catalog, slug, c['avoid'])}."]}
    if c["avoid"]:
        return {"avoid": ["Avoiding " + ", ".join(c["avoid"]) + " leaves no complete stack."]}
    return {"constraints": ["No complete stack in the catalog satisfies these constraints."]}


def _rule_reason(catalog: Catalog, slug: str, others: list[str]) -> str:
    """The rule that keeps `slug` apart from one of `others`, as a suffix in parentheses."""
    for other in others:
        for x, y in ((slug, other), (other, slug)):
            for rule in catalog.rules_by_owner.get(x, ()):
                if not rule.reason or y in rule.targets and rule.kind != "conflicts":
                    continue
                if rule.kind == "conflicts" and y in rule.targets:
                    return f" ({rule.reason.rstrip('.')})"
                if rule.kind == "requires":
                    slots = {rule.slot} if rule.slot else {
                        s for t in rule.targets if t in catalog.techs for s in catalog.techs[t].slots}
                    if slots & set(catalog.techs[y].slots) or y in others and not rule.targets:
                        return f" ({x}: {rule.reason.rstrip('.')})"
    for rule in catalog.rules_by_owner.get(slug, ()):
        if rule.kind == "requires" and rule.reason and set(rule.targets) <= set(others):
            return f" ({rule.reason.rstrip('.')})"
    return ""


def _avoid_reason(catalog: Catalog, slug: str, avoid: list[str]) -> str:
    for rule in catalog.rules_by_owner.get(slug, ()):
        if rule.kind == "requires" and set(rule.targets) & set(avoid) and rule.reason:
            return f" ({rule.reason.rstrip('.')})"
    return ""
