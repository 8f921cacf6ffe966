"""The maintenance facts in the public API: every listed status, successors, release months, ranks
and staleness, in the JSON and in the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema_rs
import pytest
import yaml

from advisor.engine import vocabulary as v
from advisor.engine.maintenance import is_stale
from tests.api_helpers import API, assert_error_shape
from tests.catalog_helpers import export_text

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow

FACTS = ("status", "successor", "status_note", "latest_version", "last_release", "popularity_rank", "stale")


def _import(runner, tmp_path, changes: dict[str, dict]) -> None:
    """Apply `changes` (slug -> fields) to the exported catalog's entries and import them."""
    entries = [
        dict(e, **changes[e["slug"]]) for e in yaml.safe_load(export_text(runner)) if e["slug"] in changes
    ]
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output


def test_every_listed_technology_carries_its_facts(client):
    today = datetime.now(UTC).date()
    items = client.get(f"{API}/technologies").get_json()
    assert items
    for item in items:
        assert set(FACTS) <= set(item), item["slug"]
        assert item["status"] in v.LISTED_STATUSES
        assert item["stale"] is is_stale(item["last_release"], today)
        assert item["popularity_rank"] is None or (
            isinstance(item["popularity_rank"], int) and item["popularity_rank"] >= 1
        )


def test_end_of_life_and_deprecated_entries_stay_listed_with_their_successor(app, client, runner, tmp_path):
    _import(
        runner,
        tmp_path,
        {
            "tornado": {
                "status": "end_of_life",
                "successor": "starlette",
                "last_release": "2019-03",
                "latest_version": "6.0.1",
                "status_note": "No release since March 2019.",
                "popularity_rank": 420,
            },
            "pyramid": {"status": "deprecated", "successor": "flask", "last_release": "2099-01"},
        },
    )
    listed = {t["slug"]: t for t in client.get(f"{API}/technologies?slot=framework").get_json()}
    tornado = listed["tornado"]
    assert {k: tornado[k] for k in FACTS} == {
        "status": "end_of_life",
        "successor": "starlette",
        "status_note": "No release since March 2019.",
        "latest_version": "6.0.1",
        "last_release": "2019-03",
        "popularity_rank": 420,
        "stale": True,
    }
    assert listed["pyramid"]["status"] == "deprecated" and listed["pyramid"]["stale"] is False
    detail = client.get(f"{API}/technologies/tornado").get_json()
    assert {k: detail[k] for k in FACTS} == {k: tornado[k] for k in FACTS}
    assert client.get(f"{API}/technologies/{detail['successor']}").status_code == 200
    # A project may still name it (the engine then warns): it stays in the vocabulary's slugs.
    assert "tornado" in client.get(f"{API}/vocabulary").get_json()["technologies"]


def test_motor_is_past_its_end_of_life_with_pymongo_as_successor(client):
    motor = client.get(f"{API}/technologies/motor").get_json()
    assert motor["status"] == "end_of_life" and motor["successor"] == "pymongo"
    assert "2026" in (motor["status_note"] or "")
    assert client.get(f"{API}/technologies/pymongo").get_json()["status"] == "active"


def test_archived_entries_are_404_whatever_their_facts(app, client, runner, tmp_path):
    _import(runner, tmp_path, {"pyramid": {"status": "archived", "successor": "flask"}})
    assert_error_shape(client.get(f"{API}/technologies/pyramid"), 404, "slug")
    assert "pyramid" not in {t["slug"] for t in client.get(f"{API}/technologies").get_json()}


def test_openapi_describes_the_facts_and_the_answers_match(client, runner, tmp_path):
    _import(
        runner,
        tmp_path,
        {"tornado": {"status": "maintenance", "last_release": "2020-01", "popularity_rank": 3}},
    )
    document = client.get(f"{API}/openapi.json").get_json()
    for name in ("TechnologySummary", "Technology"):
        schema = document["components"]["schemas"][name]
        assert set(FACTS) <= set(schema["required"]), name
        assert schema["properties"]["status"]["enum"] == list(v.STATUSES)
        assert schema["properties"]["stale"]["type"] == "boolean"
    technology = {**document["components"]["schemas"]["Technology"], "components": document["components"]}
    jsonschema_rs.validate(technology, client.get(f"{API}/technologies/tornado").get_json())
    summary = {**document["components"]["schemas"]["TechnologySummary"], "components": document["components"]}
    for item in client.get(f"{API}/technologies").get_json():
        jsonschema_rs.validate(summary, item)
    bad = dict(client.get(f"{API}/technologies/tornado").get_json(), last_release="2020-13")
    assert not jsonschema_rs.is_valid(technology, bad)
