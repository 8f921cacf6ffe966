"""When no stack satisfies the constraints: which ones clash, and the smallest changes that fix it.

Every suggestion is found by the engine itself: a whole corrected constraints object that was
checked to have a stack. Replacing a must-use part by the best-fitting one of its slot that works
comes first (it keeps the intent), then dropping a must-use or avoid entry, a feature, or moving the
deployment target.
"""

from __future__ import annotations

from datetime import date

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog
from advisor.engine.model import build_model
from advisor.engine.search import best

MAX_SUGGESTIONS = 4
REPLACEMENTS_TRIED = 6


class Clash:
    """Diagnoses one unsatisfiable set of constraints."""

    def __init__(self, catalog: Catalog, c: dict, today: date):
        self.catalog, self.c, self.today = catalog, c, today

    def feasible(self, c: dict) -> bool:
        return best(build_model(self.catalog, c, self.today).problem) is not None

    def name(self, slug: str) -> str:
        tech = self.catalog.techs.get(slug)
        return tech.name if tech else slug

    # --- what clashes -------------------------------------------------------------------------

    def errors(self) -> dict[str, list[str]]:
        """Which must-use entries clash (and the rule behind it), or what the avoid list rules out."""
        c, kept = self.c, list[str]()
        for slug in c["must_use"]:
            if self.feasible(dict(c, must_use=sorted(kept + [slug]), avoid=[])):
                kept.append(slug)
                continue
            partners = [o for o in kept if not self.feasible(dict(c, must_use=sorted([o, slug]), avoid=[]))]
            why = _rule_reason(self.catalog, slug, partners)
            if partners:
                return {"must_use": [f"{slug} and {', '.join(partners)} cannot be in one stack{why}."]}
            kind = v.PROJECT_KIND_WORDS[c["project_kind"]][0]
            return {"must_use": [f"{slug} does not fit a {kind} stack with these features{why}."]}
        for slug in c["must_use"]:
            if not self.feasible(dict(c, must_use=[slug])):
                return {"must_use": [f"{slug} needs something you avoid ({', '.join(c['avoid'])})."]}
        if c["avoid"]:
            return {"avoid": ["Avoiding " + ", ".join(c["avoid"]) + " leaves no complete stack."]}
        return {"constraints": ["No complete stack in the catalog satisfies these constraints."]}

    # --- ways out -----------------------------------------------------------------------------

    def suggestions(self) -> list[dict]:
        found: list[dict] = []
        for text, changed in self._changes():
            if len(found) == MAX_SUGGESTIONS:
                break
            if all(s["constraints"] != changed for s in found) and self.feasible(changed):
                found.append({"text": text, "constraints": changed})
        return found

    def _changes(self):
        """Candidate single changes, most faithful to the request first."""
        c = self.c
        for slug in reversed(c["must_use"]):
            replacement = self._replacement(slug)
            if replacement:
                yield (
                    f"Use {self.name(replacement)} instead of {self.name(slug)}",
                    dict(c, must_use=sorted(set(c["must_use"]) - {slug} | {replacement})),
                )
        for slug in reversed(c["must_use"]):
            yield f"Drop {slug} from must use", dict(c, must_use=[s for s in c["must_use"] if s != slug])
        for slug in c["avoid"]:
            yield f"Stop avoiding {slug}", dict(c, avoid=[s for s in c["avoid"] if s != slug])
        for feature in c["features"]:
            yield (
                f"Drop the feature {v.FEATURE_WORDS[feature][0]}",
                dict(c, features=[f for f in c["features"] if f != feature]),
            )
        for target in v.DEPLOYMENTS:
            if target != c["deployment"]:
                yield f"Deploy to {v.DEPLOYMENT_TARGETS[target]} instead", dict(c, deployment=target)

    def _replacement(self, slug: str) -> str | None:
        """The best-fitting other technology of `slug`'s main slot that makes the constraints work."""
        tech = self.catalog.techs.get(slug)
        if tech is None or not tech.slots:
            return None
        slot = tech.slots[0]
        others = dict(self.c, must_use=[s for s in self.c["must_use"] if s != slug])
        model = build_model(self.catalog, others, self.today)
        if slot not in model.problem.candidates:
            return None
        ranked = sorted(
            (t for t in model.problem.candidates[slot] if t and t != slug),
            key=lambda t: (-model.problem.unary[(slot, t)], t),
        )
        for other in ranked[:REPLACEMENTS_TRIED]:
            if self.feasible(dict(self.c, must_use=sorted(set(others["must_use"]) | {other}))):
                return other
        return None


def _rule_reason(catalog: Catalog, slug: str, others: list[str]) -> str:
    """The catalog rule that keeps `slug` apart from one of `others`, as a suffix in parentheses."""
    for other in others:
        for x, y in ((slug, other), (other, slug)):
            for rule in catalog.rules_by_owner.get(x, ()):
                if not rule.reason:
                    continue
                if rule.kind == "conflicts" and y in rule.targets:
                    return f" ({rule.reason.rstrip('.')})"
                if rule.kind == "requires" and y not in rule.targets:
                    slots = (
                        {rule.slot}
                        if rule.slot
                        else {s for t in rule.targets if t in catalog.techs for s in catalog.techs[t].slots}
                    )
                    if slots & set(catalog.techs[y].slots):
                        return f" ({x}: {rule.reason.rstrip('.')})"
    return ""
