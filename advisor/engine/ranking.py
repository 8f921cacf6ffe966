"""A short list of stacks that differ in a decision that matters, each the best stack for its choice.

Stack #1 is the exact optimum. Each further stack is the best stack that makes a choice none of the
listed stacks makes in one core slot (another framework, database, ORM, queue, broker, cache or
WebSocket layer first; another server or driver only when no such choice is left), so any two listed
stacks differ in a core slot and each is the best stack holding what sets it apart. A framework the
team already knows, if it can serve the project at all, is among the first three.
"""

from __future__ import annotations

from advisor.engine.model import Model
from advisor.engine.vocabulary import CORE_SLOTS
from advisor.engine.search import Problem, Ranked, Searcher

MAJOR_SLOTS = ("framework", "database", "orm", "realtime", "task_queue", "broker", "cache")
MINOR_SLOTS = ("server", "db_driver")
FAMILIAR_WITHIN = 3


class Ranking:
    """Chooses the listed stacks with as few searches as possible (results are reused per exclusion)."""

    def __init__(self, model: Model):
        self.problem: Problem = model.problem
        self.searcher = Searcher(model.problem)
        self.familiar = [f for f in model.constraints["familiar_with"]
                         if f in self.problem.candidates.get("framework", ())]
        self._found: dict[tuple[str, frozenset], Ranked | None] = {}

    def stacks(self, k: int) -> list[Ranked]:
        top = self.searcher.best()
        if top is None:
            return []
        chosen = [top]
        while len(chosen) < k:
            pick = self._next(chosen)
            if pick is None:
                break
            chosen.append(pick)
        return self._with_familiar(chosen, k)

    def _apart(self, a: Ranked, b: Ranked) -> bool:
        """Whether two stacks differ in a core slot."""
        return any(a.assign.get(s) != b.assign.get(s) for s in CORE_SLOTS if s in self.problem.candidates)

    def _without(self, slot: str, taken: frozenset) -> Ranked | None:
        """The best stack whose `slot` holds none of `taken` (None: the slot left empty)."""
        key = (slot, taken)
        if key not in self._found:
            known = [r for r in self._found.values() if r is not None]
            self._found[key] = self.searcher.best(drop={slot: taken}, known=known)

        return self._found[key]

    def _next(self, chosen: list[Ranked]) -> Ranked | None:
        # A real alternative first (another technology in a major slot); dropping an optional part
        # or changing only the server or driver comes after.
        for group, drop_empty in ((MAJOR_SLOTS, True), (MAJOR_SLOTS + MINOR_SLOTS, False)):
            found = []
            for slot in group:
                if slot in self.problem.candidates:
                    taken = frozenset(s.assign[slot] for s in chosen) | ({None} if drop_empty else set())
                    if (r := self._without(slot, taken)):
                        found.append(r)
            if found:
                return min(found)
        return None

    def _with_familiar(self, chosen: list[Ranked], k: int) -> list[Ranked]:
        """Make room among the first three for the best stack on a framework the team knows."""
        for framework in self.familiar:
            if any(s.assign["framework"] == framework for s in chosen[:FAMILIAR_WITHIN]):
                continue
            own = self.searcher.best(keep={"framework": {framework}})
            if own is None:
                continue
            head = chosen[:FAMILIAR_WITHIN - 1]
            tail = [s for s in chosen[FAMILIAR_WITHIN - 1:] if own < s and self._apart(s, own)]
            chosen = sorted(head + [own]) + tail
            break
        return chosen[:k]
