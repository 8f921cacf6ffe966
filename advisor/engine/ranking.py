"""A short list of stacks that differ in a decision that matters, each the best stack for its choice.

Stack #1 is the exact optimum. Then, decision by decision in order of weight (framework, database,
ORM, task queue, WebSocket layer, broker), the best stack that makes a choice none of the listed
stacks makes there: "the best stack not on FastAPI", "the best stack not on PostgreSQL". Any two
listed stacks therefore differ in a core slot, and each is the best stack holding what sets it apart.
Caches, servers and drivers (near drop-in swaps, shown inside each stack as "instead of" options)
make a stack of their own only when no such decision is left, and leaving an optional part out
last. A framework the team already knows, if it can serve the project at all, is the framework
alternative and among the first three.
"""

from __future__ import annotations

from advisor.engine.model import Model
from advisor.engine.needs import slot_weight
from advisor.engine.problem import Ranked
from advisor.engine.search import Searcher
from advisor.engine.vocabulary import CORE_SLOTS

MAJOR_SLOTS = ("framework", "database", "orm", "realtime", "task_queue", "broker")
MINOR_SLOTS = ("cache", "server", "db_driver")
FAMILIAR_WITHIN = 3


class Ranking:
    """Chooses the listed stacks; each is one exact search of the problem with one slot narrowed."""

    def __init__(self, model: Model):
        self.problem = model.problem
        self.searcher = Searcher(model.problem, watch=MAJOR_SLOTS + MINOR_SLOTS)
        companions = {n.slot for n in model.needs if n.companion}
        self.core = [s for s in CORE_SLOTS if s in self.problem.candidates]
        choosable = [s for s in self.problem.candidates if s not in companions]
        self.major = sorted((s for s in MAJOR_SLOTS if s in choosable), key=lambda s: -slot_weight(s))
        self.minor = [s for s in MINOR_SLOTS if s in choosable]
        self.familiar = [
            f for f in model.constraints["familiar_with"] if f in self.problem.candidates.get("framework", ())
        ]
        self.found: list[Ranked] = []

    def stacks(self, k: int) -> list[Ranked]:
        top = self.searcher.best()
        if top is None:
            return []
        chosen = [top]
        for slots, leave_out in (
            (self.major, False),
            (self.major + self.minor, False),
            (self.major + self.minor, True),
        ):
            self._rounds(chosen, k, slots, leave_out)
        return self._with_familiar(sorted(chosen), k)

    def _rounds(self, chosen: list[Ranked], k: int, slots: list[str], leave_out: bool) -> None:
        """Visit the slots in turn, adding the best stack with a new choice in each, until k stacks
        are listed or a whole turn adds nothing."""
        added = True
        while added and len(chosen) < k:
            added = False
            for slot in slots:
                if len(chosen) == k:
                    return
                stack = self._new_choice(chosen, slot, leave_out)
                if stack is not None:
                    chosen.append(stack)
                    added = True

    def _new_choice(self, chosen: list[Ranked], slot: str, leave_out: bool) -> Ranked | None:
        taken = {s.assign[slot] for s in chosen}
        if slot == "framework":
            for framework in self.familiar:
                if framework not in taken:
                    return self._search(keep={slot: {framework}})
        return self._search(drop={slot: taken if leave_out else taken | {None}})

    def _search(self, keep=None, drop=None) -> Ranked | None:
        stack = self.searcher.best(keep=keep, drop=drop, known=self.found)
        if stack is not None:
            self.found.append(stack)
        return stack

    def _apart(self, a: Ranked, b: Ranked) -> bool:
        """Whether two stacks differ in a core slot."""
        return any(a.assign.get(s) != b.assign.get(s) for s in self.core)

    def _with_familiar(self, chosen: list[Ranked], k: int) -> list[Ranked]:
        """Make room among the first three for the best stack on a framework the team knows."""
        for framework in self.familiar:
            own = next((s for s in chosen if s.assign["framework"] == framework), None)
            if own is None or own in chosen[:FAMILIAR_WITHIN]:
                continue
            head = chosen[: FAMILIAR_WITHIN - 1]
            tail = [s for s in chosen[FAMILIAR_WITHIN - 1 :] if own < s and self._apart(s, own)]
            return sorted(head + [own]) + tail
        return chosen[:k]
