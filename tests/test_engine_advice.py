"""The advice rules: distinct alternatives, whole stacks that work, what the team knows, honest
scores and reasons, nothing dead, and a way out of every clash."""

from __future__ import annotations

import re

import pytest

from advisor.engine import ConstraintError, recommend
from advisor.engine import vocabulary as v
from advisor.engine.fit import FAMILIAR_FRAMEWORK
from tests.engine_helpers import EXTRA_PROFILES, TODAY, check_invariants, load_scenarios, seed_catalog

PROFILES = [c["constraints"] for c in load_scenarios() if "error" not in c] + EXTRA_PROFILES


def run(**constraints) -> dict:
    result = recommend(seed_catalog(), constraints, today=TODAY)
    check_invariants(seed_catalog(), result)
    return result


def top(result: dict) -> dict:
    return result["stacks"][0]["components"]


def texts(result: dict) -> list[str]:
    """Every sentence a result shows."""
    out = [s["why"] for s in result["slots"]] + [w["text"] for w in result["warnings"]]
    for stack in result["stacks"]:
        out += [r["text"] for r in stack["reasons"]]
        if "trades" in stack:
            out.append(stack["trades"]["summary"])
    return out


@pytest.mark.parametrize("constraints", PROFILES, ids=lambda c: c["project_kind"])
def test_the_top_three_differ_in_a_core_slot_and_are_exact_bests(constraints):
    result = run(**constraints)
    assert len(result["stacks"]) >= 3
    for stack in result["stacks"][1:]:
        assert stack["trades"]["changes"], "an alternative says what it trades"
        assert any(ch["slot"] in v.CORE_SLOTS for ch in stack["trades"]["changes"])


INTERNAL_CODES = sorted(
    {
        code
        for group in (
            v.PROJECT_KINDS,
            v.FEATURES,
            v.WORKLOADS,
            v.SLOTS,
            v.CAPABILITIES,
            v.PRIORITY_AXES,
            v.RATING_AXES,
            v.STATUSES,
        )
        for code in group
        if "_" in code
    }
    | {"paas"}
)


@pytest.mark.parametrize("constraints", PROFILES, ids=lambda c: c["project_kind"])
def test_reasons_speak_plain_words(constraints):
    for text in texts(run(**constraints)):
        assert text.strip()
        for code in INTERNAL_CODES:
            assert not re.search(rf"(?<![\w.-]){re.escape(code)}(?![\w-])", text), f"{code!r} in {text!r}"


def test_scores_read_as_a_share_of_the_best_fit_and_bars_are_absolute():
    result = run(project_kind="rest_api", features=["caching"], scale="medium")
    assert "share of the best fit" in result["score_basis"]
    scores = [s["score"] for s in result["stacks"]]
    assert 0 < scores[-1] <= scores[0] <= 100
    for stack in result["stacks"]:
        for fit in stack["fits"].values():
            assert fit is None or 0 <= fit <= 1
        assert set(stack["fits"]) == {s["slot"] for s in result["slots"]}
        assert round(sum(stack["weights"].values())) == 100


def test_a_technology_in_two_slots_is_one_part():
    result = run(project_kind="web_app", features=["caching", "background_jobs"], must_use=["redis", "rq"])
    stack = result["stacks"][0]
    assert stack["components"]["cache"] == stack["components"]["broker"] == "redis"
    parts = [p["technology"] for p in stack["parts"]]
    assert parts.count("redis") == 1
    assert next(p for p in stack["parts"] if p["technology"] == "redis")["slots"] == ["cache", "broker"]
    assert len({t["technology"] for t in stack["tradeoffs"]}) == len(stack["tradeoffs"])


def test_pair_bonuses_count_only_in_the_roles_the_rule_names():
    """Celery works well with Redis as its broker, not with Redis as the cache beside RabbitMQ."""
    result = run(
        project_kind="web_app",
        features=["caching", "background_jobs"],
        must_use=["celery", "rabbitmq", "redis"],
    )
    stack = result["stacks"][0]
    assert stack["components"]["broker"] == "rabbitmq" and stack["components"]["cache"] == "redis"
    pairs = [r for r in stack["reasons"] if r["kind"] == "pair"]
    assert not any({r["technology"], r["partner"]} == {"celery", "redis"} for r in pairs)
    assert any({r["technology"], r["partner"]} == {"celery", "rabbitmq"} for r in pairs)


def test_the_framework_the_team_knows_is_among_the_first_three_and_says_so():
    for framework, constraints in (
        ("django", {"project_kind": "rest_api", "scale": "medium"}),
        ("quart", {"project_kind": "rest_api", "workload": "io_bound"}),
        ("flask", {"project_kind": "microservice", "priorities": {"performance": 5}}),
    ):
        result = run(**constraints, familiar_with=[framework])
        holder = next(s for s in result["stacks"][:3] if s["components"]["framework"] == framework)
        reason = next(r for r in holder["reasons"] if r["slot"] == "framework")
        assert "already knows" in reason["text"] and seed_catalog().techs[framework].name in reason["text"]
    assert FAMILIAR_FRAMEWORK >= 0.25, "the weight the README documents"


def test_a_framework_fills_the_slots_it_already_does():
    stack = run(project_kind="web_app", features=["user_accounts", "admin_ui"], must_use=["django"])[
        "stacks"
    ][0]
    for slot in ("auth", "validation", "config"):
        assert stack["components"][slot] == "django"
        reason = next(r for r in stack["reasons"] if r["slot"] == slot)
        assert reason["kind"] == "builtin" and "Built into Django" in reason["text"]
    assert stack["components"]["orm"] == "django-orm"


def test_user_accounts_get_something_that_hashes_passwords():
    for framework in ("fastapi", "flask", "litestar"):
        stack = run(project_kind="rest_api", features=["user_accounts"], must_use=[framework])["stacks"][0]
        assert seed_catalog().techs[stack["components"]["auth"]].has("password_hashing")


def test_websockets_come_with_something_that_serves_them():
    flask = top(run(project_kind="realtime", features=["websockets"], must_use=["flask"]))
    assert flask["realtime"] == "flask-socketio" and flask["server"] == "gunicorn"
    assert flask["async_worker"] in ("gevent", "simple-websocket")
    django = top(run(project_kind="web_app", features=["websockets"], must_use=["django"]))
    assert django["realtime"] == "channels" and django["channel_layer"] == "channels-redis"
    assert seed_catalog().techs[django["server"]].has("asgi")


def test_gunicorn_can_manage_uvicorn_workers_for_an_asgi_app():
    result = run(project_kind="rest_api", must_use=["fastapi", "gunicorn"])
    stack = result["stacks"][0]
    assert stack["components"]["server"] == "uvicorn" and stack["components"]["process_manager"] == "gunicorn"
    reason = next(r for r in stack["reasons"] if r["slot"] == "process_manager")
    assert "Gunicorn" in reason["text"]


def test_serverless_runs_nothing_always_on():
    result = run(project_kind="rest_api", deployment="serverless", features=["background_jobs"])
    catalog = seed_catalog()
    for stack in result["stacks"]:
        comp = stack["components"]
        assert catalog.techs[comp["deployment"]].has("deploy_serverless")
        for slot in ("task_queue", "broker"):
            assert catalog.techs[comp[slot]].has("serverless_friendly"), comp
        assert "process_manager" not in comp
    assert any("pooler" in r["text"] for r in result["stacks"][0]["reasons"] if r["slot"] == "database")


def test_scripts_get_no_framework_sync_drivers_and_a_scheduler():
    result = run(project_kind="scripts", features=["scheduled_jobs"], data_model="relational")
    catalog = seed_catalog()
    for stack in result["stacks"]:
        comp = stack["components"]
        assert not {"framework", "server", "broker", "task_queue"} & set(comp)
        assert "scheduler" in comp
        for slot in ("db_driver", "http_client"):
            if slot in comp:
                assert catalog.techs[comp[slot]].has("sync"), comp[slot]


def test_cpu_bound_work_is_offloaded_and_the_reason_says_why():
    result = run(project_kind="web_app", workload="cpu_bound")
    comp = top(result)
    assert "task_queue" in comp and "broker" in comp
    why = next(s["why"] for s in result["slots"] if s["slot"] == "task_queue")
    assert "GIL" in why


def test_nothing_past_its_end_of_life_unless_it_must_be_used():
    assert all(
        "motor" not in s["components"].values()
        for s in run(project_kind="rest_api", data_model="document", workload="io_bound")["stacks"]
    )
    result = run(project_kind="rest_api", data_model="document", must_use=["motor"])
    assert top(result)["db_driver"] == "motor"
    warning = next(w for w in result["warnings"] if w["technology"] == "motor")
    assert warning["successor"] == "pymongo" and "PyMongo" in warning["text"]


def test_stale_and_deprecated_parts_lose_fit_with_a_reason():
    result = run(project_kind="web_app", must_use=["uwsgi", "flask"])
    reason = next(r for r in result["stacks"][0]["reasons"] if r["slot"] == "server")
    assert "maintenance" in reason["text"]


@pytest.mark.parametrize(
    "constraints",
    [
        {"project_kind": "web_app", "must_use": ["flask", "django-orm"]},
        {
            "project_kind": "rest_api",
            "must_use": ["fastapi"],
            "avoid": ["uvicorn", "hypercorn", "daphne", "granian"],
        },
        {"project_kind": "scripts", "must_use": ["django-rest-framework"]},
        {
            "project_kind": "web_app",
            "features": ["websockets"],
            "must_use": ["flask"],
            "avoid": ["flask-socketio"],
        },
    ],
)
def test_every_clash_offers_changes_that_work(constraints):
    with pytest.raises(ConstraintError) as info:
        recommend(seed_catalog(), constraints, today=TODAY)
    suggestions = info.value.suggestions
    assert suggestions and len({s["text"] for s in suggestions}) == len(suggestions)
    for suggestion in suggestions:
        result = recommend(seed_catalog(), suggestion["constraints"], today=TODAY)
        check_invariants(seed_catalog(), result)
        assert suggestion["constraints"] == result["constraints"], "a whole, normalised constraints object"


def test_a_replacement_keeps_the_intent_of_the_request():
    with pytest.raises(ConstraintError) as info:
        recommend(
            seed_catalog(), {"project_kind": "web_app", "must_use": ["flask", "django-orm"]}, today=TODAY
        )
    first = info.value.suggestions[0]
    assert (
        first["text"].startswith("Use ")
        and "flask" in first["constraints"]["must_use"]
        or "django-orm" in first["constraints"]["must_use"]
    )
