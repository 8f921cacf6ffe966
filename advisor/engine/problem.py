"""The search problem: slots and their candidates, integer points, placement pairs and hard rules.

Scores are integers (hundredths of a point) so that ties, bounds and the brute-force check are exact.
A stack's score is the sum of each slot's unary points plus, for every two of its technologies that
work well together, the best bonus their placements earn (a pair counts once, whatever slots its
parts fill). `requires` and `conflicts` rules are hard. `brute_force` is the definition the search
must agree with; the tests hold them together.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from functools import cached_property

from advisor.engine.swaps import Swaps

Placement = tuple[str, str | None]  # (slot, technology; None for the slot left empty)


@dataclass(frozen=True)
class Requirement:
    """Owner (None for a must-use demand) needs one of `targets`, in `slot` when given.

    With `when_in`, the requirement holds only while the owner fills that slot.
    """

    owner: str | None
    targets: frozenset[str]
    slot: str | None
    reason: str = ""
    when_in: str | None = None

    def active(self, assign: dict, present) -> bool:
        if self.owner is None:
            return True
        if self.when_in is not None:
            return assign.get(self.when_in) == self.owner
        return self.owner in present


@dataclass
class Problem:
    """Everything the search needs: candidates and points per slot, placement pairs, hard rules."""

    slots: tuple[str, ...]
    candidates: dict[str, tuple[str | None, ...]]
    unary: dict[tuple[str, str | None], int]
    pairs: dict[frozenset[Placement], int] = field(default_factory=dict)
    conflicts: dict[str | None, frozenset[str]] = field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()

    def key(self, assign: dict[str, str | None]) -> tuple[str, ...]:
        return tuple(assign[s] or "" for s in self.slots)

    def pair_points(self, assign: dict[str, str | None]) -> dict[frozenset[str], int]:
        """The bonus each pair of technologies earns: the best over the slots they fill."""
        best: dict[frozenset[str], int] = {}
        placed = [(s, t) for s, t in assign.items() if t]
        for p, q in itertools.combinations(placed, 2):
            if p[1] != q[1] and (points := self.pairs.get(frozenset((p, q)))):
                techs = frozenset((p[1], q[1]))
                best[techs] = max(best.get(techs, 0), points)
        return best

    def score(self, assign: dict[str, str | None]) -> int:
        """The exact score of a complete assignment."""
        return sum(self.unary[(s, assign[s])] for s in self.slots) + sum(self.pair_points(assign).values())

    @cached_property
    def rules_of(self) -> dict[str | None, tuple[Requirement, ...]]:
        """Requirements by owner (None: the must-use demands)."""
        out: dict[str | None, list[Requirement]] = {}
        for req in self.requirements:
            out.setdefault(req.owner, []).append(req)
        return {owner: tuple(reqs) for owner, reqs in out.items()}

    def is_valid(self, assign: dict[str, str | None]) -> bool:
        """Whether a complete assignment breaks no hard rule."""
        present = {t for t in assign.values() if t}
        for tech in present:
            if self.conflicts.get(tech, frozenset()) & present:
                return False
        rules = self.rules_of
        for req in itertools.chain(rules.get(None, ()), *(rules.get(t, ()) for t in present)):
            if not req.active(assign, present):
                continue
            if req.slot is not None:
                # A rule about a slot this project does not have is skipped.
                if req.slot in self.slots and assign[req.slot] not in req.targets:
                    return False
            elif not req.targets & present:
                return False
        return True

    @cached_property
    def swaps(self) -> Swaps:
        """Single-part changes of this problem's stacks, from indexes built once."""
        return Swaps(self)

    def swapped(self, assign: dict, score: int, slot: str, new: str | None) -> int | None:
        """The score of valid `assign` (scoring `score`) with `slot` changed to `new`, or None when
        the change breaks a hard rule. Only the rules and pairs the change touches are looked at."""
        return self.swaps.of(assign, score).swapped(slot, new)

    def narrowed(self, slot: str, keep=None, drop=()) -> Problem:
        """The same problem with `slot` limited to `keep` (when given) and without `drop`."""
        options = tuple(t for t in self.candidates[slot] if (keep is None or t in keep) and t not in drop)
        return replace(self, candidates={**self.candidates, slot: options})


@dataclass(order=True)
class Ranked:
    """A complete valid stack; orders best first (higher score, then smaller key)."""

    sort_key: tuple = field(init=True)
    score: int = field(compare=False, default=0)
    assign: dict = field(compare=False, default_factory=dict)


def _entry(problem: Problem, assign: dict, score: int) -> Ranked:
    return Ranked((-score, problem.key(assign)), score, dict(assign))


def brute_force(problem: Problem, k: int = 1) -> list[Ranked]:
    """Enumerate every assignment, best first; only for tests on small problems."""
    found = []
    for combo in itertools.product(*(problem.candidates[s] for s in problem.slots)):
        assign = dict(zip(problem.slots, combo, strict=True))
        if problem.is_valid(assign):
            found.append(_entry(problem, assign, problem.score(assign)))
    return sorted(found)[:k]


def _narrow(cands: dict, live: dict, slot: str, kept: tuple) -> bool:
    """Keep only `kept` in `slot`; whether that removed anything."""
    if kept == cands[slot]:
        return False
    cands[slot], live[slot] = kept, set(kept)
    return True


def propagate(problem: Problem) -> dict[str, tuple[str | None, ...]]:
    """Narrow the candidates using slots that have a single possible technology.

    A technology that every stack must hold keeps its required slots to their targets and keeps
    out whatever it conflicts with; a requirement with nowhere to go rules its owner out.
    Sound: it only removes candidates no valid stack can use.

    In rounds until nothing changes; each round takes the slots held to one technology as it
    starts, then applies the rules in order, each seeing what the ones before it removed.
    """
    cands = {s: tuple(problem.candidates[s]) for s in problem.slots}
    live = {s: set(c) for s, c in cands.items()}
    # every slot a technology was ever a candidate of: each use checks `live` for what is left
    holders: dict[str, list[str]] = {}
    for s, c in cands.items():
        for t in c:
            if t is not None:
                holders.setdefault(t, []).append(s)
    # Only the rules about these slots whose owner is a candidate where they apply can act.
    rules = [
        r
        for r in problem.requirements
        if (r.when_in is None or r.when_in in cands)
        and (r.slot is None or r.slot in cands)
        and (r.owner is None or (r.owner in live[r.when_in] if r.when_in else r.owner in holders))
    ]
    changed = True
    while changed:
        forced = {(s, c[0]) for s, c in cands.items() if len(c) == 1 and c[0] is not None}
        forced_techs = {t for _, t in forced}
        changed = False
        for req in rules:
            owner, when_in, slot = req.owner, req.when_in, req.slot
            if owner is None or ((when_in, owner) in forced if when_in else owner in forced_techs):
                home = slot if slot is not None else _only_home(req.targets, holders, live)
                if home:
                    changed |= _narrow(cands, live, home, tuple(t for t in cands[home] if t in req.targets))
                    continue
                if home is None:
                    continue  # more than one slot can take a target
            elif not (
                req.targets.isdisjoint(live[slot])
                if slot is not None
                else _nowhere(req.targets, holders, live)
            ):
                continue
            # Nowhere to put a target: the owner cannot be used where this rule applies.
            if owner is None:
                return {s: () for s in cands}
            for s in holders.get(owner, ()):
                if when_in in (None, s) and owner in live[s]:
                    changed |= _narrow(cands, live, s, tuple(t for t in cands[s] if t != owner))
        for tech in forced_techs:
            for other in problem.conflicts.get(tech, frozenset()):
                for s in holders.get(other, ()):
                    if other in live[s]:
                        changed |= _narrow(cands, live, s, tuple(t for t in cands[s] if t != other))
    return cands


def _only_home(targets: frozenset[str], holders: dict, live: dict) -> str | None:
    """The one slot that can still take one of `targets`; "" when none can, None when several."""
    home = ""
    for t in targets:
        for s in holders.get(t, ()):
            if s != home and t in live[s]:
                if home:
                    return None
                home = s
    return home


def _nowhere(targets: frozenset[str], holders: dict, live: dict) -> bool:
    """Whether no slot can still take any of `targets`."""
    for t in targets:
        for s in holders.get(t, ()):
            if t in live[s]:
                return False
    return True
