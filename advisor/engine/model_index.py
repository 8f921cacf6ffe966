"""What `build_model` reads of a catalog snapshot the same way for every request, indexed once per
snapshot (`Catalog.derived`): the rules by kind, the hard rules already built as requirements, which
placements are built-ins, and which technologies bring companion slots.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog, Rule
from advisor.engine.needs import COMPANION_SLOTS
from advisor.engine.problem import Requirement


@dataclass(frozen=True)
class RequiresRule:
    """A `requires` rule with its requirements as a request with every recommendable technology
    usable would build them: `in_slot` where the rule's slot is in the stack, `impossible` (for a
    built-in) where it is not."""

    rule: Rule
    targets: frozenset[str]
    in_slot: Requirement
    impossible: Requirement | None


class ModelIndex:
    """The catalog-wide part of building a model, for `build_model`."""

    def __init__(self, catalog: Catalog):
        self.names = {slug: t.name for slug, t in catalog.techs.items()}
        self.recommendable = frozenset(
            slug for slug, t in catalog.techs.items() if t.status in v.RECOMMENDABLE_STATUSES
        )
        self.requires = tuple(self._requires(r) for r in catalog.rules if r.kind == "requires")
        self.conflicts = tuple(r for r in catalog.rules if r.kind == "conflicts")
        self.works_well = tuple(r for r in catalog.rules if r.kind == "works_well_with")
        self.built_in: dict[str, set[str]] = {}  # slot -> the technologies built into another part there
        for r in catalog.rules:
            if (
                r.kind == "requires"
                and r.when_in is not None
                and r.targets == (r.owner,)
                and catalog.techs[r.owner].slots[:1] != (r.when_in,)
            ):
                self.built_in.setdefault(r.when_in, set()).add(r.owner)
        # owner -> (companion slot, rule) of its rules that require one
        self.companion_rules: dict[str, list[tuple[str, Rule]]] = {}
        for r in catalog.rules:
            if r.kind == "requires" and r.slot is not None and r.slot in COMPANION_SLOTS:
                self.companion_rules.setdefault(r.owner, []).append((r.slot, r))

    def _requires(self, rule: Rule) -> RequiresRule:
        targets = frozenset(rule.targets)
        in_slot = Requirement(rule.owner, targets & self.recommendable, rule.slot, rule.reason, rule.when_in)
        impossible = None
        if targets == {rule.owner} and rule.when_in:
            # A built-in (Django's auth) needs its owner in a slot this project lacks: it cannot be.
            impossible = Requirement(rule.owner, frozenset(), None, rule.reason, rule.when_in)
        return RequiresRule(rule, targets, in_slot, impossible)
