"""What every search of one problem shares, computed once: the slot order, the options of each slot
in bound order, placement pairs, an index of the rules by when they can be decided, and how far each
placement reaches (the deepest slot whose choice it can change).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from advisor.engine.problem import Placement, Problem, Requirement

DEPENDENT_WEIGHT = 3  # how much more a slot whose options all hang on an ordered slot weighs


def interacting_first(problem: Problem) -> Problem:
    """The same problem with its slots in search order: those linked to another slot (a pair, a
    conflict, a rule, a shared technology) first, then the independent ones.

    The linked slots go heaviest first (by their best option's points: deciding what weighs most
    early makes every bound below it tight), except that a slot whose options have rules on a slot
    already ordered (a driver on its database) weighs up to `DEPENDENT_WEIGHT` times more, by the
    share of its options that do: once that slot is placed, it has few options left, so it is
    cheap to decide and what it decides tightens the bound."""
    where: dict[str | None, set[str]] = {}
    for slot, options in problem.candidates.items():
        for tech in options:
            if tech is not None:
                where.setdefault(tech, set()).add(slot)
    linked = {s for places in where.values() if len(places) > 1 for s in places}
    linked |= {p[0] for pair in problem.pairs for p in pair}
    involved = set(problem.conflicts) | {t for c in problem.conflicts.values() for t in c}
    for req in problem.requirements:
        involved |= req.targets | ({req.owner} if req.owner else set())
        linked |= {s for s in (req.slot, req.when_in) if s}
    linked |= {s for t in involved for s in where.get(t, ())}
    order = _heaviest_first(problem, [s for s in problem.slots if s in linked], where)
    return replace(problem, slots=tuple(order + [s for s in problem.slots if s not in linked]))


def _heaviest_first(problem: Problem, slots: list[str], where: dict) -> list[str]:
    """`slots` in the greedy order `interacting_first` describes."""
    # slot -> the slot its options' rules name -> those options
    hangs_on: dict[str, dict[str, set[str]]] = {}
    for req in problem.requirements:
        if req.owner and req.slot:
            for slot in where.get(req.owner, ()):
                if req.when_in in (None, slot) and slot != req.slot:
                    hangs_on.setdefault(slot, {}).setdefault(req.slot, set()).add(req.owner)
    best = {s: max((problem.unary[(s, t)] for t in problem.candidates[s]), default=0) for s in slots}
    size = {s: max(1, sum(1 for t in problem.candidates[s] if t)) for s in slots}
    order: list[str] = []
    left = list(slots)
    while left:
        weight = {}
        for slot in left:
            hung = max((len(o) for s, o in hangs_on.get(slot, {}).items() if s in order), default=0)
            weight[slot] = best[slot] * (1 + (DEPENDENT_WEIGHT - 1) * hung / size[slot])
        chosen = max(left, key=weight.__getitem__)
        order.append(chosen)
        left.remove(chosen)
    return order


@dataclass(frozen=True)
class Option:
    tech: str | None
    unary: int
    bound: int  # unary plus the best pair bonuses it could earn with earlier slots


class Plan:
    """What every search of one problem shares: slot order, placement pairs, options, rule indexes,
    and how far each placement reaches (the last depth whose choices it can affect)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = problem.slots
        self.n = len(self.slots)
        self.index: dict[str | None, int] = {s: i for i, s in enumerate(self.slots)}
        self.cands: list[set[str | None]] = [set(problem.candidates[s]) for s in self.slots]
        self.where: dict[str, list[int]] = {}
        for i, c in enumerate(self.cands):
            for tech in c:
                if tech is not None:
                    self.where.setdefault(tech, []).append(i)
        self.partners = self._partners()
        self.options = [self._options(i) for i in range(self.n)]
        self.by_tech = [{o.tech: o for o in opts} for opts in self.options]
        self._index_requirements()
        self.reach = self._reach()
        self.own = self._own_rules()
        self._index_dependencies()
        # Per placement, its partners in earlier slots, whose bonus a bound adds once they are
        # placed: (slot index, slot, technology, points, the pair of technologies).
        self.earlier_partners: dict[Placement, list[tuple]] = {}
        for p, partners in self.partners.items():
            mine = self.index[p[0]]
            kept = [
                (j, q[0], q[1], points, frozenset((p[1], q[1])))
                for q, points in partners.items()
                if (j := self.index[q[0]]) < mine
            ]
            if kept:
                self.earlier_partners[p] = kept
        self.relevant = [
            [
                (j, self.slots[j])
                for j in range(d)
                if any(self.reach[(j, o.tech)] >= d for o in self.options[j])
            ]
            for d in range(self.n + 1)
        ]

    def _partners(self) -> dict[Placement, dict[Placement, int]]:
        out: dict[Placement, dict[Placement, int]] = {}
        live = {(s, t) for s, c in zip(self.slots, self.cands, strict=True) for t in c if t}
        for pair, points in self.problem.pairs.items():
            if points > 0 and len(pair) == 2 and pair <= live:
                p, q = tuple(pair)
                if p[1] != q[1]:
                    out.setdefault(p, {})[q] = points
                    out.setdefault(q, {})[p] = points
        return out

    def _options(self, i: int) -> list[Option]:
        slot, earlier = self.slots[i], set(self.slots[:i])
        opts = []
        for tech in self.problem.candidates[slot]:
            u = self.problem.unary[(slot, tech)]
            per_slot: dict[str, int] = {}
            for (other_slot, _), points in self.partners.get((slot, tech), {}).items():
                if other_slot in earlier and points > per_slot.get(other_slot, 0):
                    per_slot[other_slot] = points
            opts.append(Option(tech, u, u + sum(per_slot.values())))
        # Best bound first; equal bounds in key order (an empty slot keys as "", before any slug).
        opts.sort(key=lambda o: (-o.bound, o.tech or ""))
        return opts

    def holders(self, techs) -> list[int]:
        """The slots that can hold any of `techs`, in order."""
        found: set[int] = set()
        for tech in techs:
            found.update(self.where.get(tech, ()))
        return sorted(found)

    def _places(self) -> dict[str, list[int]]:
        """Per technology, the slots whose choice decides whether it is in a stack: all that can hold
        it, except those it may fill only beside itself in another (Django's auth needs Django as
        framework)."""
        anchored: dict[str, set[int]] = {}
        for r in self.problem.requirements:
            if (
                r.owner
                and r.targets == {r.owner}
                and r.when_in in self.index
                and r.slot in self.index
                and self.index[r.slot] < self.index[r.when_in]
            ):
                anchored.setdefault(r.owner, set()).add(self.index[r.when_in])
        return {
            tech: [i for i in slots if i not in anchored.get(tech, ())] or slots
            for tech, slots in self.where.items()
        }

    def _index_requirements(self) -> None:
        """When each requirement can be decided, and which ones the bound can use early."""
        # depth -> owner (None: must-use) -> the requirements decided there; by owner, because only
        # a placed owner's requirements can be active
        self.due: dict[int, dict[str | None, list[Requirement]]] = {}
        self.due_at: dict[Requirement, int] = {}
        self.slot_rules: dict[str | None, list[Requirement]] = {}  # owner -> requirements on a slot
        self.strict_rules: dict[str | None, list[Requirement]] = {}  # owner -> requirements anywhere
        self.must: list[Requirement] = []
        places_of = self._places()
        for req in self.problem.requirements:
            if req.when_in is not None and req.when_in not in self.index:
                continue
            if req.slot is not None and req.slot not in self.index:
                continue
            places = (
                [self.index[req.when_in]]
                if req.when_in
                else places_of.get(req.owner, [])
                if req.owner
                else []
            )
            targets = [self.index[req.slot]] if req.slot else self.holders(req.targets)
            at = max(places + targets, default=self.n - 1)
            if req.owner is None:
                self.must.append(req)
            elif req.slot is not None:
                self.slot_rules.setdefault(req.owner, []).append(req)
            else:
                self.strict_rules.setdefault(req.owner, []).append(req)
            self.due.setdefault(at, {}).setdefault(req.owner, []).append(req)
            self.due_at[req] = at

    def _reach(self) -> dict[tuple[int, str | None], int]:
        """For each placement, the deepest slot whose search it can affect."""
        by_target: dict[str, list[Requirement]] = {}
        on_slot: dict[str, list[Requirement]] = {}
        for req in self.due_at:
            for t in req.targets:
                by_target.setdefault(t, []).append(req)
            if req.slot is not None:
                on_slot.setdefault(req.slot, []).append(req)
        pair_slots: dict[frozenset[str | None], int] = {}
        for (slot, tech), partners in self.partners.items():
            for other_slot, other in partners:
                techs = frozenset((tech, other))
                pair_slots[techs] = max(pair_slots.get(techs, 0), self.index[slot], self.index[other_slot])
        reach = {}
        for j, slot in enumerate(self.slots):
            around = max((self.due_at[r] for r in on_slot.get(slot, ())), default=j)
            for option in self.options[j]:
                tech, far = option.tech, max(j, around)
                if tech is not None:
                    far = max(
                        [
                            far,
                            *self.where.get(tech, ()),
                            # a pair of technologies counts once, whatever slots earn it: placing
                            # one changes what every placement of the pair earns
                            *(
                                pair_slots[frozenset((tech, q[1]))]
                                for q in self.partners.get((slot, tech), ())
                            ),
                            *self.holders(self.problem.conflicts.get(tech, frozenset())),
                            *(self.due_at[r] for r in by_target.get(tech, ())),
                            *(
                                self.due_at[r]
                                for r in self.slot_rules.get(tech, []) + self.strict_rules.get(tech, [])
                                if r.when_in in (None, slot)
                            ),
                        ]
                    )
                reach[(j, tech)] = far
        return reach

    def _index_dependencies(self) -> None:
        """Per slot, the earlier slot most of its options have rules about (a driver's database); a
        bound then looks only at the options a choice there still allows (`Links.given`)."""
        self.depends_on: list[int | None] = []
        for i, slot in enumerate(self.slots):
            counts: dict[int, int] = {}
            for option in self.options[i]:
                for j in {index for index, _, _ in (self.own.get((slot, option.tech)) or ((), (), ()))[1]}:
                    if j < i:
                        counts[j] = counts.get(j, 0) + 1
            self.depends_on.append(max(counts, key=lambda k: (counts[k], -k)) if counts else None)

    def accepts(self, slot: str, tech: str | None, j: int, choice: str | None) -> bool:
        """Whether `tech` in `slot` is allowed by its own rules about slot j holding `choice`."""
        own = self.own.get((slot, tech)) if tech is not None else None
        return own is None or all(choice in targets for index, _, targets in own[1] if index == j)

    def _own_rules(self) -> dict[Placement, tuple | None]:
        """Per placement, what can rule it out: its conflicts, its rules on slots (slot index,
        targets) and its strict rules (that hold in that slot); None when nothing can."""
        own: dict[Placement, tuple | None] = {}
        for i, slot in enumerate(self.slots):
            for tech in self.cands[i] - {None}:
                on_slots = [
                    (self.index[r.slot], r.slot, r.targets)
                    for r in self.slot_rules.get(tech, ())
                    if r.when_in in (None, slot)
                ]
                strict = [r for r in self.strict_rules.get(tech, ()) if r.when_in in (None, slot)]
                clash = self.problem.conflicts.get(tech, frozenset())
                own[(slot, tech)] = (clash, on_slots, strict) if clash or on_slots or strict else None
        return own
