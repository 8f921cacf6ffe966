"""What every search of one problem shares, computed once: the slot order, the options of each slot
in bound order, placement pairs, an index of the rules by when they can be decided, and how far each
placement reaches (the deepest slot whose choice it can change).

It is set up for every request before any search, so each index is built in a pass or two over the
placements, pairs or rules it summarises, never by scanning one of them for every entry of another.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine.problem import Placement, Problem, Requirement


def interacting_first(problem: Problem) -> Problem:
    """The same problem with its slots reordered: those linked to another slot (a pair, a conflict,
    a rule, a shared technology) first, in their order, then the independent ones."""
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
    order = [s for s in problem.slots if s in linked] + [s for s in problem.slots if s not in linked]
    return Problem(
        tuple(order),
        problem.candidates,
        problem.unary,
        problem.pairs,
        problem.conflicts,
        problem.requirements,
    )


@dataclass(frozen=True)
class Option:
    tech: str | None
    unary: int
    bound: int  # unary plus the best pair bonuses it could earn with earlier slots


def _bound_order(option: Option) -> tuple[int, str]:
    """Best bound first; equal bounds in key order (an empty slot keys as "", before any slug)."""
    return -option.bound, option.tech or ""


def _by_points(entry: tuple) -> int:
    """Partners best points first (the sort is stable: equal ones stay in pair order)."""
    return -entry[3]


class _RuleIndex:
    """The dated requirements summed up in one pass: the latest depth deciding a rule that names each
    technology, that is about each slot, or that each owner has anywhere or in a given slot; and per
    slot, the slots and targets that the rules of the technologies it can hold name."""

    def __init__(self, plan: Plan, dated: list[tuple[Requirement, int]]):
        self.by_target: dict[str, int] = {}
        self.on_slot: dict[str, int] = {}
        self.owner_any: dict[str, int] = {}
        self.owner_in: dict[tuple[str, str], int] = {}
        self.slots_named: list[set[int]] = [set() for _ in range(plan.n)]
        self.targets_named: list[set[str]] = [set() for _ in range(plan.n)]
        by_target, on_slot, owner_any, owner_in = self.by_target, self.on_slot, self.owner_any, self.owner_in
        where, index = plan.where, plan.index
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
            for i in where.get(owner, ()):
                if req.slot:
                    self.slots_named[i].add(index[req.slot])
                self.targets_named[i].update(req.targets)


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
        rules = _RuleIndex(self, self._index_requirements())
        self.reach = self._reach(rules, self._index_pairs())
        self.relevant = self._relevant()
        self.own = self._own_rules()
        self._possible: dict[tuple[int, str | None], list[Option]] = {}
        self.touch = self._touches(rules)
        self._partner_list: dict[Placement, list[tuple]] | None = None

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
                per_slot: dict[str, int] = {}
                for (other_slot, _), points in partners.items():
                    if index[other_slot] < i and points > per_slot.get(other_slot, 0):
                        per_slot[other_slot] = points
                bound += sum(per_slot.values())
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
        """One pass over the placement pairs: per placement its partners in earlier slots, those a
        slot's bound counts (a pair counts at its later slot); per slot the slots it can pair with
        (its bound changes when theirs does) and how many later ones may charge it (`shares`, see
        `bounds`). Returns, per placement with partners, the deepest slot of its pairs: a pair of
        technologies counts once, whatever slots earn it, so placing one changes what every
        placement of the pair earns."""
        index, by_tech = self.index, self.by_tech
        self.earlier_partners: dict[Placement, list[tuple]] = {}
        self.pair_slots: list[set[int]] = [set() for _ in range(self.n)]
        later: list[set[int]] = [set() for _ in range(self.n)]
        deepest: dict[frozenset[str | None], int] = {}
        far: dict[Placement, int] = {}
        shared: list[Placement] = []  # placements some of whose pairs other slots may also earn
        for p, partners in self.partners.items():
            i, kept, spread = index[p[0]], [], len(self.where[p[1]]) > 1  # type: ignore[index]
            slots, top = self.pair_slots[i], i
            for q, points in partners.items():
                j = index[q[0]]
                slots.add(j)
                if j > top:
                    top = j
                if j <= i:
                    techs = frozenset((p[1], q[1]))
                    if i > deepest.get(techs, -1):
                        deepest[techs] = i
                    if j < i:
                        kept.append((j, q[0], q[1], points, techs, by_tech[j][q[1]].bound))
                        later[j].add(i)
                spread = spread or len(self.where[q[1]]) > 1  # type: ignore[index]
            far[p] = top  # exact unless a technology of these pairs has other slots
            if spread:
                shared.append(p)
            if kept:
                kept.sort(key=_by_points)
                self.earlier_partners[p] = kept
        self.shares = [max(1, len(slots)) for slots in later]
        for p in shared:
            far[p] = max(deepest[frozenset((p[1], q[1]))] for q in self.partners[p])
        return far

    @property
    def partner_list(self) -> dict[Placement, list[tuple]]:
        """Per placement, its partners: (slot index, slot, technology, points, the pair of
        technologies, the partner's option bound), best points first. Built on first use: the
        search itself reads only the earlier ones (`earlier_partners`). (Kept in an attribute set
        in __init__, not by functools.cached_property: writing a new attribute later turns the
        instance's attributes into a plain dict, which slows every read of them in the search.)"""
        if self._partner_list is None:
            self._partner_list = self._all_partners()
        return self._partner_list

    def _all_partners(self) -> dict[Placement, list[tuple]]:
        index, by_tech = self.index, self.by_tech
        return {
            p: sorted(
                (
                    (j := index[q[0]], q[0], q[1], points, frozenset((p[1], q[1])), by_tech[j][q[1]].bound)
                    for q, points in partners.items()
                ),
                key=_by_points,
            )
            for p, partners in self.partners.items()
        }

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

    def possible(self, i: int, choice: str | None) -> list[Option]:
        """The options of slot i, in bound order, that its own rules allow beside `choice` in the
        slot it depends on. Worked out on first use: a search meets few of the choices."""
        found = self._possible.get((i, choice))
        if found is None:
            j, slot = self.depends_on[i], self.slots[i]
            assert j is not None, "only slots that depend on another have a choice to look at"
            found = [o for o in self.options[i] if self._accepts(slot, o.tech, j, choice)]
            self._possible[(i, choice)] = found
        return found

    def _accepts(self, slot: str, tech: str | None, j: int, choice: str | None) -> bool:
        """Whether `tech` in `slot` is allowed by its own rules about slot j holding `choice`."""
        own = self.own.get((slot, tech)) if tech is not None else None
        return own is None or all(choice in targets for index, _, targets in own[1] if index == j)

    def _own_rules(self) -> dict[Placement, tuple | None]:
        """Per placement, what can rule it out: its conflicts, its rules on slots (slot index,
        targets) and its strict rules (that hold in that slot); None when nothing can. Also, per
        slot, the earlier slot most of its options have rules about (a driver's database): a bound
        then looks only at the options a choice there still allows (`possible`)."""
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

    def _touches(self, rules: _RuleIndex) -> list[set[int]]:
        """Per slot j, the later slots whose options placing j can change (what they may earn or
        whether they are allowed): a shared technology, a pair, a conflict or a rule between them.
        Each slot's side of that is gathered once, then the slots are compared pairwise."""
        techs = [c - {None} for c in self.cands]
        partner_techs: list[set[str | None]] = [set() for _ in range(self.n)]
        for (slot, _), partners in self.partners.items():
            partner_techs[self.index[slot]].update(q[1] for q in partners)
        clashes: list[set[str]] = [set() for _ in range(self.n)]
        for tech, clash in self.problem.conflicts.items():
            for i in self.where.get(tech, ()):  # type: ignore[arg-type]
                clashes[i].update(clash)
        named, targets = rules.slots_named, rules.targets_named
        heeds = [techs[i] | partner_techs[i] | targets[i] for i in range(self.n)]
        sways = [partner_techs[j] | clashes[j] | targets[j] for j in range(self.n)]
        return [
            {
                i
                for i in range(j + 1, self.n)
                if i in self.pair_slots[j]
                or i in named[j]
                or j in named[i]
                or not techs[j].isdisjoint(heeds[i])
                or not techs[i].isdisjoint(sways[j])
            }
            for j in range(self.n)
        ]
