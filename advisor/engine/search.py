"""The best stack of a problem, exactly: depth-first branch and bound with a memo of proved tails.

Slots are assigned in the problem's order (`plan.interacting_first`). At every node the open slots
are bounded by their best compatible options (`bounds`), which also finds dead ends early; each
option of the slot being branched on is tried with its exact value, less what placing it leaves to
the linked later slots (`_ahead`, from `links`), so most hopeless children are never visited. What
the open slots can still earn depends only on the placed parts that reach them (through a pair, a
conflict or a rule); so the best value of a tail is remembered per depth and per those parts,
exactly when the whole tail was searched, as an upper bound when the incumbent cut it short. Ties go
to the smaller key (slugs in slot order), as in `problem.brute_force`.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.engine.bounds import OpenSlots
from advisor.engine.links import NEG, Links
from advisor.engine.plan import Plan, best_bonuses
from advisor.engine.problem import Placement, Problem, Ranked, Requirement, propagate

NONE = -(1 << 60)  # the value of a tail with no valid completion


def best(problem: Problem) -> Ranked | None:
    """The best valid stack, or None when no stack satisfies the rules."""
    return Searcher(problem).best()


class Searcher:
    """One problem, set up once, searched many times with some slots narrowed: "the best stack
    without PostgreSQL", "the best stack on Django"."""

    def __init__(self, problem: Problem, watch: Sequence[str] = ()):
        self.problem = problem
        candidates = propagate(problem)
        # A requirement whose owner can be in no slot is never active: the catalog has many.
        owners = {t for options in candidates.values() for t in options}
        self.base = Problem(
            problem.slots,
            candidates,
            problem.unary,
            problem.pairs,
            problem.conflicts,
            tuple(r for r in problem.requirements if r.owner is None or r.owner in owners),
        )
        self.setup = Plan(self.base)
        self.links = Links(self.setup)
        # Proved tails and open-slot values, shared by every search whose options agree there.
        self.shared: dict[tuple, object] = {}
        # Per watched slot and choice there, the best valid stack any search has come across: a
        # later search narrowed on that slot starts from the best of them that it allows.
        self.seen: dict[str, dict[str | None, Ranked]] = {s: {} for s in watch if s in self.base.slots}

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
        search = _Search(self.setup, self.links, allowed, self.shared, self.seen)
        pool = list(known)
        for slot in set(keep or {}) | set(drop or {}):
            pool.extend(self.seen.get(slot, {}).values())
        for stack in sorted(pool):
            if allowed is None or all(stack.assign[s] in allowed[s] for s in self.base.slots):
                search.offer(stack)
                break
        return search.run()


def upper_bound(searcher: Searcher, order: Sequence[str]) -> int:
    """A score no stack of the searcher's problem can beat (the score basis): each slot's best
    candidate with its best bonus from each slot before it in `order`, the project's own slot
    order, so that the figure does not depend on the order the search takes."""
    plan, before, total = searcher.setup, set[str](), 0
    for slot in order:
        total += max(
            (
                option.unary + best_bonuses(plan.partners.get((slot, option.tech), {}), before.__contains__)
                for option in plan.options[plan.index[slot]]
            ),
            default=0,
        )
        before.add(slot)
    return total


class _Search(OpenSlots):
    """One best-stack search over the shared set-up, with some options narrowed away."""

    def __init__(self, setup: Plan, links: Links, allowed: dict[str, set] | None, shared: dict, seen: dict):
        self.setup, self.links, self.seen = setup, links, seen
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
            self._visit(0, 0, [None] * self.n)
        return self.incumbent

    # --- the tree -----------------------------------------------------------------------------

    def _visit(self, depth: int, partial: int, bounds: list) -> tuple[int, tuple | None]:
        """Search the completions of this node. Returns (value, tail): the best completion's value
        and its options when exact, or an upper bound on it and None when the incumbent cut the
        search short (NONE when no completion is valid). `bounds` holds what each open slot can
        still add, as the parent node saw them."""
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
            [
                None if j >= known else (t if reach[(j, t := assign[s])] >= depth else "")
                for j, s in self.setup.relevant[depth]
            ]
        )

    def _branch(self, depth: int, partial: int, bounds: list) -> tuple[int, tuple | None]:
        allowed = self._allowed(depth)
        rest, bounds = self._open_bound(depth, allowed, bounds)
        if rest is None:
            return NONE, ()
        slot, kept = self.slots[depth], self.kept[depth]
        best_value, exact = NONE, True
        best_tail: tuple | None = ()
        incumbent, need = self.incumbent, self._need(depth, partial)
        for key, option, base, a in self.links.given(depth, depth, self.assign):
            if self.incumbent is not incumbent:
                incumbent, need = self.incumbent, self._need(depth, partial)
            if need is not None and key + rest < need:
                best_value, exact = max(best_value, key + rest), False
                break
            tech = option.tech
            if (kept is not None and tech not in kept) or not self._compatible(slot, tech, allowed, depth):
                continue
            gain, undo = self._place(slot, tech)
            if (
                need is not None
                and (bound := base + gain + rest - self._ahead(depth, a, bounds, allowed)) < need
            ):
                best_value, exact = max(best_value, bound), False
            elif self._checks_pass(depth):
                value = option.unary + gain
                sub, tail = self._visit(depth + 1, partial + value, bounds)
                if sub != NONE:
                    candidate = (value + sub, (tech,) + tail if tail is not None else None)
                    if (
                        candidate[0] > best_value
                        or candidate[0] == best_value
                        and _smaller(candidate[1], best_tail)
                    ):
                        best_value, best_tail = candidate
                    exact = exact and tail is not None
            self._unplace(slot, tech, undo)
        return best_value, (best_tail if exact else None)

    def _ahead(self, depth: int, a: int, tops: list, allowed: dict) -> int:
        """How much less the linked open slots can add once option a of slot `depth` is placed
        than the node's bound says (`Links.ahead`): what a child would find out, at no child's
        cost. Where the rules name the few options of the linked slot that may stand beside it,
        those are valued exactly, with their bonuses with the placed parts."""
        links, cut = self.links, 0
        for i in links.linked_after[depth]:
            bound = tops[i] + links.later[depth][i][a]
            limit = links.ahead(depth, i)[a]
            only = links.only(depth, i)[a]
            if only is not None and limit < bound:
                limit = min(limit, self._best_of(i, only, depth, a, allowed))
            if bound > limit:
                cut += bound - limit
        return cut

    def _best_of(self, i: int, only: list[int], depth: int, a: int, allowed: dict) -> int:
        """The most open slot i can add with one of its options `only` (positions), beside option
        a of slot `depth`, just placed: their bonus, the option's value and its exact bonuses."""
        links, slot, kept = self.links, self.slots[i], self.kept[i]
        bonus = links.sides[(depth, i)].bonus.get(a, {})
        best = NEG
        for b in only:
            tech = self.setup.options[i][b].tech
            if (kept is None or tech in kept) and self._compatible(slot, tech, allowed, depth):
                value = links.value[i][b] + bonus.get(b, 0) + self._placed_pairs(slot, tech, depth)
                best = max(best, value)
        return best

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
        stack = Ranked((-score, self.problem.key(assign)), score, assign)
        self.offer(stack)
        for slot, best in self.seen.items():
            held = best.get(assign[slot])
            if held is None or stack < held:
                best[assign[slot]] = stack

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
        present = self.present
        for owner, reqs in due.items():
            if owner is None or owner in present:
                for req in reqs:
                    if req.active(self.assign, present) and not self._satisfied(req):
                        return False
        return True


def _smaller(tail: tuple | None, other: tuple | None) -> bool:
    """Key order of two tails (an empty slot sorts as "", before any slug); False when either is
    only a bound (the node's result is then a bound too)."""
    if tail is None or other is None:
        return False
    return tuple(t or "" for t in tail) < tuple(t or "" for t in other)
