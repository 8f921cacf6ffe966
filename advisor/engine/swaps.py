"""A valid stack with one part changed: its score, or None when the change breaks a hard rule.

The explanation asks this of dozens of changes per stack. Re-scoring and re-checking the whole
stack each time would cost a pass over its pairs and every rule of its parts; instead the pairs
are indexed by placement once per problem, and the rules a change can break are gathered once per
stack and slot. Those are the must-use demands, the rules of the parts that come and go, and the
other parts' rules that name the slot or the leaving part: any other rule held before the change
and still holds after it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.engine.problem import Placement, Problem, Requirement


class Swaps:
    """What every stack's changes share: each placement's partners with their points, and the rules
    by owner. Built once per problem (one request), so that a change looks at its own parts only."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = set(problem.slots)
        self.rules = problem.rules_of
        # One pass over every pair of the request (thousands on a big catalog): no dict made per pair.
        partners: defaultdict[Placement, dict[Placement, int]] = defaultdict(dict)
        for pair, points in problem.pairs.items():
            if points and len(pair) == 2:
                p, q = pair
                if p[1] != q[1]:  # a technology earns no bonus with itself
                    partners[p][q] = points
                    partners[q][p] = points
        self.partners: dict[Placement, dict[Placement, int]] = dict(partners)

    def of(self, assign: dict[str, str | None], score: int) -> StackSwaps:
        """The changes of valid `assign`, which scores `score`."""
        return StackSwaps(self, assign, score)


class StackSwaps:
    """One stack's single-part changes; what depends on the stack alone is worked out once."""

    def __init__(self, swaps: Swaps, assign: dict[str, str | None], score: int):
        self.swaps = swaps
        self.assign = assign
        self.score = score
        self.placed: set[Placement] = {(s, t) for s, t in assign.items() if t}
        self.count: Counter[str | None] = Counter(t for t in assign.values() if t)
        self.watching: dict[str, tuple[Requirement, ...]] = {}
        self.leaving: dict[str, int] = {}
        self.after = dict(assign)  # changed in place by `_keeps_rules`, one slot at a time
        self.owned: tuple[dict, dict] | None = None  # the present parts' rules, see `_owned`

    def best(self, slot: str, techs: list[str], looked_at: int, wanted: int) -> list[tuple[str, int]]:
        """The first `wanted` changes of `slot` that keep the rules, with their scores, among the
        first `looked_at` of `techs` other than its part: what `swapped` gives each, with what is
        the same for every change of the slot (its part's points and rules) looked up once."""
        old = self.assign[slot]
        unary = self.swaps.problem.unary
        base = self.score - unary[(slot, old)]
        alone = self.count[old] <= 1  # the leaving part fills no other slot
        out: list[tuple[str, int]] = []
        seen = 0
        keeps = self._rule_check(slot)
        for new in techs:
            if new == old:
                continue
            if seen == looked_at:
                break
            seen += 1
            if not keeps(new):
                continue
            if alone and new not in self.count:
                if slot not in self.leaving:
                    self.leaving[slot] = self._placement_bonus((slot, old))
                gain = self._placement_bonus((slot, new)) - self.leaving[slot]
            else:
                gain = self._gain(slot, new)
            out.append((new, base + unary[(slot, new)] + gain))
            if len(out) == wanted:
                break
        return out

    def _rule_check(self, slot: str) -> Callable[[str], bool]:
        """`_keeps_rules` for changes of `slot`, with the parts left after its part goes and the
        rules it watches worked out once, and the stack after each change made in place."""
        old = self.assign[slot]
        conflicts, rules, hold = self.swaps.problem.conflicts, self.swaps.rules, self._hold
        watching = self._watching(slot)
        present = set(self.count)
        if self.count[old] == 1:
            present.discard(old)
        after = self.after

        def keeps(new: str) -> bool:
            clashes, own = conflicts.get(new), rules.get(new)
            if not (watching or clashes or own):
                return True
            added = new not in present
            if added:
                present.add(new)
            after[slot] = new
            try:
                if clashes and not clashes.isdisjoint(present):
                    return False
                return hold(watching, after, present) and (not own or hold(own, after, present))
            finally:
                after[slot] = old
                if added:
                    present.discard(new)

        return keeps

    def swapped(self, slot: str, new: str | None) -> int | None:
        """The score with `slot` changed to `new`, or None when that breaks a hard rule."""
        problem = self.swaps.problem
        if not self._keeps_rules(slot, new):
            return None
        old = self.assign[slot]
        return self.score - problem.unary[(slot, old)] + problem.unary[(slot, new)] + self._gain(slot, new)

    def _gain(self, slot: str, new: str | None) -> int:
        """How the pair points change, from the pairs of the part that leaves and the part that
        comes in. When neither fills another slot, the only pairs that change are those of the
        slot's own placement, before (the same for every change of the slot) and after."""
        old = self.assign[slot]
        if self.count[old] > 1 or new in self.count:
            changed: set[str | None] = {t for t in (old, new) if t}
            placed = self.placed - {(slot, old)}
            if new is not None:
                placed.add((slot, new))
            return self._bonus(placed, changed) - self._bonus(self.placed, changed)
        if slot not in self.leaving:
            self.leaving[slot] = self._placement_bonus((slot, old))
        return self._placement_bonus((slot, new)) - self.leaving[slot]

    def _placement_bonus(self, placement: Placement) -> int:
        """The pair points of the only placement of its technology, with the stack's other slots."""
        mine = self.swaps.partners.get(placement)
        if not mine:
            return 0
        best: dict[str | None, int] = {}
        placed, slot = self.placed, placement[0]
        if len(mine) < len(placed):  # look from the smaller side; the points are the same
            for q, points in mine.items():
                if q[0] != slot and q in placed:
                    best[q[1]] = max(best.get(q[1], 0), points)
        else:
            for q in placed:
                if q[0] != slot and (found := mine.get(q)) is not None:
                    best[q[1]] = max(best.get(q[1], 0), found)
        return sum(best.values())

    def _keeps_rules(
        self, slot: str, new: str | None, watching: tuple[Requirement, ...] | None = None
    ) -> bool:
        """Whether the conflicts and rules the change touches still hold. A rule applies only while
        its owner is present, so the other parts' rules are enough, once narrowed to those naming
        the slot or the part that leaves (`_watching`). When the change touches none, the stack
        after it is not even built."""
        old = self.assign[slot]
        clashes = self.swaps.problem.conflicts.get(new) if new is not None else None
        touched = (self._watching(slot) if watching is None else watching) + self.swaps.rules.get(new, ())
        if not clashes and not touched:
            return True
        present = set(self.count)
        if self.count[old] == 1:
            present.discard(old)
        if new is not None:
            present.add(new)
        if clashes and clashes & present:
            return False
        # The stack after the change, made in place and put back (cheaper than a copy per change).
        after = self.after
        after[slot] = new
        try:
            return self._hold(touched, after, present)
        finally:
            after[slot] = old

    def _hold(self, rules: tuple[Requirement, ...], after: dict, present: set) -> bool:
        """Whether `rules` hold in the stack `after`, whose parts are `present`."""
        slots = self.swaps.slots
        for req in rules:
            if not req.active(after, present):
                continue
            if req.slot is not None:
                # A rule about a slot this project does not have is skipped.
                if req.slot in slots and after[req.slot] not in req.targets:
                    return False
            elif req.targets.isdisjoint(present):
                return False
        return True

    def _watching(self, slot: str) -> tuple[Requirement, ...]:
        """The rules any change in `slot` can break, whatever comes in: the must-use demands for
        the leaving part (the others keep their part), the leaving part's own when it stays in
        another slot, and the other parts' rules that require something in that slot or require
        the leaving part."""
        if slot not in self.watching:
            old = self.assign[slot]
            rules = self.swaps.rules
            in_slot, naming = self._owned()
            found = [req for req in rules.get(None, ()) if req.slot is not None or old in req.targets]
            if self.count[old] > 1:
                found.extend(rules.get(old, ()))
            for tech, req in in_slot.get(slot, ()):
                if tech != old:
                    found.append(req)
            for tech, req in naming.get(old, ()):
                if tech != old and req.slot != slot:
                    found.append(req)
            self.watching[slot] = tuple(found)
        return self.watching[slot]

    def _owned(self) -> tuple[dict, dict]:
        """The present parts' rules as (owner, rule), by the slot they name and by each present
        part they require: built once per stack, so that each slot looks at its own only."""
        if self.owned is None:
            in_slot: dict[str, list[tuple[str | None, Requirement]]] = {}
            naming: dict[str, list[tuple[str | None, Requirement]]] = {}
            present = frozenset(self.count)
            for tech in present:
                for req in self.swaps.rules.get(tech, ()):
                    if req.slot is not None:
                        in_slot.setdefault(req.slot, []).append((tech, req))
                    for target in req.targets & present:  # walks the smaller of the two
                        naming.setdefault(target, []).append((tech, req))
            self.owned = (in_slot, naming)
        return self.owned

    def _bonus(self, placed: set[Placement], techs: set[str | None]) -> int:
        """The pair points `placed` earns from the pairs involving `techs`; a pair of technologies
        counts once, with the best points over the slots they fill."""
        best: dict[frozenset, int] = {}
        partners = self.swaps.partners
        for p in placed:
            if p[1] not in techs or p not in partners:
                continue
            mine = partners[p]
            for q in placed:
                points = mine.get(q)
                if points is not None:
                    pair = frozenset((p[1], q[1]))
                    best[pair] = max(best.get(pair, 0), points)
        return sum(best.values())
