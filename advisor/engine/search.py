"""The best stack of a problem, exactly: depth-first branch and bound with a memo of proved tails.

Slots are assigned in the problem's order. At every node the open slots are bounded by their best
compatible options (unary points, exact pair bonuses with the parts placed so far, best-case ones
between open slots), which also finds dead ends early. What the open slots can still earn depends
only on the placed parts that reach them (through a pair, a conflict or a rule); so the best value of
a tail is remembered per depth and per those parts, exactly when the whole tail was searched, as an
upper bound when the incumbent cut it short. Nodes with the same relevant parts reuse it: that is
what keeps catalogs with many near-equal technologies fast. Ties go to the smaller key (slugs in slot
order), as in `problem.brute_force`.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.engine.plan import Plan
from advisor.engine.problem import Placement, Problem, Ranked, Requirement, propagate

NONE = -(1 << 60)  # the value of a tail with no valid completion


def best(problem: Problem) -> Ranked | None:
    """The best valid stack, or None when no stack satisfies the rules."""
    return Searcher(problem).best()


class Searcher:
    """One problem, set up once, searched many times with some slots narrowed: "the best stack
    without PostgreSQL", "the best stack on Django"."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.base = Problem(
            problem.slots,
            propagate(problem),
            problem.unary,
            problem.pairs,
            problem.conflicts,
            problem.requirements,
        )
        self.setup = Plan(self.base)
        # Proved tails and open-slot values, shared by every search whose options agree there.
        self.shared: dict[tuple, object] = {}

    def best(
        self,
        keep: dict[str, set] | None = None,
        drop: dict[str, set] | None = None,
        known: Sequence[Ranked] = (),
    ) -> Ranked | None:
        """The best stack whose slots hold only `keep[slot]` (when given) and none of `drop[slot]`.

        `known` are valid stacks found before; the best of them that fits the narrowing starts the
        search off as its incumbent, so that it prunes from the first node."""
        allowed = None
        if keep or drop:
            # Only the narrowed slots change, so the other slots' proofs are shared.
            narrowed = self.base
            for slot in set(keep or {}) | set(drop or {}):
                narrowed = narrowed.narrowed(slot, (keep or {}).get(slot), (drop or {}).get(slot, ()))
            allowed = {s: set(narrowed.candidates[s]) for s in narrowed.slots}
        search = _Search(self.setup, allowed, self.shared)
        for stack in sorted(known):
            if allowed is None or all(stack.assign[s] in allowed[s] for s in self.base.slots):
                search.offer(stack)
                break
        return search.run()


def upper_bound(searcher: Searcher) -> int:
    """A score no stack of the searcher's problem can beat: each slot's best candidate with its
    best partners."""
    return sum(opts[0].bound for opts in searcher.setup.options if opts)


class _Search:
    """One best-stack search over the shared set-up, with some options narrowed away."""

    def __init__(self, setup: Plan, allowed: dict[str, set] | None, shared: dict):
        self.setup = setup
        self.problem, self.slots, self.n, self.index = setup.problem, setup.slots, setup.n, setup.index
        self.partners = setup.partners
        self.options = list(setup.options)
        self.kept: list[set | None] = [None] * self.n  # the options left where a slot is narrowed
        if allowed is not None:
            for i, s in enumerate(self.slots):
                kept = [o for o in setup.options[i] if o.tech in allowed[s]]
                if len(kept) != len(setup.options[i]):
                    self.options[i], self.kept[i] = kept, allowed[s]
        # Tails from `share_from` on see the same options as every other search: their proofs hold.
        self.share_from = self.n
        while self.share_from and self.options[self.share_from - 1] is setup.options[self.share_from - 1]:
            self.share_from -= 1
        self.shared = shared
        self.local: dict = {}
        self.incumbent: Ranked | None = None
        self.assign: dict[str, str | None] = {}
        self.present: dict[str, int] = {}
        self.placed: list[Placement] = []
        self.pair_best: dict[frozenset[str | None], int] = {}
        self.holds: dict[tuple, bool] = {}  # _could_hold's answers for the current assignment

    def offer(self, stack: Ranked) -> None:
        if self.incumbent is None or stack < self.incumbent:
            self.incumbent = stack

    def run(self) -> Ranked | None:
        if all(self.options):
            allowed = self._allowed(0)
            self._visit(0, 0, [self._slot_bound(i, 0, allowed) for i in range(self.n)])
        return self.incumbent

    # --- the tree -----------------------------------------------------------------------------

    def _visit(self, depth: int, partial: int, bounds: list) -> tuple[int, tuple | None]:
        """Search the completions of this node. Returns (value, tail): the best completion's value
        and its options when exact, or an upper bound on it and None when the incumbent cut the
        search short (NONE when no completion is valid). `bounds` holds what each open slot can
        still add (None: nothing compatible), as the parent node saw it."""
        if depth == self.n:
            self._record(partial, ())
            return 0, ()
        key = ("tail", depth, self._relevant(depth, depth))
        memo = self.shared if depth >= self.share_from else self.local
        known = memo.get(key)
        need = self._need(depth, partial)
        if known is not None:
            value, tail = known
            if tail is not None:
                if value != NONE:
                    self._record(partial + value, tail)
                return known
            if need is not None and value < need:
                return known
        found = self._branch(depth, partial, bounds)
        memo[key] = found
        return found

    def _relevant(self, depth: int, known: int) -> tuple:
        """The placed parts (of the slots before `known`) that can still affect slots from `depth`
        on: "" for the others, None for slots not placed yet."""
        assign, reach = self.assign, self.setup.reach
        return tuple(
            None if j >= known else (t if reach[(j, t := assign[s])] >= depth else "")
            for j, s in self.setup.relevant[depth]
        )

    def _branch(self, depth: int, partial: int, bounds: list) -> tuple[int, tuple | None]:
        allowed = self._allowed(depth)
        if depth:
            bounds = list(bounds)
            for i in self.setup.touch[depth - 1]:
                bounds[i] = self._slot_bound(i, depth, allowed)
        rest = self._open_bound(depth, allowed, bounds)
        if rest is None:
            return NONE, ()
        slot = self.slots[depth]
        best_value, exact = NONE, True
        best_tail: tuple | None = ()
        incumbent, need = self.incumbent, self._need(depth, partial)
        for option in self.options[depth]:
            if self.incumbent is not incumbent:
                incumbent, need = self.incumbent, self._need(depth, partial)
            if need is not None and option.bound + rest < need:
                best_value, exact = max(best_value, option.bound + rest), False
                break
            if not self._compatible(slot, option.tech, allowed, depth):
                continue
            gain, undo = self._place(slot, option.tech)
            value = option.unary + gain
            if need is not None and value + rest < need:
                best_value, exact = max(best_value, value + rest), False
            elif self._checks_pass(depth):
                sub, tail = self._visit(depth + 1, partial + value, bounds)
                if sub != NONE:
                    candidate = (value + sub, (option.tech,) + tail if tail is not None else None)
                    if (
                        candidate[0] > best_value
                        or candidate[0] == best_value
                        and _smaller(candidate[1], best_tail)
                    ):
                        best_value, best_tail = candidate
                    exact = exact and tail is not None
            self._unplace(slot, option.tech, undo)
        return best_value, (best_tail if exact else None)

    def _need(self, depth: int, partial: int) -> int | None:
        """The least a completion of this node must earn to beat the incumbent; None: no incumbent."""
        incumbent = self.incumbent
        if incumbent is None:
            return None
        key = incumbent.sort_key[1]
        for j in range(depth):  # a tie wins unless the prefix already sorts after the incumbent's
            mine = self.assign[self.slots[j]] or ""
            if mine != key[j]:
                return incumbent.score - partial + (0 if mine < key[j] else 1)
        return incumbent.score - partial

    def _record(self, score: int, tail: tuple) -> None:
        assign = dict(self.assign)
        for slot, tech in zip(self.slots[len(self.assign) :], tail, strict=True):
            assign[slot] = tech
        self.offer(Ranked((-score, self.problem.key(assign)), score, assign))

    # --- placing parts ------------------------------------------------------------------------

    def _place(self, slot: str, tech: str | None) -> tuple[int, list]:
        """Assign `slot`; return the pair bonus it adds and what to undo."""
        self.assign[slot] = tech
        self.holds.clear()
        if tech is None:
            return 0, []
        gain, undo = 0, []
        partners = self.partners.get((slot, tech))
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
        self.holds.clear()
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
        """Whether the requirements decided at `depth` hold: the must-use ones and those of the
        placed parts (the only owners whose requirements can be active)."""
        due = self.setup.due.get(depth)
        if not due:
            return True
        for owner in (None, *self.present):
            for req in due.get(owner, ()):
                if req.active(self.assign, self.present) and not self._satisfied(req):
                    return False
        return True

    # --- what the open slots allow and can earn -----------------------------------------------

    def _allowed(self, start: int) -> dict[str | None, frozenset[str]]:
        """What the parts placed so far allow in each slot from `start` on."""
        allowed: dict[str | None, frozenset[str]] = {}
        for owner in self.present:
            for req in self.setup.slot_rules.get(owner, ()):
                if self.index[req.slot] >= start and req.active(self.assign, self.present):
                    prev = allowed.get(req.slot)
                    allowed[req.slot] = req.targets if prev is None else prev & req.targets
        return allowed

    def _compatible(self, slot: str, tech: str | None, allowed: dict, known: int) -> bool:
        """Whether `tech` in `slot` can still be part of a valid stack, given slots before `known`."""
        if slot in allowed and tech not in allowed[slot]:
            return False
        if tech is None:
            return True
        own = self.setup.own[(slot, tech)]
        if own is None:
            return True
        clash, on_slots, strict = own
        present = self.present
        if clash and any(t in present for t in clash):
            return False
        for index, other, targets in on_slots:
            if other == slot and tech not in targets:
                return False
            if index < known and self.assign[other] not in targets:
                return False
        for req in strict:
            if not any(t in present for t in req.targets) and (
                self.setup.due_at[req] < known or not any(self._could_hold(t, known) for t in req.targets)
            ):
                return False
        return True

    def _could_hold(self, tech: str, known: int) -> bool:
        """Whether an open slot (from `known` on) could still take `tech`, as far as the rules of
        that placement on the slots already chosen go (remembered until the assignment changes)."""
        key = (tech, known)
        if key in self.holds:
            return self.holds[key]
        found = False
        for i in self.setup.where.get(tech, ()):
            if i >= known:
                own = self.setup.own[(self.slots[i], tech)]
                if own is None or all(
                    index >= known or self.assign[other] in targets for index, other, targets in own[1]
                ):
                    found = True
                    break
        self.holds[key] = found
        return found

    def _open_bound(self, known: int, allowed: dict, bounds: list) -> int | None:
        """Best case of the slots after `known` (those before it are assigned; slot `known` is being
        chosen and bounded by its own option); None when one of them has nothing compatible left."""
        if not self._pending_can_be_met(known, allowed):
            return None
        total = 0
        for top in bounds[known + 1 :]:
            if top is None:
                return None
            total += top
        return total

    def _slot_bound(self, i: int, known: int, allowed: dict) -> int | None:
        """The most open slot i can add, given the slots before `known`."""
        slot, top, kept = self.slots[i], None, self.kept[i]
        for option in self._possible(i, known, allowed):
            if top is not None and option.bound <= top:
                break
            if (kept is None or option.tech in kept) and self._compatible(slot, option.tech, allowed, known):
                value = option.unary + self._pairs_bound(slot, option.tech, known, i)
                top = value if top is None or value > top else top
        return top

    def _possible(self, i: int, known: int, allowed: dict) -> list:
        """The options of open slot i worth looking at, in bound order: those the placed parts allow
        (when one of them names the slot's targets) or those whose own rules accept the slot they
        depend on; all of them otherwise."""
        slot = self.slots[i]
        if slot in allowed:
            by_tech = self.setup.by_tech[i]
            return sorted(
                (by_tech[t] for t in allowed[slot] if t in by_tech), key=lambda o: (-o.bound, o.tech or "")
            )
        j = self.setup.depends_on[i]
        if j is not None and j < known:
            return self.setup.possible(i, self.assign[self.slots[j]])
        return self.setup.options[i]

    def _pending_can_be_met(self, known: int, allowed: dict) -> bool:
        """Every part the stack must still hold somewhere (a must-use part, a strict requirement of a
        placed part) still has an open slot, from `known` on, that could take it."""
        pending = [r for r in self.setup.must if not any(t in self.present for t in r.targets)]
        for owner in self.present:
            for req in self.setup.strict_rules.get(owner, ()):
                if req.active(self.assign, self.present) and not any(t in self.present for t in req.targets):
                    pending.append(req)
        return all(
            any(
                self._compatible(self.slots[i], o.tech, allowed, known)
                for i in range(known, self.n)
                for o in self.options[i]
                if o.tech in req.targets
            )
            for req in pending
        )

    def _pairs_bound(self, slot: str, tech: str | None, known: int, i: int) -> int:
        """Pair bonuses of `tech` in `slot`: exactly what it adds to the assigned parts (a pair already
        earned through another slot counts once), best case with the open slots before it."""
        partners = self.setup.partner_list.get((slot, tech)) if tech is not None else None
        if not partners:
            return 0
        value, open_best = 0, dict[int, int]()
        assign, pair_best = self.assign, self.pair_best
        for j, other_slot, other, points, techs in partners:
            if j < known:
                if assign[other_slot] == other:
                    value += max(0, points - pair_best.get(techs, 0))
            elif j < i and points > open_best.get(j, 0):
                open_best[j] = points
        return value + sum(open_best.values())


def _smaller(tail: tuple | None, other: tuple | None) -> bool:
    """Key order of two tails (an empty slot sorts as "", before any slug); False when either is
    only a bound (the node's result is then a bound too)."""
    if tail is None or other is None:
        return False
    return tuple(t or "" for t in tail) < tuple(t or "" for t in other)
