"""Helpers for engine tests: the seed catalog straight from YAML, and stack invariants."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from advisor.engine import Catalog
from advisor.engine.vocabulary import CORE_SLOTS, RECOMMENDABLE_STATUSES

TODAY = date(2026, 12, 1)  # fixed, so staleness does not drift with the calendar
WEBSOCKET_LAYERS = ("flask-socketio", "channels", "python-socketio")

ROOT = Path(__file__).resolve().parent.parent
# The public acceptance cases, copied from ../shared (a test checks the copy while ../shared is there),
# so that the suite also runs from a clone without it.
SCENARIOS = ROOT / "tests" / "scenarios" / "public.yaml"
SHARED_SCENARIOS = ROOT.parent / "shared" / "scenarios" / "public.yaml"


# Profiles the scenarios lack (large web apps, event streaming, realtime, ML, CPU-bound, serverless),
# for the advice tests and the benchmarks.
EXTRA_PROFILES = [
    {
        "project_kind": "web_app",
        "features": ["background_jobs", "caching", "user_accounts"],
        "scale": "large",
    },
    {
        "project_kind": "microservice",
        "features": ["event_streaming", "api_docs", "graphql"],
        "scale": "large",
    },
    {"project_kind": "realtime", "features": ["websockets", "pubsub"], "workload": "io_bound"},
    {"project_kind": "ml_service", "features": ["ml_inference", "social_login", "full_text_search"]},
    {"project_kind": "web_app", "features": ["full_text_search", "admin_ui"], "workload": "cpu_bound"},
    {
        "project_kind": "rest_api",
        "features": ["background_jobs", "user_accounts"],
        "deployment": "serverless",
    },
]


@cache
def seed_catalog() -> Catalog:
    entries = []
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        entries.extend(yaml.safe_load(path.read_text()))
    return Catalog.from_entries(entries, version=1)


def load_scenarios() -> list[dict]:
    return yaml.safe_load(SCENARIOS.read_text())


def check_invariants(catalog: Catalog, result: dict) -> None:
    """The contract's invariants, checked from the catalog data, independently of the engine."""
    c = result["constraints"]
    stacks = result["stacks"]
    assert stacks, "no stacks"
    assert [s["rank"] for s in stacks] == list(range(1, len(stacks) + 1))
    scores = [s["score"] for s in stacks]
    assert scores == sorted(scores, reverse=True), "stacks not ordered by score"
    assert len({tuple(sorted(s["components"].items())) for s in stacks}) == len(stacks), "duplicate stacks"
    for i, first in enumerate(stacks):
        for second in stacks[i + 1 :]:
            assert core_apart(first["components"], second["components"]), (
                "two stacks alike in every core slot"
            )
    for stack in stacks:
        comp = stack["components"]
        present = set(comp.values())
        total = round(sum(r["contribution"] for r in stack["reasons"]), 2)
        assert abs(total - stack["score"]) < 0.011, (total, stack["score"])
        assert 0 <= stack["score"] <= 100
        for slot, slug in comp.items():
            tech = catalog.techs[slug]
            assert slot in tech.slots, f"{slug} cannot fill {slot}"
            # Nothing dead: end-of-life (or archived) parts only where the project must use them.
            assert tech.status in RECOMMENDABLE_STATUSES or slug in c["must_use"], (slug, tech.status)
        assert set(c["must_use"]) <= present, "a must-use technology is missing"
        assert not set(c["avoid"]) & present, "an avoided technology is present"
        if c["project_kind"] == "scripts":
            assert "framework" not in comp and "server" not in comp
        # WebSockets are served by an ASGI server, a framework's own server or a WebSocket layer.
        if "websockets" in c["features"]:
            server = catalog.techs[comp["server"]] if "server" in comp else None
            layer = comp.get("realtime") in WEBSOCKET_LAYERS
            own = comp.get("server") == comp.get("framework")
            assert layer or own or (server and server.has("asgi")), f"no WebSockets in {comp}"
        # A driver goes with its own database.
        if "db_driver" in comp:
            driver = catalog.techs[comp["db_driver"]]
            needs = {
                t
                for r in catalog.rules_by_owner.get(driver.slug, ())
                if r.kind == "requires" and r.slot in (None, "database")
                for t in r.targets
                if "database" in catalog.techs[t].slots
            }
            assert comp["database"] in needs, f"{driver.slug} does not drive {comp['database']}"
        # Django-only parts only with Django.
        for slug in present:
            for rule in catalog.rules_by_owner.get(slug, ()):
                if rule.kind == "requires" and rule.targets == ("django",):
                    assert comp.get("framework") == "django", f"{slug} needs Django"
        # ASGI-only frameworks on ASGI servers, WSGI-only ones on WSGI servers.
        if "framework" in comp and comp["framework"] != comp.get("server"):
            fw, server = catalog.techs[comp["framework"]], catalog.techs[comp["server"]]
            if fw.has("asgi") and not fw.has("wsgi"):
                assert server.has("asgi"), f"{fw.slug} on {server.slug}"
            if fw.has("wsgi") and not fw.has("asgi"):
                assert server.has("wsgi"), f"{fw.slug} on {server.slug}"
        if comp.get("task_queue") == "rq":
            assert comp.get("broker") in ("redis", "valkey")
        # Every hard rule of the catalog holds.
        for slug in present:
            for rule in catalog.rules_by_owner.get(slug, ()):
                if rule.when_in and comp.get(rule.when_in) != slug:
                    continue
                if rule.kind == "conflicts":
                    assert not set(rule.targets) & present, f"{slug} conflicts with {rule.targets}"
                if rule.kind == "requires":
                    if rule.slot is None:
                        assert set(rule.targets) & present, f"{slug} requires one of {rule.targets}"
                    elif rule.slot in result_slots(result):
                        assert comp.get(rule.slot) in rule.targets, (slug, rule)


def core_apart(a: dict, b: dict) -> bool:
    """Whether two stacks' components differ in a core slot."""
    return any(a.get(slot) != b.get(slot) for slot in CORE_SLOTS)


def result_slots(result: dict) -> set[str]:
    return {s["slot"] for s in result["slots"]}
