"""What the open slots of a search node allow and can still earn: the bound that prunes the search.

Each open slot is bounded by its best compatible option: its points, the exact bonuses it adds to
the parts placed so far, and the best bonus it can earn with each later linked slot (a bonus
between two open slots is counted at the earlier one: `links`). The slot being branched on is not
in this sum: its options are tried one by one, each with its exact value and what placing it leaves
to the linked later slots (`_Search._ahead`).
"""

from __future__ import annotations

from advisor.engine.links import Links
from advisor.engine.plan import Plan
from advisor.engine.problem import Placement


class OpenSlots:
    """The bound of a search node; mixed into the search, whose state it reads."""

    setup: Plan
    links: Links
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

    def _open_bound(self, known: int, allowed: dict, inherited: list) -> tuple[int | None, list]:
        """Best case of the slots after `known` (those before it are assigned; slot `known` is being
        chosen and bounded by its own option), None when one of them has nothing compatible left;
        and the slots' bounds, for the children.

        `inherited` are the parent's: a slot keeps its bound unless a pair, a rule or a conflict
        links it to the part just placed (`Links.linked_after`): then it earns its exact bonus with
        that part, which only a new bound can say. What the others keep is still a bound: more
        placed parts only allow less, and never add to a slot's bonuses but through a link."""
        if not self._pending_can_be_met(known, allowed):
            return None, inherited
        tops = list(inherited)
        touched = self.links.linked_after[known - 1] if known else None
        total = 0
        for i in range(known + 1, self.n):
            top = tops[i]
            if top is None or touched is None or i in touched:
                top = tops[i] = self._slot_bound(i, known, allowed)
                if top is None:
                    return None, tops
            total += top
        return total, tops

    def _slot_bound(self, i: int, known: int, allowed: dict) -> int | None:
        """The most open slot i can add, given the slots before `known`: its best compatible
        option's points, its exact bonuses with the placed parts and the bonuses it carries for the
        later slots (`Links`)."""
        top = None
        slot, kept, own, links = self.slots[i], self.kept[i], self.setup.own, self.links
        limit = allowed.get(slot)
        options = links.among(known, i, limit) if limit is not None else links.given(known, i, self.assign)
        for key, option, value, _ in options:
            if top is not None and key <= top:
                break  # key is at least the option's value: no later option can do better
            tech = option.tech
            if (kept is None or tech in kept) and (
                tech is None or own[(slot, tech)] is None or self._compatible(slot, tech, allowed, known)
            ):
                value += self._placed_pairs(slot, tech, known)
                if top is None or value > top:
                    top = value
        return top

    def _placed_pairs(self, slot: str, tech: str | None, known: int) -> int:
        """The bonuses `tech` in `slot` adds to the parts placed before `known` (a pair already
        earned through another slot counts once)."""
        partners = self.setup.earlier_partners.get((slot, tech))
        if not partners:
            return 0
        value, assign, pair_best = 0, self.assign, self.pair_best
        for j, other_slot, other, points, techs in partners:
            if j < known and assign[other_slot] == other:
                gain = points - pair_best.get(techs, 0)
                if gain > 0:
                    value += gain
        return value
