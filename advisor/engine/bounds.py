"""What the open slots of a search node allow and can still earn: the bound that prunes the search.

Each open slot is bounded by its best compatible option: unary points, the exact pair bonuses it
adds to the parts placed so far, and best-case ones with the open slots before it. Best case alone
is loose on catalogs of near-equal families (ten jittered copies whose pairs stay within a copy):
every slot would take its best option and also the pairs of another copy's. So a pair with an
earlier open slot j that would make j hold an option worth less than j's own bound is charged for
part of that loss: with j's loss split among the later slots that can pair with j (`Plan.shares`),
the losses charged to j's option add up to at most the loss itself, and the sum of the slots' bounds
stays a bound (see `_charged_pairs`). The slot being branched on is never charged: its options are
tried one by one with their exact values.
"""

from __future__ import annotations

from advisor.engine.plan import Plan
from advisor.engine.problem import Placement


class OpenSlots:
    """The bound of a search node; mixed into the search, whose state it reads."""

    setup: Plan
    slots: tuple[str, ...]
    n: int
    index: dict[str | None, int]
    options: list
    kept: list[set | None]
    assign: dict[str, str | None]
    present: dict[str, int]
    placed: list[Placement]
    pair_best: dict[frozenset[str | None], int]
    holds: dict[tuple, bool]

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

    def _open_bound(self, known: int, allowed: dict, inherited: tuple) -> tuple[int | None, tuple]:
        """Best case of the slots after `known` (those before it are assigned; slot `known` is being
        chosen and bounded by its own option), None when one of them has nothing compatible left;
        and the slots' bounds and option values, for the children.

        `inherited` are the parent's: a slot keeps them unless the part just placed can change it
        (`Plan.touch`), it pairs with slot `known` (no longer charged) or with a slot recomputed
        here (whose bound its charges are measured from). What it keeps is still a bound: fewer
        placed parts only allow more. Its values are copied, so those this node adds (from more
        placed parts, maybe smaller) never reach the parent."""
        if not self._pending_can_be_met(known, allowed):
            return None, inherited
        tops, values = list(inherited[0]), list(inherited[1])
        touched = self.setup.touch[known - 1] if known else None
        pair_slots, changed, total = self.setup.pair_slots, set[int](), 0
        for i in range(known + 1, self.n):
            top, pairs = tops[i], pair_slots[i]
            if (
                top is None
                or touched is None
                or i in touched
                or known in pairs
                or not changed.isdisjoint(pairs)
            ):
                values[i] = {}
                top = tops[i] = self._slot_bound(i, known, allowed, tops, values)
                if top is None:
                    return None, (tops, values)
                changed.add(i)
            else:
                values[i] = dict(values[i])
            total += top
        return total, (tops, values)

    def _slot_bound(self, i: int, known: int, allowed: dict, tops: list, values: list) -> int | None:
        """The most open slot i can add, given the slots before `known` and the bounds `tops` of the
        open slots before i; the options it looks at are remembered in `values[i]`."""
        top = None
        for option in self._possible(i, known, allowed):
            if top is not None and option.bound <= top:
                break  # option.bound is at least any option's value: no later option can do better
            value = self._value(i, option.tech, known, allowed, tops, values)
            if value is not None and (top is None or value > top):
                top = value
        return top

    def _value(self, i: int, tech: str | None, known: int, allowed: dict, tops: list, values: list):
        """What `tech` can add in open slot i (None: it cannot be there), remembered per node."""
        memo = values[i]
        if tech in memo:
            return memo[tech]
        slot, kept = self.slots[i], self.kept[i]
        value = None
        if (
            (kept is None or tech in kept)
            and (slot not in allowed or tech in allowed[slot])
            and (
                tech is None
                or self.setup.own[(slot, tech)] is None
                or self._compatible(slot, tech, allowed, known)
            )
        ):
            value = self.setup.by_tech[i][tech].unary + self._charged_pairs(
                slot, tech, known, i, allowed, tops, values
            )
        memo[tech] = value
        return value

    def _charged_pairs(
        self, slot: str, tech: str | None, known: int, i: int, allowed: dict, tops: list, values: list
    ) -> int:
        """Pair bonuses of `tech` in open slot i: exactly what it adds to the assigned parts (a pair
        already earned through another slot counts once); with each open slot j before it, the best
        pair less a share of what j loses by holding the partner.

        Why that is a bound: j's true value with partner y is at most tops[j] - loss, loss =
        tops[j] - value(j, y) >= 0. Every later slot charges at most loss // shares[j] of it, and
        shares[j] counts all the later slots that can pair with j, so the charges to j's actual
        option add up to at most its loss: the slots' bounds still sum to a bound. (Slot `known`
        is never charged: it has no bound in the sum.) Options whose value j cannot take are not
        partners at all."""
        partners = self.setup.earlier_partners.get((slot, tech)) if tech is not None else None
        if not partners:
            return 0
        value, open_best = 0, dict[int, int]()
        assign, pair_best, shares = self.assign, self.pair_best, self.setup.shares
        for j, other_slot, other, points, techs, other_bound in partners:
            if j < known:
                if assign[other_slot] == other:
                    value += max(0, points - pair_best.get(techs, 0))
                continue
            best = open_best.get(j, 0)
            if points <= best:
                continue
            if j > known:
                # the partner's option bound caps its value: a charge at least this large is due
                if points - max(0, tops[j] - other_bound) // shares[j] <= best:
                    continue
                memo = values[j]
                partner = (
                    memo[other] if other in memo else self._value(j, other, known, allowed, tops, values)
                )
                if partner is None:
                    continue
                points -= max(0, tops[j] - partner) // shares[j]
            if points > best:
                open_best[j] = points
        return value + sum(open_best.values())
