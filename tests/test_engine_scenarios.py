"""Every public scenario, plus the contract's invariants over every stack of every answer."""

from __future__ import annotations

import pytest

from advisor.engine import ConstraintError, recommend
from tests.engine_helpers import check_invariants, load_scenarios, seed_catalog

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["name"] for c in SCENARIOS])
def test_public_scenario(case):
    catalog = seed_catalog()
    if "error" in case:
        with pytest.raises(ConstraintError) as info:
            recommend(catalog, case["constraints"])
        assert case["error"] in repr(info.value.errors)
        return
    result = recommend(catalog, case["constraints"])
    check_invariants(catalog, result)
    top = result["stacks"][0]["components"]
    for slot, wanted in (case.get("top") or {}).items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        assert top.get(slot) in allowed, f"{slot}: {top.get(slot)} not in {allowed}"
    for slot in case.get("top_none") or []:
        assert slot not in top
    for slug in case.get("not_in_any") or []:
        assert all(slug not in s["components"].values() for s in result["stacks"])
    for slot, slug in (case.get("in_top3") or {}).items():
        assert any(s["components"].get(slot) == slug for s in result["stacks"][:3])
    assert len(result["stacks"]) >= 3


KINDS = ["rest_api", "web_app", "microservice", "realtime", "ml_service", "scripts"]
VARIANTS = [
    {},
    {"features": ["background_jobs", "caching", "user_accounts"], "scale": "large"},
    {"features": ["websockets", "pubsub"], "workload": "io_bound", "deployment": "kubernetes"},
    {"data_model": "document", "team_experience": "beginner", "priorities": {"simplicity": 5}},
    {"data_model": "key_value", "features": ["scheduled_jobs", "guaranteed_delivery"]},
    {"features": ["graphql", "api_docs", "social_login", "full_text_search"], "deployment": "serverless"},
    {"data_model": "mixed", "features": ["ml_inference", "event_streaming"], "workload": "cpu_bound"},
    {"scale": "prototype", "deployment": "paas", "priorities": {"typing": 5, "dev_speed": 5}},
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", range(len(VARIANTS)))
def test_invariants_hold_across_the_constraint_space(kind, variant):
    constraints = {"project_kind": kind, **VARIANTS[variant]}
    result = recommend(seed_catalog(), constraints)
    check_invariants(seed_catalog(), result)


@pytest.mark.parametrize("must,avoid", [
    (["flask"], ["gunicorn"]),
    (["django", "celery"], ["redis"]),
    (["rq"], []),
    (["fastapi", "tortoise-orm"], []),
    (["redis"], []),
    ([], ["postgresql", "mysql"]),
    (["tornado"], []),
    (["aiohttp"], []),
])
def test_must_use_and_avoid_are_honoured_in_every_stack(must, avoid):
    result = recommend(seed_catalog(), {"project_kind": "web_app", "must_use": must, "avoid": avoid,
                                        "features": ["background_jobs"]})
    check_invariants(seed_catalog(), result)


def test_same_input_gives_the_same_output():
    constraints = {"project_kind": "rest_api", "features": ["caching", "background_jobs"]}
    first = recommend(seed_catalog(), constraints)
    assert recommend(seed_catalog(), dict(constraints)) == first
    shuffled = {"features": ["background_jobs", "caching", "caching"], "project_kind": "rest_api"}
    assert recommend(seed_catalog(), shuffled)["stacks"] == first["stacks"]


def test_scripts_need_no_framework_and_jobs_bring_a_queue_and_broker():
    result = recommend(seed_catalog(), {"project_kind": "scripts"})
    top = result["stacks"][0]["components"]
    assert "framework" not in top and "server" not in top and "task_queue" not in top
    jobs = recommend(seed_catalog(), {"project_kind": "web_app", "features": ["background_jobs"]})
    assert {"task_queue", "broker"} <= set(jobs["stacks"][0]["components"])
    assert "graphql" not in jobs["stacks"][0]["components"]


def test_reasons_explain_why_first_beat_second():
    result = recommend(seed_catalog(), {"project_kind": "rest_api", "priorities": {"performance": 5}})
    first, second = result["stacks"][:2]
    for stack in (first, second):
        assert all(r["text"] for r in stack["reasons"])
        assert {r["slot"] for r in stack["reasons"]} >= set(stack["components"])
    assert first["score"] >= second["score"]
    assert result["alternatives"], "runner-up alternatives per slot"
    for slot, rows in result["alternatives"].items():
        for row in rows:
            assert row["delta"] <= 0
            assert row["technology"] != first["components"].get(slot)


def test_changing_priorities_changes_the_answer_for_the_stated_reasons():
    fast = recommend(seed_catalog(), {"project_kind": "rest_api", "workload": "io_bound",
                                      "priorities": {"performance": 5, "typing": 5}})
    admin = recommend(seed_catalog(), {"project_kind": "web_app", "features": ["admin_ui"],
                                       "priorities": {"dev_speed": 5, "maturity": 5}})
    assert fast["stacks"][0]["components"]["framework"] != admin["stacks"][0]["components"]["framework"]
    admin_reason = next(r for r in admin["stacks"][0]["reasons"] if r["slot"] == "framework")
    assert "admin" in admin_reason["text"].lower()


def test_archived_technologies_leave_recommendations():
    from advisor.engine import Catalog

    catalog = seed_catalog()
    entries = [{"slug": t.slug, "name": t.name, "slots": list(t.slots), "ratings": dict(t.ratings),
                "capabilities": sorted(t.capabilities),
                "status": "archived" if t.slug == "django" else t.status} for t in catalog.techs.values()]
    rules = {}
    for rule in catalog.rules:
        rules.setdefault(rule.owner, []).append(
            {"kind": rule.kind, "targets": list(rule.targets), "slot": rule.slot,
             "when_in": rule.when_in, "strength": rule.strength, "reason": rule.reason})
    for entry in entries:
        entry["rules"] = rules.get(entry["slug"], [])
    archived = Catalog.from_entries(entries, version=2)
    result = recommend(archived, {"project_kind": "web_app", "features": ["admin_ui"]})
    assert all("django" not in s["components"].values() for s in result["stacks"])
    with pytest.raises(ConstraintError) as info:
        recommend(archived, {"project_kind": "web_app", "must_use": ["django"]})
    assert "django" in repr(info.value.errors)
