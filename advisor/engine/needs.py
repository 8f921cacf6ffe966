"""Which slots a project needs, what their candidates must be able to do, and what each slot weighs."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog

# Relative weight of a slot in a score (normalised over the slots a stack has).
SLOT_WEIGHTS = {
    "framework": 22,
    "server": 6,
    "process_manager": 2,
    "async_worker": 2,
    "realtime": 8,
    "channel_layer": 3,
    "rest_toolkit": 4,
    "database": 14,
    "db_driver": 6,
    "orm": 9,
    "migrations": 3,
    "search": 6,
    "cache": 5,
    "task_queue": 9,
    "scheduler": 5,
    "broker": 7,
    "broker_client": 3,
    "validation": 5,
    "api_docs": 4,
    "graphql": 6,
    "auth": 5,
    "http_client": 3,
    "ml_library": 8,
    "config": 2,
    "testing": 3,
    "observability": 3,
    "deployment": 3,
}
CATALOG_ONLY_WEIGHT = 2
# Slots a stack gets only because a part it holds requires one (Channels needs a channel layer).
COMPANION_SLOTS = ("async_worker", "channel_layer", "broker")
MESSAGING_FEATURES = {"event_streaming", "pubsub", "guaranteed_delivery"}
SYNC_SLOTS = ("db_driver", "http_client", "broker_client")


@dataclass(frozen=True)
class SlotNeed:
    """A slot the stack has. An optional slot may stay empty (scoring `empty_fit`); `demands` are
    capability groups every candidate must meet (one capability of each group); a companion slot is
    only filled when a part of the stack requires it."""

    slot: str
    optional: bool
    why: str
    empty_fit: float = 0.3
    empty_text: str = "nothing fits this project well enough."
    demands: tuple[frozenset[str], ...] = ()
    companion: bool = False

    def admits(self, capabilities: frozenset[str]) -> bool:
        return all(group & capabilities for group in self.demands)


class _Needs:
    """Collects the needs of one project; a later, stricter statement of a slot wins."""

    def __init__(self) -> None:
        self.by_slot: dict[str, SlotNeed] = {}

    def add(self, slot: str, optional: bool, why: str, **extra) -> None:
        known = self.by_slot.get(slot)
        if known is None or (known.optional and not optional):
            self.by_slot[slot] = SlotNeed(slot, optional, why, **extra)

    def demand(self, slot: str, *capabilities: str) -> None:
        need = self.by_slot.get(slot)
        if need is not None:
            group = frozenset(capabilities)
            self.by_slot[slot] = SlotNeed(
                need.slot,
                need.optional,
                need.why,
                need.empty_fit,
                need.empty_text,
                need.demands + (group,),
                need.companion,
            )


def needed_slots(c: dict, catalog: Catalog) -> list[SlotNeed]:
    """The slots of every stack for these constraints, in display order (companions excluded)."""
    needs = _Needs()
    kind, feats = c["project_kind"], set(c["features"])
    if kind != "scripts":
        _web_slots(needs, c, feats)
    _data_slots(needs, c, feats)
    _job_slots(needs, c, feats, kind)
    _feature_slots(needs, c, feats, kind)
    needs.add("testing", True, "every project needs tests")
    needs.add(
        "deployment",
        True,
        f"you deploy to {v.DEPLOYMENT_TARGETS[c['deployment']]}",
        demands=(frozenset({f"deploy_{c['deployment']}"}),),
    )
    _demands(needs, c, feats, kind)
    for slug in c["must_use"]:
        tech = catalog.techs.get(slug)
        if tech and tech.slots and not any(s in needs.by_slot for s in tech.slots):
            needs.add(tech.slots[0], False, f"you must use {tech.name}")
    return _ordered(needs.by_slot.values())


def _web_slots(needs: _Needs, c: dict, feats: set[str]) -> None:
    needs.add("framework", False, "every web project needs a framework")
    needs.add("server", False, "the app needs a server that speaks its interface (WSGI or ASGI)")
    if c["deployment"] != "serverless":
        needs.add(
            "process_manager",
            True,
            "a process manager restarts crashed workers and runs one per core",
            empty_fit=0.75,
            empty_text="the server runs and restarts its own workers.",
        )
    needs.add("validation", True, "requests should be checked at the edge")
    needs.add("config", True, "settings should come from the environment")
    needs.add("observability", True, "a running service should report errors and metrics")
    if "websockets" in feats or c["project_kind"] == "realtime":
        needs.add("realtime", False, "WebSockets need a server and framework that keep connections open")
    if c["project_kind"] in ("rest_api", "microservice"):
        needs.add(
            "rest_toolkit",
            True,
            "an API project may want a REST toolkit for its framework",
            empty_fit=0.6,
            empty_text="the framework serves APIs without an add-on toolkit.",
        )


def _data_slots(needs: _Needs, c: dict, feats: set[str]) -> None:
    needs.add("database", False, "the project keeps data")
    needs.add("db_driver", False, "the database needs a driver")
    if c["data_model"] in ("relational", "mixed"):
        needs.add("orm", True, "relational data is easier to work with through an ORM")
        needs.add(
            "migrations",
            True,
            "a relational schema changes with the code: migrations keep them in step",
            empty_text="schema changes are applied by hand.",
        )
    elif c["data_model"] == "document":
        needs.add(
            "orm",
            True,
            "an object-document mapper gives documents a schema and validation",
            empty_fit=0.5,
            empty_text="the driver's plain documents are enough.",
        )
    if "full_text_search" in feats:
        needs.add("search", False, "you asked for full-text search")
    web = c["project_kind"] != "scripts"
    if "caching" in feats:
        needs.add("cache", False, "you asked for caching")
    elif c["scale"] in ("medium", "large") and web:
        needs.add("cache", True, "at this scale a cache takes load off the database")


def _job_slots(needs: _Needs, c: dict, feats: set[str], kind: str) -> None:
    jobs = feats & {"background_jobs", "scheduled_jobs"}
    if kind == "scripts":
        if "scheduled_jobs" in feats:
            needs.add("scheduler", False, "scheduled scripts need something that starts them on time")
        if "background_jobs" in feats:
            needs.add("task_queue", False, "background jobs need a task queue")
            needs.add("broker", False, "a task queue needs a broker")
        return
    if jobs:
        needs.add("task_queue", False, "background or scheduled jobs need a task queue")
        needs.add("broker", False, "a task queue needs a broker")
    elif c["workload"] == "cpu_bound":
        why = (
            "CPU-heavy work belongs in worker processes off the request path: one Python process "
            "computes on one core at a time (the GIL), so long computations would stall requests"
        )
        needs.add("task_queue", False, why)
        needs.add("broker", False, "a task queue needs a broker")


def _feature_slots(needs: _Needs, c: dict, feats: set[str], kind: str) -> None:
    if feats & MESSAGING_FEATURES:
        needs.add("broker", False, "streaming, pub/sub or guaranteed delivery need a broker")
        needs.add("broker_client", True, "services talk to the broker through a client library")
    if "api_docs" in feats:
        needs.add("api_docs", False, "you asked for API documentation")
    if "graphql" in feats:
        needs.add("graphql", False, "you asked for GraphQL")
    if "social_login" in feats:
        needs.add("auth", False, "social login needs an OAuth library")
    elif "user_accounts" in feats:
        needs.add("auth", False, "user accounts need something that stores users and hashes passwords")
    if kind in ("microservice", "ml_service", "scripts"):
        needs.add("http_client", True, "services and scripts call other HTTP APIs")
    if "ml_inference" in feats or kind == "ml_service":
        needs.add("ml_library", False, "the project serves a model")


def _demands(needs: _Needs, c: dict, feats: set[str], kind: str) -> None:
    """What candidates must be able to do, from the constraints (the catalog's capabilities say who can)."""
    if "social_login" in feats:
        needs.demand("auth", "social_login")
    elif "user_accounts" in feats:
        needs.demand("auth", "password_hashing")
    if kind == "scripts":
        for slot in SYNC_SLOTS:
            needs.demand(slot, "sync")
    if c["deployment"] == "serverless":
        needs.demand("task_queue", "serverless_friendly")
        needs.demand("broker", "serverless_friendly")
    if "websockets" in feats or kind == "realtime":
        needs.demand("realtime", "websockets")


def companion_need(slot: str, owner_name: str) -> SlotNeed:
    """The need of a slot a chosen part brings with it; empty (full marks) unless a part requires it."""
    return SlotNeed(
        slot,
        True,
        f"{owner_name} needs one",
        empty_fit=1.0,
        empty_text="no part of this stack needs one.",
        companion=True,
    )


def _ordered(needs) -> list[SlotNeed]:
    order = {s: i for i, s in enumerate(v.STACK_SLOTS)}
    return sorted(needs, key=lambda n: (order.get(n.slot, len(order)), n.slot))


def slot_weight(slot: str) -> int:
    return SLOT_WEIGHTS.get(slot, CATALOG_ONLY_WEIGHT)
