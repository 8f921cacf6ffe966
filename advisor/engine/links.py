"""What the search's bound knows about links between slots (a pair bonus, or a rule or a conflict
that forbids some combinations), worked out once per problem and shared by all its searches.

A bonus between two open slots is counted at the earlier one: each option of slot i carries the best
bonus it can earn with every later linked slot, among the options there that may stand beside it.
When slot i is placed, the later slots earn their exact bonuses with it instead. Any stack then
scores at most, slot by slot, its option's points, its exact bonuses with the placed parts and the
bonuses it carries for the later slots: every open slot is bounded on its own (`bounds`).

Counted at the earlier slot, a bonus is taken at its most optimistic while that slot is branched
on: each of its options claims its best partner in every later slot, although the node's bound of
that slot was worked out for the slot's own best option. So before a child is searched, `ahead`
says what a linked later slot can still add once that option is placed (its best option that may
stand beside it, with their exact bonus): the difference is a child's work saved, and what keeps
catalogs of near-equal families (a copy of a library that pairs only within its copy) small to
search.
"""

from __future__ import annotations

import itertools

from advisor.engine.plan import Option, Plan

NEG = -(1 << 40)  # what an option can add beside a linked slot none of whose options it accepts

Entry = tuple[int, Option, int, int]  # (key, option, value, position in Plan.options[i])


class Links:
    """Per slot i: `later[i][j]`, per option, the best bonus it can earn with linked slot j > i;
    `value[i]`, per option, its points plus those bonuses; and the options in bound order at each
    depth (`order`), which adds to the value the most an option can earn with the placed slots."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.sides = _sides(plan)
        self.later: list[dict[int, list[int]]] = [{} for _ in range(plan.n)]
        for (i, j), side in self.sides.items():
            if i < j:
                self.later[i][j] = _row_max(side, [0] * len(plan.options[j]))
        self.linked_after = [sorted(self.later[i]) for i in range(plan.n)]
        self.value = [self._value(i) for i in range(plan.n)]
        self._earlier = [self._most_with_earlier(i) for i in range(plan.n)]
        self._placed: dict[tuple[int, int], list[int]] = {}
        self._orders: dict[tuple[int, int], list[Entry]] = {}
        self._among: dict[tuple[int, int, frozenset[str]], list[Entry]] = {}
        self._given: dict[tuple[int, int, str | None], list[Entry]] = {}
        self._accepted: dict[tuple[int, str | None], set[int]] = {}
        self._ahead: dict[tuple[int, int], list[int]] = {}
        self._only: dict[tuple[int, int], list[list[int] | None]] = {}

    def order(self, depth: int, i: int) -> list[Entry]:
        """Slot i's options at `depth` (i >= depth), best key first: the key adds to an option's
        value the most it can earn with the slots before `depth`, so it bounds what the option
        can add at any node of that depth."""
        found = self._orders.get((depth, i))
        if found is None:
            value, options = self.value[i], self.plan.options[i]
            keys = [v + p for v, p in zip(value, self._placed_most(depth, i), strict=True)]
            ranked = sorted(range(len(options)), key=keys.__getitem__, reverse=True)
            found = self._orders[(depth, i)] = [(keys[a], options[a], value[a], a) for a in ranked]
        return found

    def given(self, depth: int, i: int, assign: dict) -> list[Entry]:
        """`order`, without the options whose own rules refuse what the slot they depend on holds
        (`Plan.depends_on`: a driver's database), once that slot is placed."""
        j = self.plan.depends_on[i]
        if j is None or j >= depth:
            return self.order(depth, i)
        choice = assign[self.plan.slots[j]]
        found = self._given.get((depth, i, choice))
        if found is None:
            accepted = self._accepted.get((i, choice))
            if accepted is None:
                slot, plan = self.plan.slots[i], self.plan
                accepted = self._accepted[(i, choice)] = {
                    a for a, o in enumerate(plan.options[i]) if plan.accepts(slot, o.tech, j, choice)
                }
            found = self._given[(depth, i, choice)] = [e for e in self.order(depth, i) if e[3] in accepted]
        return found

    def among(self, depth: int, i: int, techs: frozenset[str]) -> list[Entry]:
        """`order`, limited to `techs` (those the placed parts allow in slot i)."""
        found = self._among.get((depth, i, techs))
        if found is None:
            found = [e for e in self.order(depth, i) if e[1].tech in techs]
            self._among[(depth, i, techs)] = found
        return found

    def ahead(self, depth: int, i: int) -> list[int]:
        """Per option of slot `depth`, the most linked slot i > depth can add once that option is
        placed: its best option that may stand beside it, with their exact bonus, what it carries
        for the slots after it and the most it can earn with the slots before `depth`."""
        found = self._ahead.get((depth, i))
        if found is None:
            col = [v + p for v, p in zip(self.value[i], self._placed_most(depth, i), strict=True)]
            found = self._ahead[(depth, i)] = _row_max(self.sides[(depth, i)], col)
        return found

    def only(self, depth: int, i: int) -> list[list[int] | None]:
        """Per option of slot `depth`, the options of linked slot i > depth it may stand beside
        when the rules name them (a task queue's brokers, a database's drivers); None when most
        of slot i's options may."""
        found = self._only.get((depth, i))
        if found is None:
            found = self._only[(depth, i)] = _only(self.sides[(depth, i)])
        return found

    def _value(self, i: int) -> list[int]:
        value = [o.unary for o in self.plan.options[i]]
        for bonus in self.later[i].values():
            value = [v + b for v, b in zip(value, bonus, strict=True)]
        return value

    def _placed_most(self, depth: int, i: int) -> list[int]:
        """Per option of slot i: the most it can earn with the slots before `depth` (i >= depth)."""
        found = self._placed.get((depth, i))
        if found is None:
            if depth == 0:
                found = [0] * len(self.plan.options[i])
            else:
                found = self._placed_most(depth - 1, i)
                most = self._earlier[i].get(depth - 1)
                if most is not None:
                    found = [v + m for v, m in zip(found, most, strict=True)]
            self._placed[(depth, i)] = found
        return found

    def _most_with_earlier(self, i: int) -> dict[int, list[int]]:
        """Per earlier slot j, the best bonus each option of slot i can earn with j's options."""
        out: dict[int, list[int]] = {}
        slot, size = self.plan.slots[i], len(self.plan.options[i])
        for a, option in enumerate(self.plan.options[i]):
            for j, _, _, points, _ in self.plan.earlier_partners.get((slot, option.tech), ()):
                row = out.setdefault(j, [0] * size)
                row[a] = max(row[a], points)
        return out


class _Side:
    """A link seen from one of its slots: per option of this slot (a row, by position), its
    bonuses with the options of the other slot (columns), the columns its own rules allow (when
    they limit them) or forbid, and the limited columns that allow it. Sparse: most rows have
    none of these, and their best column is the best column that allows every row."""

    __slots__ = ("size", "bonus", "allow", "forbid", "named_by", "free", "other")

    def __init__(self, size: int):
        self.size = size
        self.bonus: dict[int, dict[int, int]] = {}
        self.allow: dict[int, set[int]] = {}
        self.forbid: dict[int, set[int]] = {}
        self.named_by: dict[int, list[int]] = {}
        self.free: list[int] = []  # the columns whose own rules allow every row
        self.other: _Side = self  # the link seen from the other slot, set once both exist

    def ok(self, a: int, b: int) -> bool:
        """Whether row a may stand beside column b, by the rules of either."""
        allow, back, other = self.allow.get(a), self.other.allow.get(b), self.other
        return (
            (allow is None or b in allow)
            and b not in self.forbid.get(a, ())
            and (back is None or a in back)
            and a not in other.forbid.get(b, ())
        )


def _only(side: _Side) -> list[list[int] | None]:
    """Per row, the columns it may stand beside when the rules name them (its own allow list, or,
    when every column limits its rows, those that name it); None when some column takes any row."""
    out: list[list[int] | None] = []
    for a in range(side.size):
        allow = side.allow.get(a)
        if allow is not None:
            out.append([b for b in allow if side.ok(a, b)])
        elif not side.free:
            out.append([b for b in side.named_by.get(a, ()) if side.ok(a, b)])
        else:
            out.append(None)
    return out


def _row_max(side: _Side, col_value: list[int]) -> list[int]:
    """Per row, the best of (bonus + column value) over the columns it may stand beside; NEG when
    there is none."""
    if side.forbid or side.other.forbid:
        return _row_max_with_conflicts(side, col_value)
    top = max((col_value[b] for b in side.free), default=NEG)
    out = [top] * side.size
    limited, named_by = side.other.allow, side.named_by
    for a in set(side.bonus) | set(side.allow) | set(named_by):
        bonus, allow = side.bonus.get(a, {}), side.allow.get(a)
        if allow is None:
            best = top
            for b in named_by.get(a, ()):  # b allows a, by construction
                best = max(best, bonus.get(b, 0) + col_value[b])
        else:
            best = NEG
            for b in allow:
                if (back := limited.get(b)) is None or a in back:
                    best = max(best, bonus.get(b, 0) + col_value[b])
        for b, points in bonus.items():
            if (allow is None or b in allow) and ((back := limited.get(b)) is None or a in back):
                best = max(best, points + col_value[b])
        out[a] = best
    return out


def _row_max_with_conflicts(side: _Side, col_value: list[int]) -> list[int]:
    """`_row_max` for a link where some options conflict: every pair is checked."""
    free = sorted(side.free, key=col_value.__getitem__, reverse=True)
    out = [col_value[free[0]] if free else NEG] * side.size
    for a in set(side.bonus) | set(side.allow) | set(side.forbid) | set(side.named_by):
        bonus, allow = side.bonus.get(a, {}), side.allow.get(a)
        if allow is None:
            best = next((col_value[b] for b in free if side.ok(a, b)), NEG)
            candidates = itertools.chain(side.named_by.get(a, ()), bonus)
        else:
            best, candidates = NEG, itertools.chain(allow, bonus)
        for b in candidates:
            if side.ok(a, b):
                best = max(best, bonus.get(b, 0) + col_value[b])
        out[a] = best
    return out


def _sides(plan: Plan) -> dict[tuple[int, int], _Side]:
    """Every link, seen from each of its two slots: (i, j) is slot i's side of the link with j."""
    sides: dict[tuple[int, int], _Side] = {}
    position = [{o.tech: k for k, o in enumerate(opts)} for opts in plan.options]

    def side(i: int, j: int) -> _Side:
        if (i, j) not in sides:
            mine, theirs = _Side(len(plan.options[i])), _Side(len(plan.options[j]))
            mine.other, theirs.other = theirs, mine
            sides[(i, j)], sides[(j, i)] = mine, theirs
        return sides[(i, j)]

    for i, slot in enumerate(plan.slots):
        for a, option in enumerate(plan.options[i]):
            if option.tech is None:
                continue
            for (other_slot, other), points in plan.partners.get((slot, option.tech), {}).items():
                j = plan.index[other_slot]
                side(i, j).bonus.setdefault(a, {})[position[j][other]] = points
            own = plan.own.get((slot, option.tech))
            if own is None:
                continue
            clash, on_slots, _ = own
            for j, _, targets in on_slots:
                if j != i:
                    mine = side(i, j)
                    allowed = {position[j][t] for t in targets if t in position[j]}
                    mine.allow[a] = mine.allow[a] & allowed if a in mine.allow else allowed
            for j in plan.holders(clash):
                if j != i:
                    forbid = side(i, j).forbid.setdefault(a, set())
                    forbid.update(position[j][t] for t in clash if t in position[j])
    for mine in sides.values():
        limited = mine.other.allow
        mine.free = [b for b in range(mine.other.size) if b not in limited]
        for b, allow in limited.items():
            for a in allow:
                mine.named_by.setdefault(a, []).append(b)
    return sides
