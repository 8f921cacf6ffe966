"""Exact top-K search over slot assignments: branch and bound with admissible bounds.

Scores are integers (hundredths of a point) so that ties, bounds and the brute-force check are exact.
A stack's score is the sum of each slot's unary points plus a bonus for every pair of its
technologies that work well together; `requires` and `conflicts` rules are hard.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from advisor.engine.symmetry import find_symmetry

NONE = None  # an optional slot left empty
NO_STACK = -(1 << 60)  # the best score of a subtree that holds no valid stack


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
    """Everything the search needs; built by `recommend` from a catalog and constraints."""

    slots: tuple[str, ...]
    candidates: dict[str, tuple[str | None, ...]]
    unary: dict[tuple[str, str | None], int]
    pairs: dict[frozenset[str], int] = field(default_factory=dict)
    conflicts: dict[str, frozenset[str]] = field(default_factory=dict)
    requirements: tuple[Requirement, ...] = ()

    def key(self, assign: dict[str, str | None]) -> tuple[str, ...]:
        return tuple(assign[s] or "" for s in self.slots)

    def score(self, assign: dict[str, str | None]) -> int:
        """The exact score of a complete assignment (the definition the search must agree with)."""
        total = sum(self.unary[(s, assign[s])] for s in self.slots)
        present = sorted({t for t in assign.values() if t})
        for a, b in itertools.combinations(present, 2):
            total += self.pairs.get(frozenset((a, b)), 0)
        return total

    def is_valid(self, assign: dict[str, str | None]) -> bool:
        """Whether a complete assignment breaks no hard rule."""
        present = {t for t in assign.values() if t}
        for tech in present:
            if self.conflicts.get(tech, frozenset()) & present:
                return False
        for req in self.requirements:
            if not req.active(assign, present):
                continue
            if req.slot is not None:
                # A rule about a slot this project does not have is skipped.
                if req.slot in self.slots and assign[req.slot] not in req.targets:
                    return False
            elif not req.targets & present:
                return False
        return True


@dataclass(order=True)
class Ranked:
    """A complete valid stack; orders best first (higher score, then smaller key)."""

    sort_key: tuple = field(init=True)
    score: int = field(compare=False, default=0)
    assign: dict = field(compare=False, default_factory=dict)


def _entry(problem: Problem, assign: dict, score: int) -> Ranked:
    return Ranked((-score, problem.key(assign)), score, dict(assign))


def propagate(problem: Problem) -> dict[str, tuple[str | None, ...]]:
    """Narrow the candidates using slots that have a single possible technology.

    A technology that every stack must hold keeps its required slots to their targets and keeps
    out whatever it conflicts with. Sound: it only removes candidates no valid stack can use.
    """
    cands = {s: tuple(problem.candidates[s]) for s in problem.slots}
    live = {s: set(c) for s, c in cands.items()}
    order = {s: i for i, s in enumerate(problem.slots)}

    def narrow(slot: str, kept: tuple) -> bool:
        if kept == cands[slot]:
            return False
        cands[slot], live[slot] = kept, set(kept)
        return True

    changed = True
    while changed:
        changed = False
        forced = {(s, c[0]) for s, c in cands.items() if len(c) == 1 and c[0] is not None}
        forced_techs = {t for _, t in forced}
        # Where each technology could go when this pass began (a superset later in the pass).
        holders: dict[str, list[str]] = {}
        for s, c in cands.items():
            for t in c:
                if t is not None:
                    holders.setdefault(t, []).append(s)
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


SYMMETRY_FROM = 200  # candidate technologies: below this, looking for copies costs more than it saves


def search(problem: Problem, k: int, symmetry: bool | None = None) -> list[Ranked]:
    """The k best valid stacks, exactly as brute-force enumeration would rank them.

    `symmetry` (default: on for problems of SYMMETRY_FROM candidates or more) prunes interchangeable
    components once per orbit; it changes how fast the answer comes, never the answer.
    """
    problem = Problem(problem.slots, propagate(problem), problem.unary, problem.pairs,
                      problem.conflicts, problem.requirements)
    slots = problem.slots
    n = len(slots)
    index = {s: i for i, s in enumerate(slots)}
    cand_sets = {s: set(problem.candidates[s]) for s in slots}

    partners: dict[str, list[tuple[str, int]]] = {}
    for pair, points in problem.pairs.items():
        if points > 0 and len(pair) == 2:
            a, b = sorted(pair)
            partners.setdefault(a, []).append((b, points))
            partners.setdefault(b, []).append((a, points))
    # A pair's bonus is credited to the later of its two slots, so a candidate's best case is its
    # unary points plus, for each earlier slot, its best partner among that slot's candidates.
    pair_of: dict[str, dict[str, int]] = {t: dict(ps) for t, ps in partners.items()}
    best_in: dict[tuple[int, str], dict[int, int]] = {}
    potential: list[dict[str | None, int]] = []
    for i, s in enumerate(slots):
        pots: dict[str | None, int] = {}
        for t in problem.candidates[s]:
            if t is None or t not in partners:
                continue
            per_slot: dict[int, int] = {}
            for other, p in partners[t]:
                for j in range(i):
                    if other in cand_sets[slots[j]] and p > per_slot.get(j, 0):
                        per_slot[j] = p
            best_in[(i, t)] = per_slot
            pots[t] = sum(per_slot.values())
        potential.append(pots)

    # When each requirement can be decided: once every slot that could hold a target is assigned.
    decide_at: list[tuple[Requirement, int]] = []
    for req in problem.requirements:
        if req.when_in is not None and req.when_in not in index:
            continue
        owner_at = index[req.when_in] if req.when_in is not None else -1
        if req.slot is not None:
            if req.slot not in index:
                continue
            decide_at.append((req, max(index[req.slot], owner_at)))
            continue
        where = [index[s] for s in slots if cand_sets[s] & req.targets]
        if not where:
            if req.owner is None:
                return []
            decide_at.append((req, -1))  # unsatisfiable: owner can never be used
            continue
        decide_at.append((req, max(max(where), owner_at)))
    banned = {req.owner for req, at in decide_at if at < 0 and req.when_in is None}
    banned_in = {(req.when_in, req.owner) for req, at in decide_at if at < 0 and req.when_in}
    # Requirements to check at each depth, by owner, so a node only looks at its present owners'.
    by_depth: dict[int, dict[str | None, list[Requirement]]] = {}
    by_owner: dict[str, list[tuple[Requirement, int]]] = {}
    for req, at in decide_at:
        if at < 0:
            continue
        by_depth.setdefault(at, {}).setdefault(req.owner, []).append(req)
        if req.owner is not None and req.when_in is None:
            by_owner.setdefault(req.owner, []).append((req, at))

    ordered: list[list[tuple[str | None, int, int]]] = []
    for i, s in enumerate(slots):
        opts = []
        for t in problem.candidates[s]:
            if t in banned or (s, t) in banned_in:
                continue
            u = problem.unary[(s, t)]
            opts.append((t, u, u + potential[i].get(t, 0)))
        # Best bound first; equal bounds in key order (an empty slot keys as "", before any slug).
        opts.sort(key=lambda o: (-o[2], o[0] or ""))
        ordered.append(opts)
    option_of = [{o[0]: o for o in opts} for opts in ordered]
    suffix = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        if not ordered[i]:
            return []
        suffix[i] = suffix[i + 1] + max(o[2] for o in ordered[i])

    # For the bound of the slots still open: the best candidate of each that the assignment so far
    # has not ruled out (a conflict, or a requirement on an assigned slot that it fails).
    own_reqs: dict[tuple[int, str], list[Requirement]] = {}
    strict_reqs: dict[tuple[int, str], list[tuple[Requirement, int]]] = {}
    reqs_on_slots: dict[str, list[tuple[int, Requirement]]] = {}
    for req, at in decide_at:
        if req.slot is None and req.owner is not None and at >= 0:
            for i, s in enumerate(slots):
                if req.owner in cand_sets[s] and req.when_in in (None, s):
                    strict_reqs.setdefault((i, req.owner), []).append((req, at))
    for req in problem.requirements:
        if req.slot is None or req.slot not in index or req.owner is None:
            continue
        reqs_on_slots.setdefault(req.owner, []).append((index[req.slot], req))
        for i, s in enumerate(slots):
            if req.owner in cand_sets[s] and req.when_in in (None, s):
                own_reqs.setdefault((i, req.owner), []).append(req)

    # Symmetry: partial stacks with the same canonical form have the same best completion score, so
    # the best score proved for one subtree (its leaves and the bounds of the branches it cut)
    # bounds all of its orbit. Forms of partial stacks that touch a symmetric class are memoised.
    if symmetry is None:
        symmetry = sum(len(c) for c in problem.candidates.values()) >= SYMMETRY_FROM
    classes = find_symmetry(problem) if symmetry else {}
    proved: dict[tuple, int] = {}
    first_use: dict[int, dict[int, int]] = defaultdict(dict)  # class -> component -> order of use
    ceiling = [NO_STACK]  # the best score the subtree being searched may still hold

    known_now = [0]  # how many leading slots are assigned, for `compatible`

    def compatible(i: int, tech: str | None, allowed: dict[int, frozenset]) -> bool:
        if i in allowed and tech not in allowed[i]:
            return False
        if tech is not None:
            clash = problem.conflicts.get(tech)
            if clash and any(t in present for t in clash):
                return False
            for req in own_reqs.get((i, tech), ()):
                if req.slot in assign and assign[req.slot] not in req.targets:
                    return False
            for req, at in strict_reqs.get((i, tech), ()):
                if at < known_now[0] and not any(t in present for t in req.targets):
                    return False
        return True

    def open_bound(start: int, known: int) -> int | None:
        """Best case of the open slots: for each, its best compatible candidate, counting exact pair
        bonuses with the slots already assigned and the best possible ones with the open slots before it."""
        known_now[0] = known
        allowed: dict[int, frozenset] = {}
        for owner in present:
            for i, req in reqs_on_slots.get(owner, ()):
                if i >= start and req.active(assign, present):
                    allowed[i] = allowed[i] & req.targets if i in allowed else req.targets
        total = 0
        assigned = [a for a in (assign[slots[j]] for j in range(known)) if a is not None]
        for i in range(start, n):
            top = None
            fresh_seen = set()  # (class, member) of components unused so far: all score alike
            options = ordered[i] if i not in allowed else sorted(
                (o for t in allowed[i] if (o := option_of[i].get(t))), key=lambda o: (-o[2], o[0]))
            for tech, u, bound_part in options:
                if top is not None and bound_part <= top:
                    break
                if tech in classes:
                    cls, component, rep = classes[tech]
                    if component not in first_use[cls]:
                        if (cls, rep) in fresh_seen:
                            continue
                        fresh_seen.add((cls, rep))
                if not compatible(i, tech, allowed):
                    continue
                value = u
                if tech is not None and tech in pair_of and tech not in present:
                    pairs_t = pair_of[tech]
                    value += sum(pairs_t.get(a, 0) for a in assigned)
                    value += sum(p for j, p in best_in[(i, tech)].items() if j >= known)
                if top is None or value > top:
                    top = value
            if top is None:
                return None
            total += top
        return total

    best: list[Ranked] = []  # max-heap by badness: heap of negated order, worst on top
    assign: dict[str, str | None] = {}
    present: dict[str, int] = {}

    def threshold() -> int | None:
        return best[0].entry.score if len(best) >= k else None

    def cannot_win(bound: int, limit: int | None, prefix: tuple[str, ...]) -> bool:
        """True when no completion can displace the k-th best: lower score, or a tie that loses on key."""
        if limit is None:
            return False
        if bound != limit:
            return bound < limit
        worst_key = best[0].entry.sort_key[1]
        return prefix > worst_key[:len(prefix)]

    def satisfied(req: Requirement) -> bool:
        if req.slot is not None:
            return assign.get(req.slot) in req.targets
        return any(t in present for t in req.targets)

    def checks_pass(depth: int, tech: str | None) -> bool:
        due = by_depth.get(depth)
        if due:
            for owner in [None, *present] if len(due) > len(present) else list(due):
                for req in due.get(owner, ()):
                    if req.active(assign, present) and not satisfied(req):
                        return False
        if tech is not None and present[tech] == 1:
            for req, at in by_owner.get(tech, ()):
                if at < depth and not satisfied(req):
                    return False
        return True

    # A candidate is "free" at a depth when nothing else can interact with it any more: no rule or
    # conflict names it, and none of its partners is present or can still be chosen. Two free
    # candidates of a slot have the same completions, so once one free candidate's subtree placed
    # nothing in the top k, a free one that is no better (score, then key) cannot either.
    involved = {t for r in problem.requirements for t in r.targets} | {
        r.owner for r in problem.requirements if r.owner} | set(problem.conflicts) | {
        t for v in problem.conflicts.values() for t in v}
    last_at: dict[str, int] = {}
    for i, s in enumerate(slots):
        for t in problem.candidates[s]:
            if t is not None:
                last_at[t] = i
    inserted = [0]

    def free(tech: str | None, depth: int) -> bool:
        if tech is None:
            return True
        if tech in involved or tech in present or last_at[tech] > depth:
            return False
        return all(o not in present and last_at.get(o, -1) <= depth for o, _ in partners.get(tech, ()))

    def pruned(bound: int) -> None:
        """Note that part of the subtree being searched was ruled out as holding at most `bound`."""
        if bound > ceiling[0]:
            ceiling[0] = bound

    def canonical(tech: str | None, canon: tuple, in_orbit: bool) -> tuple[tuple, bool, tuple | None]:
        """The child's canonical form, whether it has an orbit, and the first use it records (to undo)."""
        if tech not in classes:
            return canon + (tech or "",), in_orbit, None
        cls, component, rep = classes[tech]
        used, added = first_use[cls], None
        if component not in used:
            used[component], added = len(used), (cls, component)
        return canon + ((rep, used[component]),), True, added

    def descend(depth: int, partial: int, key: tuple, child: tuple, in_orbit: bool) -> None:
        """Search a child's subtree unless the bound proved for its orbit already rules it out."""
        if in_orbit and child in proved:
            bound = proved[child]
            if bound == NO_STACK or cannot_win(bound, threshold(), key):
                pruned(bound)
                return
        saved, ceiling[0] = ceiling[0], NO_STACK
        visit(depth + 1, partial, key, child, in_orbit)
        found = ceiling[0]
        ceiling[0] = max(saved, found)
        if in_orbit:
            proved[child] = found

    def visit(depth: int, partial: int, prefix: tuple[str, ...], canon: tuple, in_orbit: bool) -> None:
        if depth == n:
            score = problem.score(assign)
            pruned(score)
            entry = _entry(problem, assign, score)
            neg = _Neg(entry)
            if len(best) < k:
                heapq.heappush(best, neg)
                inserted[0] += 1
            elif neg > best[0]:
                heapq.heapreplace(best, neg)
                inserted[0] += 1
            return
        slot = slots[depth]
        rest = suffix[depth + 1]
        if len(best) >= k:
            rest = open_bound(depth + 1, depth)
            if rest is None:
                return
        fruitless: tuple[int, str] | None = None  # (u, key) of a free candidate that placed nothing
        # Candidates from components no part of the stack uses yet are interchangeable here: the
        # first of each (class, member) decides for the rest, which only come later in key order.
        fresh: dict[tuple, tuple | None] = {}  # -> its canonical child, None while not searched
        for tech, u, bound_part in ordered[depth]:
            limit = threshold()
            key = prefix + (tech or "",)
            if cannot_win(partial + bound_part + rest, limit, key):
                pruned(partial + bound_part + rest)
                break
            mate = None
            if tech in classes:
                cls, component, rep = classes[tech]
                if component not in first_use[cls]:
                    mate = (cls, rep)
                    if mate in fresh:
                        seen = fresh[mate]
                        if seen is None or seen in proved and (
                                proved[seen] == NO_STACK or cannot_win(proved[seen], limit, key)):
                            continue
                    fresh[mate] = None
            is_free = free(tech, depth)
            if is_free and fruitless is not None and (
                    u < fruitless[0] or (u == fruitless[0] and (tech or "") > fruitless[1])):
                continue
            gained = 0
            if tech is not None:
                clash = problem.conflicts.get(tech)
                if clash and any(t in present for t in clash):
                    continue
                if tech not in present:
                    gained = sum(p for other, p in partners.get(tech, ()) if other in present)
                if cannot_win(partial + u + gained + rest, limit, key):
                    pruned(partial + u + gained + rest)
                    continue
                present[tech] = present.get(tech, 0) + 1
            assign[slot] = tech
            before = inserted[0]
            if checks_pass(depth, tech):
                child, child_orbit, added = canonical(tech, canon, in_orbit)
                if mate is not None:
                    fresh[mate] = child
                descend(depth, partial + u + gained, key, child, child_orbit)
                if added is not None:
                    del first_use[added[0]][added[1]]
                if is_free and inserted[0] == before and fruitless is None:
                    fruitless = (u, tech or "")
            del assign[slot]
            if tech is not None:
                present[tech] -= 1
                if not present[tech]:
                    del present[tech]

    visit(0, 0, (), (), False)
    return sorted(neg.entry for neg in best)


class _Neg:
    """Heap wrapper: the worst-ranked entry sits on top of heapq's min-heap."""

    __slots__ = ("entry",)

    def __init__(self, entry: Ranked):
        self.entry = entry

    def __lt__(self, other: _Neg) -> bool:
        return other.entry < self.entry

    def __gt__(self, other: _Neg) -> bool:
        return self.entry < other.entry


def brute_force(problem: Problem, k: int) -> list[Ranked]:
    """Enumerate every assignment; only for tests on small problems."""
    found = []
    for combo in itertools.product(*(problem.candidates[s] for s in problem.slots)):
        assign = dict(zip(problem.slots, combo, strict=True))
        if problem.is_valid(assign):
            found.append(_entry(problem, assign, problem.score(assign)))
    return sorted(found)[:k]
