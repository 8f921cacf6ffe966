"""What every search of one problem shares, computed once: the slot order, the options of each slot
in bound order, placement pairs, an index of the rules by when they can be decided, and how far each
placement reaches (the deepest slot whose choice it can change).

It is set up for every request before any search, so each index is built in a pass or two over the
placements, pairs or rules it summarises, never by scanning one of them for every entry of another.
"""

from __future__ import annotations

from collections.abc import Callable
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
    for pair in problem.pairs:
        for slot, _ in pair:
            linked.add(slot)
    involved = set(problem.conflicts)
    for clash in problem.conflicts.values():
        involved.update(clash)
    for req in problem.requirements:
        involved.update(req.targets)
        if req.owner:
            involved.add(req.owner)
        linked.update(s for s in (req.slot, req.when_in) if s)
    for tech in involved:
        linked.update(where.get(tech, ()))
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
    ordered: set[str] = set()
    left = list(slots)
    while left:
        weight = {}
        for slot in left:
            hung = max((len(o) for s, o in hangs_on.get(slot, {}).items() if s in ordered), default=0)
            weight[slot] = best[slot] * (1 + (DEPENDENT_WEIGHT - 1) * hung / size[slot])
        chosen = max(left, key=weight.__getitem__)
        order.append(chosen)
        ordered.add(chosen)
        left.remove(chosen)
    return order


@dataclass(frozen=True)
class Option:
    tech: str | None
    unary: int
    bound: int  # unary plus the best pair bonuses it could earn with earlier slots


def _bound_order(option: Option) -> tuple[int, str]:
    """Best bound first; equal bounds in key order (an empty slot keys as "", before any slug)."""
    return -option.bound, option.tech or ""


def best_bonuses(partners: dict[Placement, int], counts: Callable[[str], bool]) -> int:
    """The most a placement can earn with its `partners` in the slots that `counts`: the best bonus
    with each such slot (one part per slot)."""
    per_slot: dict[str, int] = {}
    for (other_slot, _), points in partners.items():
        if counts(other_slot) and points > per_slot.get(other_slot, 0):
            per_slot[other_slot] = points
    return sum(per_slot.values())


class _RuleIndex:
    """The dated requirements summed up in one pass: the latest depth deciding a rule that names each
    technology, that is about each slot, or that each owner has anywhere or in a given slot."""

    def __init__(self, plan: Plan, dated: list[tuple[Requirement, int]]):
        self.by_target: dict[str, int] = {}
        self.on_slot: dict[str, int] = {}
        self.owner_any: dict[str, int] = {}
        self.owner_in: dict[tuple[str, str], int] = {}
        by_target, on_slot, owner_any, owner_in = self.by_target, self.on_slot, self.owner_any, self.owner_in
        for req, at in dated:
            for tech in req.targets:
                if at > by_target.get(tech, -1):
                    by_target[tech] = at
            if req.slot is not None and at > on_slot.get(req.slot, -1):
                on_slot[req.slot] = at
            if (owner := req.owner) is None:
                continue
            if req.when_in is None:
                if at > owner_any.get(owner, -1):
                    owner_any[owner] = at
            elif at > owner_in.get(key := (req.when_in, owner), -1):
                owner_in[key] = at


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
        rules = _RuleIndex(self, self._index_requirements())
        self.reach = self._reach(rules, self._index_pairs())
        self.relevant = self._relevant()
        self.own = self._own_rules()

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
        slot, unary, index = self.slots[i], self.problem.unary, self.index
        opts = []
        for tech in self.problem.candidates[slot]:
            u = bound = unary[(slot, tech)]
            if partners := self.partners.get((slot, tech)):
                bound += best_bonuses(partners, lambda other: index[other] < i)
            opts.append(Option(tech, u, bound))
        opts.sort(key=_bound_order)
        return opts

    def holders(self, techs) -> list[int]:
        """The slots that can hold any of `techs`, in order."""
        found: set[int] = set()
        for tech in techs:
            found.update(self.where.get(tech, ()))
        return sorted(found)

    def _homes(self) -> dict[str, int]:
        """Per technology, the last slot whose choice decides whether it is in a stack: the last that
        can hold it, leaving out those it may fill only beside itself in another (Django's auth needs
        Django as framework) unless no other is left."""
        index, anchored = self.index, dict[str, set[int]]()
        for r in self.problem.requirements:
            if (
                r.when_in is not None
                and r.owner
                and r.when_in in index
                and r.slot in index
                and len(r.targets) == 1
                and r.owner in r.targets
                and index[r.slot] < index[r.when_in]
            ):
                anchored.setdefault(r.owner, set()).add(index[r.when_in])
        homes = {tech: slots[-1] for tech, slots in self.where.items()}
        for tech, skipped in anchored.items():
            if slots := self.where.get(tech):
                homes[tech] = max((i for i in slots if i not in skipped), default=slots[-1])
        return homes

    def _index_requirements(self) -> list[tuple[Requirement, int]]:
        """When each requirement can be decided, and which ones the bound can use early; returns the
        requirements kept, each with its depth."""
        # depth -> owner (None: must-use) -> the requirements decided there; by owner, because only
        # a placed owner's requirements can be active
        self.due: dict[int, dict[str | None, list[Requirement]]] = {}
        self.slot_rules: dict[str | None, list[Requirement]] = {}  # owner -> requirements on a slot
        self.strict_rules: dict[str | None, list[Requirement]] = {}  # owner -> requirements anywhere
        self.must: list[Requirement] = []
        index, where, homes = self.index, self.where, self._homes()
        dated = []
        for req in self.problem.requirements:
            when_in, slot, owner = req.when_in, req.slot, req.owner
            if (when_in is not None and when_in not in index) or (slot is not None and slot not in index):
                continue
            at = index[when_in] if when_in else homes.get(owner, -1) if owner else -1
            if slot:
                if index[slot] > at:
                    at = index[slot]
            else:
                for tech in req.targets:
                    if (places := where.get(tech)) and places[-1] > at:
                        at = places[-1]
            if at < 0:
                at = self.n - 1
            # (setdefault would make a throw-away list or dict per requirement)
            if owner is None:
                self.must.append(req)
            else:
                by_owner = self.slot_rules if slot is not None else self.strict_rules
                if (rules := by_owner.get(owner)) is None:
                    by_owner[owner] = [req]
                else:
                    rules.append(req)
            if (due := self.due.get(at)) is None:
                self.due[at] = {owner: [req]}
            elif (rules := due.get(owner)) is None:
                due[owner] = [req]
            else:
                rules.append(req)
            dated.append((req, at))
        self.due_at: dict[Requirement, int] = dict(dated)
        return dated

    def _index_pairs(self) -> dict[Placement, int]:
        """One pass over the placement pairs: per placement its partners in earlier slots, whose
        bonus a bound adds once they are placed: (slot index, slot, technology, points, the pair of
        technologies). Returns, per placement with partners, the deepest slot of its pairs: a pair
        of technologies counts once, whatever slots earn it, so placing one changes what every
        placement of the pair earns."""
        index = self.index
        self.earlier_partners: dict[Placement, list[tuple]] = {}
        deepest: dict[frozenset[str | None], int] = {}
        far: dict[Placement, int] = {}
        shared: list[Placement] = []  # placements some of whose pairs other slots may also earn
        for p, partners in self.partners.items():
            i, kept, spread = index[p[0]], [], len(self.where[p[1]]) > 1  # type: ignore[index]
            top = i
            for q, points in partners.items():
                j = index[q[0]]
                if j > top:
                    top = j
                if j <= i:
                    techs = frozenset((p[1], q[1]))
                    if i > deepest.get(techs, -1):
                        deepest[techs] = i
                    if j < i:
                        kept.append((j, q[0], q[1], points, techs))
                spread = spread or len(self.where[q[1]]) > 1  # type: ignore[index]
            far[p] = top  # exact unless a technology of these pairs has other slots
            if spread:
                shared.append(p)
            if kept:
                self.earlier_partners[p] = kept
        for p in shared:
            far[p] = max(deepest[frozenset((p[1], q[1]))] for q in self.partners[p])
        return far

    def _reach(self, rules: _RuleIndex, pair_reach: dict[Placement, int]) -> dict:
        """For each placement, the deepest slot whose search it can affect: the rules about its own
        slot, every slot that can hold it or what it conflicts with, the rules naming it or owned by
        it (anywhere, or in its slot) and its pairs. Each kind is applied where it applies, once."""
        where, index = self.where, self.index
        anywhere = {tech: places[-1] for tech, places in where.items()}
        for other_index in (rules.by_target, rules.owner_any):
            for name, at in other_index.items():
                if at > anywhere.get(name, at):
                    anywhere[name] = at
        for tech, clash in self.problem.conflicts.items():
            if tech in anywhere:
                for other in clash:
                    if (places := where.get(other)) and places[-1] > anywhere[tech]:
                        anywhere[tech] = places[-1]
        reach: dict[tuple[int, str | None], int] = {}
        for j, slot in enumerate(self.slots):
            near = max(j, rules.on_slot.get(slot, j))
            for option in self.options[j]:
                tech = option.tech
                reach[(j, tech)] = near if tech is None or anywhere[tech] < near else anywhere[tech]
        for placements in (pair_reach, rules.owner_in):
            for (slot, placed), far in placements.items():
                if (key := (index[slot], placed)) in reach and far > reach[key]:
                    reach[key] = far
        return reach

    def _relevant(self) -> list[list[tuple[int, str]]]:
        """Per depth, the earlier slots some placement of which reaches it."""
        furthest = [-1] * self.n
        for (j, _), far in self.reach.items():
            if far > furthest[j]:
                furthest[j] = far
        return [[(j, self.slots[j]) for j in range(d) if furthest[j] >= d] for d in range(self.n + 1)]

    def accepts(self, slot: str, tech: str | None, j: int, choice: str | None) -> bool:
        """Whether `tech` in `slot` is allowed by its own rules about slot j holding `choice`."""
        own = self.own.get((slot, tech)) if tech is not None else None
        return own is None or all(choice in targets for index, _, targets in own[1] if index == j)

    def _own_rules(self) -> dict[Placement, tuple | None]:
        """Per placement, what can rule it out: its conflicts, its rules on slots (slot index,
        targets) and its strict rules (that hold in that slot); None when nothing can. Also, per
        slot, the earlier slot most of its options have rules about (a driver's database): a bound
        then looks only at the options a choice there still allows (`Links.given`)."""
        own: dict[Placement, tuple | None] = {}
        self.depends_on: list[int | None] = []
        conflicts, slot_rules, strict_rules, index = (
            self.problem.conflicts,
            self.slot_rules,
            self.strict_rules,
            self.index,
        )
        for i, slot in enumerate(self.slots):
            counts: dict[int, int] = {}
            for tech in self.problem.candidates[slot]:
                if tech is None:
                    continue
                on_slots, strict = [], []
                for r in slot_rules.get(tech, ()):
                    if r.when_in is None or r.when_in == slot:
                        on_slots.append((index[r.slot], r.slot, r.targets))
                for r in strict_rules.get(tech, ()):
                    if r.when_in is None or r.when_in == slot:
                        strict.append(r)
                clash = conflicts.get(tech, frozenset())
                own[(slot, tech)] = (clash, on_slots, strict) if clash or on_slots or strict else None
                if len(on_slots) > 1:  # each earlier slot its rules are about counts once
                    for j in {e[0] for e in on_slots}:
                        if j < i:
                            counts[j] = counts.get(j, 0) + 1
                elif on_slots and (j := on_slots[0][0]) < i:
                    counts[j] = counts.get(j, 0) + 1
            self.depends_on.append(max(counts, key=lambda k: (counts[k], -k)) if counts else None)
        return own
