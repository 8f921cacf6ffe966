"""Which slots a project needs, from its constraints; and how much each slot weighs in a score."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine.catalog import Catalog
from advisor.engine.vocabulary import STACK_SLOTS

# Relative weight of a slot in the unary part of a score (normalised over the slots a stack has).
SLOT_WEIGHTS = {
    "framework": 22, "server": 6, "rest_toolkit": 4, "database": 14, "db_driver": 6, "orm": 9,
    "cache": 5, "task_queue": 9, "broker": 7, "broker_client": 3, "validation": 5, "api_docs": 4,
    "graphql": 6, "auth": 5, "http_client": 3, "ml_library": 8, "config": 2, "testing": 3,
    "observability": 3, "deployment": 3,
}
CATALOG_ONLY_WEIGHT = 2
MESSAGING_FEATURES = {"event_streaming", "pubsub", "guaranteed_delivery"}


@dataclass(frozen=True)
class SlotNeed:
    """A slot the stack has; an optional slot may stay empty when nothing fits well."""

    slot: str
    optional: bool
    why: str
    empty_fit: float = 0.3       # how an empty optional slot scores, as a fit in [0, 1]
    empty_text: str = "nothing fits this project well enough."


def needed_slots(c: dict, catalog: Catalog) -> list[SlotNeed]:
    """The slots of every stack for these constraints, in display order."""
    kind, feats, scale = c["project_kind"], set(c["features"]), c["scale"]
    web = kind != "scripts"
    needs: dict[str, SlotNeed] = {}

    def need(slot: str, optional: bool, why: str, **empty) -> None:
        if slot not in needs or (needs[slot].optional and not optional):
            needs[slot] = SlotNeed(slot, optional, why, **empty)

    if web:
        need("framework", False, "every web project needs a framework")
        need("server", False, "the app needs a server that speaks its interface (WSGI or ASGI)")
        need("validation", True, "requests should be validated at the edge")
        need("observability", True, "a running service should report errors and metrics")
    need("database", False, "the project keeps data")
    need("db_driver", False, "the database needs a driver")
    if c["data_model"] in ("relational", "mixed"):
        need("orm", True, "relational data is easier to work with through an ORM")
    if kind in ("rest_api", "microservice"):
        need("rest_toolkit", True, "an API project may want a REST toolkit for its framework",
             empty_fit=0.6, empty_text="most frameworks serve APIs without an add-on toolkit.")
    if "caching" in feats:
        need("cache", False, "you asked for caching")
    elif scale in ("medium", "large") and web:
        need("cache", True, "at this scale a cache takes load off the database")
    if feats & {"background_jobs", "scheduled_jobs"}:
        need("task_queue", False, "background or scheduled jobs need a task queue")
        need("broker", False, "a task queue needs a broker")
    if feats & MESSAGING_FEATURES:
        need("broker", False, "streaming, pub/sub or guaranteed delivery need a broker")
        need("broker_client", True, "services talk to the broker through a client library")
    if "api_docs" in feats:
        need("api_docs", False, "you asked for API documentation")
    if "graphql" in feats:
        need("graphql", False, "you asked for GraphQL")
    if "social_login" in feats:
        need("auth", False, "social login needs an OAuth library")
    elif "user_accounts" in feats:
        need("auth", True, "user accounts need password hashing or tokens")
    if kind in ("microservice", "ml_service", "scripts"):
        need("http_client", True, "services and scripts call other HTTP APIs")
    if "ml_inference" in feats or kind == "ml_service":
        need("ml_library", False, "the project serves a model")
    if web:
        need("config", True, "settings should come from the environment")
    need("testing", True, "every project needs tests")
    need("deployment", True, f"you deploy to {c['deployment']}")
    for slug in c["must_use"]:
        tech = catalog.techs.get(slug)
        if tech and not any(s in needs for s in tech.slots) and tech.slots:
            need(tech.slots[0], False, f"you must use {tech.name}")
    order = {s: i for i, s in enumerate(STACK_SLOTS)}
    return sorted(needs.values(), key=lambda n: (order.get(n.slot, len(order)), n.slot))


def slot_weight(slot: str) -> int:
    return SLOT_WEIGHTS.get(slot, CATALOG_ONLY_WEIGHT)
