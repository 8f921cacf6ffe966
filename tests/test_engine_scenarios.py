"""Every public scenario, plus the contract's invariants over every stack of every answer."""

from __future__ import annotations

import pytest

from advisor.engine import ConstraintError, recommend
from tests.engine_helpers import SCENARIOS as SCENARIO_COPY
from tests.engine_helpers import SHARED_SCENARIOS, TODAY, check_invariants, load_scenarios, seed_catalog

SCENARIOS = load_scenarios()


def _check_error(catalog, case) -> None:
    with pytest.raises(ConstraintError) as info:
        recommend(catalog, case["constraints"], today=TODAY)
    assert case["error"] in repr(info.value.errors)
    if case.get("suggest"):
        assert info.value.suggestions, "a clash offers a way out"
        for suggestion in info.value.suggestions:
            assert suggestion["text"]
            recommend(catalog, suggestion["constraints"], today=TODAY)  # each one has a stack


@pytest.mark.parametrize("case", SCENARIOS, ids=[c["name"] for c in SCENARIOS])
def test_public_scenario(case):
    catalog = seed_catalog()
    if "error" in case:
        _check_error(catalog, case)
        return
    result = recommend(catalog, case["constraints"], today=TODAY)
    check_invariants(catalog, result)
    stacks = [s["components"] for s in result["stacks"]]
    top, top3 = stacks[0], stacks[:3]
    for slot, wanted in (case.get("top") or {}).items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        assert top.get(slot) in allowed, f"{slot}: {top.get(slot)} not in {allowed}"
    for slot in case.get("top_none") or []:
        assert slot not in top
    for slug in case.get("not_in_any") or []:
        assert all(slug not in s.values() for s in stacks)
    for slot, slug in (case.get("in_top3") or {}).items():
        assert any(s.get(slot) == slug for s in top3)
    for slug in case.get("top_contains") or []:
        assert slug in top.values(), f"{slug} not in {top}"
    for slug in case.get("not_in_top") or []:
        assert slug not in top.values(), f"{slug} in {top}"
    if case.get("top_any"):
        assert set(case["top_any"]) & set(top.values()), f"none of {case['top_any']} in {top}"
    if case.get("in_top3_any"):
        assert any(set(case["in_top3_any"]) & set(s.values()) for s in top3)
    assert len(stacks) >= 3


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
    try:
        result = recommend(seed_catalog(), constraints, today=TODAY)
    except ConstraintError as err:
        assert err.suggestions, f"a dead end without a way out: {err.errors}"
        return
    check_invariants(seed_catalog(), result)


@pytest.mark.parametrize(
    "must,avoid",
    [
        (["flask"], ["gunicorn"]),
        (["django", "celery"], ["redis"]),
        (["rq"], []),
        (["fastapi", "tortoise-orm"], []),
        (["redis"], []),
        ([], ["postgresql", "mysql"]),
        (["tornado"], []),
        (["aiohttp"], []),
    ],
)
def test_must_use_and_avoid_are_honoured_in_every_stack(must, avoid):
    result = recommend(
        seed_catalog(),
        {"project_kind": "web_app", "must_use": must, "avoid": avoid, "features": ["background_jobs"]},
        today=TODAY,
    )
    check_invariants(seed_catalog(), result)


def test_same_input_gives_the_same_output():
    constraints = {"project_kind": "rest_api", "features": ["caching", "background_jobs"]}
    first = recommend(seed_catalog(), constraints, today=TODAY)
    assert recommend(seed_catalog(), dict(constraints), today=TODAY) == first
    shuffled = {"features": ["background_jobs", "caching", "caching"], "project_kind": "rest_api"}
    assert recommend(seed_catalog(), shuffled, today=TODAY)["stacks"] == first["stacks"]


def test_archived_technologies_leave_recommendations():
    from advisor.engine import Catalog

    catalog = seed_catalog()
    entries = [
        {
            "slug": t.slug,
            "name": t.name,
            "slots": list(t.slots),
            "ratings": dict(t.ratings),
            "capabilities": sorted(t.capabilities),
            "status": "archived" if t.slug == "django" else t.status,
        }
        for t in catalog.techs.values()
    ]
    rules = {}
    for rule in catalog.rules:
        rules.setdefault(rule.owner, []).append(
            {
                "kind": rule.kind,
                "targets": list(rule.targets),
                "slot": rule.slot,
                "when_in": rule.when_in,
                "strength": rule.strength,
                "reason": rule.reason,
            }
        )
    for entry in entries:
        entry["rules"] = rules.get(entry["slug"], [])
    archived = Catalog.from_entries(entries, version=2)
    result = recommend(archived, {"project_kind": "web_app", "features": ["admin_ui"]}, today=TODAY)
    assert all("django" not in s["components"].values() for s in result["stacks"])
    with pytest.raises(ConstraintError) as info:
        recommend(archived, {"project_kind": "web_app", "must_use": ["django"]}, today=TODAY)
    assert "django" in repr(info.value.errors)


@pytest.mark.skipif(not SHARED_SCENARIOS.exists(), reason="../shared is not beside the repository")
def test_the_copy_of_the_public_scenarios_is_current():
    """tests/scenarios/public.yaml is ../shared's file, byte for byte: copy it again when it changes."""
    assert SCENARIO_COPY.read_bytes() == SHARED_SCENARIOS.read_bytes()
