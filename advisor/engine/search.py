"""Exact best-stack search: branch and bound over slot assignments with admissible bounds.

Scores are integers (hundredths of a point) so that ties, bounds and the brute-force check are exact.
A stack's score is the sum of each slot's unary points plus, for every two of its technologies that
work well together, the best bonus their placements earn (a pair counts once, whatever slots its
parts fill). `requires` and `conflicts` rules are hard. `brute_force` is the definition the search
must agree with; the tests hold them together.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field, replace
from functools import cached_property

Placement = tuple[str, str]  # (slot, technology)


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
    conflicts: dict[str, frozenset[str]] = field(default_factory=dict)
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

    def narrowed(self, slot: str, keep=None, drop=()) -> Problem:
        """The same problem with `slot` limited to `keep` (when given) and without `drop`."""
        options = tuple(t for t in self.candidates[slot]
                        if (keep is None or t in keep) and t not in drop)
        return replace(self, candidates={**self.candidates, slot: options})


@dataclass(order=True)
class Ranked:
    """A complete valid stack; orders best first (higher score, then smaller key)."""

    sort_key: tuple = field(init=True)
    score: int = field(compare=False, default=0)
    assign: dict = field(compare=False, default_factory=dict)


def _entry(problem: Problem, assign: dict, score: int) -> Ranked:
    return Ranked((-score, problem.key(assign)), score, dict(assign))


def search(problem: Problem, k: int = 1) -> list[Ranked]:
    """The k best valid stacks, exactly as brute-force enumeration would rank them."""
    return Searcher(problem).top(k)


def best(problem: Problem) -> Ranked | None:
    """The best valid stack, or None when no stack satisfies the rules."""
    return Searcher(problem).best()


class Searcher:
    """One problem, set up once (propagation, pair tables, option order), searched many times with
    some slots narrowed: "the best stack without PostgreSQL", "the best stack on Django"."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.base = Problem(problem.slots, propagate(problem), problem.unary, problem.pairs,
                            problem.conflicts, problem.requirements)
        self.setup = _Setup(self.base)

    def top(self, k: int, keep: dict[str, set] | None = None, drop: dict[str, set] | None = None,
            known: list[Ranked] = ()) -> list[Ranked]:
        """The k best stacks whose slots hold only `keep[slot]` (when given) and none of `drop[slot]`.

        `known` are valid stacks found before; those that fit the narrowing start the search off as
        its best so far, so that it prunes from the first node."""
        keep, drop = keep or {}, drop or {}
        if keep or drop:
            # Narrowing one slot can rule out more (a must-use part with nowhere left to go).
            narrowed = self.base
            for slot in set(keep) | set(drop):
                narrowed = narrowed.narrowed(slot, keep.get(slot), drop.get(slot, ()))
            keep = {s: set(c) for s, c in propagate(narrowed).items()}
            drop = {}
        search = _Search(self.setup, k, keep, drop)
        for stack in known:
            if all(stack.assign[s] in allowed for s, allowed in keep.items()) and \
                    not any(stack.assign[s] in banned for s, banned in drop.items()):
                search.offer(stack)
        return search.run()

    def best(self, keep: dict[str, set] | None = None, drop: dict[str, set] | None = None,
             known: list[Ranked] = ()) -> Ranked | None:
        found = self.top(1, keep, drop, known)
        return found[0] if found else None


def interacting_first(problem: Problem) -> Problem:
    """The same problem with its slots reordered: those that affect another slot first, in their
    order, then the independent ones, so that a search reaches an independent tail early."""
    setup = _Setup(problem)
    cands = [set(problem.candidates[s]) - {None} for s in problem.slots]
    strict = set().union(*(r.targets for r in problem.requirements if r.slot is None))
    linked = [bool(cands[i] & strict) or any(setup._interact(i, j, cands) for j in range(setup.n) if j != i)
              for i in range(setup.n)]
    order = [s for s, flag in zip(problem.slots, linked, strict=True) if flag] + \
            [s for s, flag in zip(problem.slots, linked, strict=True) if not flag]
    return replace(problem, slots=tuple(order))


def upper_bound(problem: Problem) -> int:
    """A score no stack of `problem` can beat: each slot's best candidate with its best partners."""
    return sum(max((o.bound for o in opts), default=0) for opts in _Setup(problem).options)


def brute_force(problem: Problem, k: int) -> list[Ranked]:
    """Enumerate every assignment; only for tests on small problems."""
    found = []
    for combo in itertools.product(*(problem.candidates[s] for s in problem.slots)):
        assign = dict(zip(problem.slots, combo, strict=True))
        if problem.is_valid(assign):
            found.append(_entry(problem, assign, problem.score(assign)))
    return sorted(found)[:k]


def propagate(problem: Problem) -> dict[str, tuple[str | None, ...]]:
    """Narrow the candidates using slots that have a single possible technology.

    A technology that every stack must hold keeps its required slots to their targets and keeps
    out whatever it conflicts with; a requirement with nowhere to go rules its owner out.
    Sound: it only removes candidates no valid stack can use.
    """
    cands = {s: tuple(problem.candidates[s]) for s in problem.slots}
    order = {s: i for i, s in enumerate(problem.slots)}
    changed = True
    while changed:
        changed = False
        live = {s: set(c) for s, c in cands.items()}
        forced = {(s, c[0]) for s, c in cands.items() if len(c) == 1 and c[0] is not None}
        forced_techs = {t for _, t in forced}
        holders: dict[str, list[str]] = {}
        for s, c in cands.items():
            for t in c:
                if t is not None:
                    holders.setdefault(t, []).append(s)

        def narrow(slot: str, kept: tuple) -> bool:
            if kept == cands[slot]:
                return False
            cands[slot], live[slot] = kept, set(kept)
            return True

        for req in problem.requirements:
            if req.when_in is not None and req.when_in not in cands:
                continue
            if req.slot is not None:
                if req.slot not in cands:
                    continue
                homes = [req.slot]
            else:
                homes = sorted({s for t in req.targets for s in holders.get(t, ()) if t in live[s]},
                               key=order.__getitem__)
            owner_forced = req.owner is None or (
                (req.when_in, req.owner) in forced if req.when_in else req.owner in forced_techs)
            if owner_forced and len(homes) == 1:
                changed |= narrow(homes[0], tuple(t for t in cands[homes[0]] if t in req.targets))
            elif not homes or req.targets.isdisjoint(live[homes[0]]):
                # Nowhere to put a target: the owner cannot be used where this rule applies.
                if req.owner is None:
                    return {s: () for s in cands}
                for s in holders.get(req.owner, ()):
                    if req.when_in in (None, s) and req.owner in live[s]:
                        changed |= narrow(s, tuple(t for t in cands[s] if t != req.owner))
        for tech in forced_techs:
            for other in problem.conflicts.get(tech, frozenset()):
                for s in holders.get(other, ()):
                    if other in live[s]:
                        changed |= narrow(s, tuple(t for t in cands[s] if t != other))
    return cands


@dataclass(frozen=True)
class _Option:
    tech: str | None
    unary: int
    bound: int  # unary plus the best pair bonuses it could earn with earlier slots


class _Setup:
    """What every search of one problem shares: slot order, placement pairs, options, rule indexes."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.slots = problem.slots
        self.n = len(self.slots)
        self.index = {s: i for i, s in enumerate(self.slots)}
        self.partners = self._partners()
        self.options = [self._options(i) for i in range(self.n)]
        self._index_requirements()
        self.free_from = self._free_from()
        self.fixed = self._fixed_slots()

    def _fixed_slots(self) -> set[int]:
        """Slots whose candidates nothing else can affect (no pair, conflict or rule touches them):
        their best option is the same at every node."""
        targeted = {r.slot for reqs in self.slot_rules.values() for r in reqs}
        conflicting = set(self.problem.conflicts) | {t for v in self.problem.conflicts.values() for t in v}
        owners = set(self.slot_rules) | set(self.strict_rules)
        strict_targets = {t for r in self.problem.requirements if r.slot is None for t in r.targets}
        fixed = set()
        for i, slot in enumerate(self.slots):
            techs = {o.tech for o in self.options[i]} - {None}
            if slot in targeted or techs & (conflicting | owners | strict_targets):
                continue
            if any((slot, t) in self.partners for t in techs):
                continue
            fixed.add(i)
        return fixed

    def _partners(self) -> dict[Placement, dict[Placement, int]]:
        out: dict[Placement, dict[Placement, int]] = {}
        live = {(s, t) for s in self.slots for t in self.problem.candidates[s] if t}
        for pair, points in self.problem.pairs.items():
            if points > 0 and len(pair) == 2 and pair <= live:
                p, q = tuple(pair)
                if p[1] != q[1]:
                    out.setdefault(p, {})[q] = points
                    out.setdefault(q, {})[p] = points
        return out

    def _options(self, i: int) -> list[_Option]:
        slot, earlier = self.slots[i], self.slots[:i]
        opts = []
        for tech in self.problem.candidates[slot]:
            u = self.problem.unary[(slot, tech)]
            bonus = 0
            if tech is not None:
                per_slot: dict[str, int] = {}
                for (other_slot, _), points in self.partners.get((slot, tech), {}).items():
                    if other_slot in earlier and points > per_slot.get(other_slot, 0):
                        per_slot[other_slot] = points
                bonus = sum(per_slot.values())
            opts.append(_Option(tech, u, u + bonus))
        # Best bound first; equal bounds in key order (an empty slot keys as "", before any slug).
        opts.sort(key=lambda o: (-o.bound, o.tech or ""))
        return opts

    def _index_requirements(self) -> None:
        """When each requirement can be decided, and which ones the bound can use early."""
        cands = {s: set(self.problem.candidates[s]) for s in self.slots}
        self.due: dict[int, list[Requirement]] = {}
        self.slot_rules: dict[str, list[Requirement]] = {}   # owner -> requirements on a slot
        self.strict_rules: dict[str, list[tuple[Requirement, int]]] = {}  # owner -> (req, decided at)
        for req in self.problem.requirements:
            if req.when_in is not None and req.when_in not in self.index:
                continue
            owner_at = self.index[req.when_in] if req.when_in is not None else -1
            if req.slot is not None:
                if req.slot not in self.index:
                    continue
                at = max(self.index[req.slot], owner_at)
                if req.owner is not None:
                    self.slot_rules.setdefault(req.owner, []).append(req)
            else:
                where = [self.index[s] for s in self.slots if cands[s] & req.targets]
                at = max(max(where, default=self.n - 1), owner_at)
                if req.owner is not None:
                    self.strict_rules.setdefault(req.owner, []).append((req, at))
            if req.owner is not None and req.when_in is None:
                # An owner that can sit in several slots: decide once every place it could be is known.
                at = max(at, max((i for i, s in enumerate(self.slots) if req.owner in cands[s]),
                                 default=at))
            self.due.setdefault(at, []).append(req)

    def _free_from(self) -> int:
        """The first depth from which the remaining slots cannot affect each other (no shared
        technology, pair, conflict or requirement between them, and no requirement that a part must
        be somewhere among them): there the best completion is each slot's best compatible option."""
        cands = [set(self.problem.candidates[s]) - {None} for s in self.slots]
        strict_targets = set().union(*(r.targets for r in self.problem.requirements if r.slot is None))
        free_from = self.n
        for i in range(self.n - 1, -1, -1):
            if cands[i] & strict_targets:
                break
            if any(self._interact(i, j, cands) for j in range(i + 1, self.n)):
                break
            free_from = i
        return free_from

    def _interact(self, i: int, j: int, cands: list[set]) -> bool:
        if cands[i] & cands[j]:
            return True
        slot_i, slot_j = self.slots[i], self.slots[j]
        for tech in cands[i]:
            if any(q[0] == slot_j for q in self.partners.get((slot_i, tech), {})):
                return True
            if self.problem.conflicts.get(tech, frozenset()) & cands[j]:
                return True
        for a, b in ((i, j), (j, i)):
            for tech in cands[a]:
                for req in self.slot_rules.get(tech, ()):
                    if req.slot == self.slots[b] and req.when_in in (None, self.slots[a]):
                        return True
        return False


class _Search:
    """Depth-first branch and bound over the slots in order, keeping the k best stacks seen.

    A node's bound is its exact partial score plus, for every open slot, the best value one of its
    candidates could add that the assignment so far does not already rule out (a conflict, a
    requirement on an assigned slot, a strict requirement with no target left): its unary points,
    its exact pair bonuses with the assigned parts and the best ones with earlier open slots.
    """

    def __init__(self, setup: _Setup, k: int, keep: dict[str, set], drop: dict[str, set]):
        self.problem, self.k = setup.problem, k
        self.slots, self.n, self.index = setup.slots, setup.n, setup.index
        self.partners, self.due, self.free_from = setup.partners, setup.due, setup.free_from
        self.slot_rules, self.strict_rules = setup.slot_rules, setup.strict_rules
        self.options, self.fixed = setup.options, setup.fixed
        self.must = [r for r in setup.problem.requirements if r.owner is None and r.slot is None]
        if keep or drop:
            self.options = [
                [o for o in opts if (s not in keep or o.tech in keep[s]) and o.tech not in drop.get(s, ())]
                for s, opts in zip(self.slots, setup.options, strict=True)]
        self.suffix = [0] * (self.n + 1)
        for i in range(self.n - 1, -1, -1):
            self.suffix[i] = self.suffix[i + 1] + (self.options[i][0].bound if self.options[i] else 0)
        self.empty = any(not opts for opts in self.options)
        self.heap: list[_Worst] = []
        self.assign: dict[str, str | None] = {}
        self.present: dict[str, int] = {}
        self.placed: list[Placement] = []
        self.pair_best: dict[frozenset[str], int] = {}

    # --- the search -------------------------------------------------------------------------

    def run(self) -> list[Ranked]:
        if self.empty:
            return []
        self._visit(0, 0)
        return sorted(w.entry for w in self.heap)

    def _threshold(self) -> Ranked | None:
        return self.heap[0].entry if len(self.heap) >= self.k else None

    def _cannot_win(self, bound: int, key: tuple[str, ...]) -> bool:
        """True when no completion can displace the k-th best: lower score, or a tie that loses on key."""
        worst = self._threshold()
        if worst is None:
            return False
        if bound != worst.score:
            return bound < worst.score
        return key > worst.sort_key[1][:len(key)]

    def _visit(self, depth: int, partial: int) -> None:
        if depth == self.n:
            self._record(partial)
            return
        if self.k == 1 and depth >= self.free_from and self._complete(depth, partial):
            return
        slot = self.slots[depth]
        prefix = tuple(self.assign[s] or "" for s in self.slots[:depth])
        # The open slots' bound also finds dead ends early (an open slot with nothing compatible left).
        rest = self._open_bound(depth)
        if rest is None:
            return
        allowed = self._allowed(depth)
        for option in self.options[depth]:
            key = prefix + (option.tech or "",)
            if self._cannot_win(partial + option.bound + rest, key):
                break
            tech = option.tech
            if not self._open_compatible(slot, tech, allowed, depth):
                continue
            gain, undo = self._place(slot, tech)
            if not self._cannot_win(partial + option.unary + gain + rest, key) and self._checks_pass(depth):
                self._visit(depth + 1, partial + option.unary + gain)
            self._unplace(slot, tech, undo)

    def _complete(self, depth: int, partial: int) -> bool:
        """Finish an independent tail in one pass: each slot's best compatible option (ties by key).
        False when that shortcut cannot decide (the caller then branches as usual)."""
        allowed = self._allowed(depth)
        picks = []
        for i in range(depth, self.n):
            slot, top = self.slots[i], None
            for option in self.options[i]:
                if top is not None and option.bound < top[0]:
                    break
                if self._open_compatible(slot, option.tech, allowed, depth):
                    value = option.unary + self._gain(slot, option.tech)
                    if top is None or value > top[0] or value == top[0] and (option.tech or "") < (top[1] or ""):
                        top = (value, option.tech)
            if top is None:
                return True  # a slot with nothing compatible: no completion at all
            picks.append((slot, top[1]))
        for slot, tech in picks:
            self.assign[slot] = tech
        valid = self.problem.is_valid(self.assign)
        if valid:
            self._record(self.problem.score(self.assign))
        for slot, _ in picks:
            del self.assign[slot]
        return valid

    def _gain(self, slot: str, tech: str | None) -> int:
        """The exact pair bonus `tech` in `slot` adds to the parts placed so far."""
        if tech is None:
            return 0
        gain = 0
        for other, points in self.partners.get((slot, tech), {}).items():
            if self.assign.get(other[0], "") == other[1]:
                gain += max(0, points - self.pair_best.get(frozenset((tech, other[1])), 0))
        return gain

    def _record(self, score: int) -> None:
        self.offer(_entry(self.problem, self.assign, score))

    def offer(self, entry: Ranked) -> None:
        """Keep `entry` if it is among the k best seen; the same stack is never kept twice."""
        if any(w.entry.sort_key == entry.sort_key for w in self.heap):
            return
        if len(self.heap) < self.k:
            heapq.heappush(self.heap, _Worst(entry))
        elif entry < self.heap[0].entry:
            heapq.heapreplace(self.heap, _Worst(entry))

    def _clashes(self, tech: str) -> bool:
        clash = self.problem.conflicts.get(tech)
        return bool(clash) and any(t in self.present for t in clash)

    def _place(self, slot: str, tech: str | None) -> tuple[int, list]:
        """Assign `slot`; return the pair bonus it adds and what to undo."""
        self.assign[slot] = tech
        if tech is None:
            return 0, []
        gain, undo = 0, []
        partners = self.partners.get((slot, tech), {})
        if partners:
            for other in self.placed:
                points = partners.get(other)
                if points:
                    techs = frozenset((tech, other[1]))
                    old = self.pair_best.get(techs, 0)
                    if points > old:
                        undo.append((techs, old))
                        self.pair_best[techs] = points
                        gain += points - old
        self.placed.append((slot, tech))
        self.present[tech] = self.present.get(tech, 0) + 1
        return gain, undo

    def _unplace(self, slot: str, tech: str | None, undo: list) -> None:
        del self.assign[slot]
        if tech is None:
            return
        self.placed.pop()
        self.present[tech] -= 1
        if not self.present[tech]:
            del self.present[tech]
        for techs, old in reversed(undo):
            if old:
                self.pair_best[techs] = old
            else:
                del self.pair_best[techs]

    def _satisfied(self, req: Requirement) -> bool:
        if req.slot is not None:
            return self.assign.get(req.slot) in req.targets
        return any(t in self.present for t in req.targets)

    def _checks_pass(self, depth: int) -> bool:
        for req in self.due.get(depth, ()):
            if req.active(self.assign, self.present) and not self._satisfied(req):
                return False
        return True

    # --- the bound of the open slots --------------------------------------------------------

    def _open_bound(self, known: int) -> int | None:
        """Best case of the slots after `known` (the slots before it are assigned, slot `known` is
        being chosen and bounded by its own option); None when one of them has no candidate left."""
        start = known + 1
        allowed = self._allowed(start)
        if not self._pending_can_be_met(known, allowed):
            return None
        total = 0
        for i in range(start, self.n):
            if i in self.fixed:
                total += self.options[i][0].unary if self.options[i] else 0
                continue
            slot = self.slots[i]
            top = None
            for option in self.options[i]:
                if top is not None and option.bound <= top:
                    break
                if not self._open_compatible(slot, option.tech, allowed, known):
                    continue
                value = option.unary + self._exact_pairs(slot, option.tech, known, i)
                if top is None or value > top:
                    top = value
            if top is None:
                return None
            total += top
        return total

    def _pending_can_be_met(self, known: int, allowed: dict) -> bool:
        """Every part the stack must still hold somewhere (a must-use part, a strict requirement of a
        placed part) still has an open slot, from `known` on, that could take it."""
        pending = [r for r in self.must if not any(t in self.present for t in r.targets)]
        for owner in self.present:
            for req, _ in self.strict_rules.get(owner, ()):
                if req.active(self.assign, self.present) and not any(t in self.present for t in req.targets):
                    pending.append(req)
        for req in pending:
            if not any(self._open_compatible(self.slots[i], o.tech, allowed, known)
                       for i in range(known, self.n) for o in self.options[i] if o.tech in req.targets):
                return False
        return True

    def _allowed(self, start: int) -> dict[str, frozenset[str]]:
        """What the parts placed so far allow in each slot from `start` on."""
        allowed: dict[str, frozenset[str]] = {}
        for owner in self.present:
            for req in self.slot_rules.get(owner, ()):
                if self.index[req.slot] >= start and req.active(self.assign, self.present):
                    prev = allowed.get(req.slot)
                    allowed[req.slot] = req.targets if prev is None else prev & req.targets
        return allowed

    def _open_compatible(self, slot: str, tech: str | None, allowed: dict, known: int) -> bool:
        if slot in allowed and tech not in allowed[slot]:
            return False
        if tech is None:
            return True
        if self._clashes(tech):
            return False
        for req in self.slot_rules.get(tech, ()):
            if req.when_in not in (None, slot):
                continue
            if req.slot == slot and tech not in req.targets:
                return False
            if self.index[req.slot] < known and self.assign[req.slot] not in req.targets:
                return False
        for req, at in self.strict_rules.get(tech, ()):
            if req.when_in in (None, slot) and at < known and not any(
                    t in self.present for t in req.targets):
                return False
        return True

    def _exact_pairs(self, slot: str, tech: str | None, known: int, i: int) -> int:
        """Pair bonuses of `tech` in `slot`: exactly what it adds to the assigned parts (a pair already
        earned through another slot counts once), best case with the open slots before it."""
        if tech is None:
            return 0
        partners = self.partners.get((slot, tech))
        if not partners:
            return 0
        value = 0
        open_best: dict[str, int] = {}
        for (other_slot, other), points in partners.items():
            j = self.index[other_slot]
            if j < known:
                if self.assign[other_slot] == other:
                    value += max(0, points - self.pair_best.get(frozenset((tech, other)), 0))
            elif j < i and points > open_best.get(other_slot, 0):
                open_best[other_slot] = points
        return value + sum(open_best.values())


class _Worst:
    """Heap wrapper: the worst-ranked entry sits on top of heapq's min-heap."""

    __slots__ = ("entry",)

    def __init__(self, entry: Ranked):
        self.entry = entry

    def __lt__(self, other: _Worst) -> bool:
        return other.entry < self.entry
