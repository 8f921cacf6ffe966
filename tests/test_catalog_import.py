"""Invalid catalog imports are rejected whole, name file, entry and field, and change nothing."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.catalog_helpers import catalog_state as _state
from tests.catalog_helpers import export_text as _export

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow


def _flask(runner) -> dict:
    return next(e for e in yaml.safe_load(_export(runner)) if e["slug"] == "flask")


def _new(runner, slug: str = "new-thing") -> dict:
    """A valid new entry built from flask's."""
    entry = copy.deepcopy(_flask(runner))
    entry.update(slug=slug, name=slug.title(), rules=[], aliases=[])
    return entry


def _set(entry: dict, path: str, value) -> dict:
    *parents, last = path.split(".")
    target = entry
    for key in parents:
        target = target[key]
    target[last] = value
    return entry


# (case id, change to flask's entry, the field the message must name, words the message must hold)
ENTRY_CASES = [
    ("bad-slug", lambda e: _set(e, "slug", "Not A Slug"), "slug", "lowercase"),
    ("unknown-slot", lambda e: _set(e, "slots", ["framework", "spaceship"]), "slots.2", "spaceship"),
    (
        "missing-rule-target",
        lambda e: _set(e, "rules", [{"kind": "requires", "targets": ["no-such-tech"]}]),
        "rules.1.targets",
        "unknown technology 'no-such-tech'",
    ),
    ("rating-zero", lambda e: _set(e, "ratings.dev_speed", 0), "ratings.dev_speed", "1 to 5"),
    ("rating-six", lambda e: _set(e, "ratings.performance", 6), "ratings.performance", "1 to 5"),
    ("rating-true", lambda e: _set(e, "ratings.typing", True), "ratings.typing", "integer"),
    ("rating-float", lambda e: _set(e, "ratings.maturity", 4.5), "ratings.maturity", "integer"),
    ("rating-string", lambda e: _set(e, "ratings.maturity", "high"), "ratings.maturity", "integer"),
    ("rating-missing", lambda e: e["ratings"].pop("ecosystem") and e, "ratings.ecosystem", "required"),
    ("unknown-key", lambda e: _set(e, "summry", "typo"), "summry", "Unknown field"),
    ("bad-status", lambda e: _set(e, "status", "retired"), "status", "retired"),
    ("no-slots", lambda e: _set(e, "slots", []), "slots", "fills a slot"),
    (
        "rule-strength",
        lambda e: _set(e, "rules", [{"kind": "works_well_with", "targets": ["pytest"], "strength": 9}]),
        "rules.1.strength",
        "1 to 3",
    ),
    (
        "unknown-successor",
        lambda e: _set(e, "successor", "no-such-tech"),
        "successor",
        "unknown technology 'no-such-tech'",
    ),
    ("own-successor", lambda e: _set(e, "successor", "flask"), "successor", "its own successor"),
    ("successor-not-a-slug", lambda e: _set(e, "successor", "Py Mongo"), "successor", "lowercase"),
    ("successor-list", lambda e: _set(e, "successor", ["pymongo"]), "successor", "Not a valid string"),
    ("release-day", lambda e: _set(e, "last_release", "2026-10-01"), "last_release", "YYYY-MM"),
    ("release-month-13", lambda e: _set(e, "last_release", "2026-13"), "last_release", "YYYY-MM"),
    ("release-trailing", lambda e: _set(e, "last_release", "2026-101"), "last_release", "YYYY-MM"),
    ("release-newline", lambda e: _set(e, "last_release", "2026-10\n"), "last_release", "YYYY-MM"),
    ("release-words", lambda e: _set(e, "last_release", "Oct 2026"), "last_release", "YYYY-MM"),
    (
        "release-yaml-date",
        lambda e: _set(e, "last_release", date(2026, 10, 1)),
        "last_release",
        "Not a valid string",
    ),
    ("rank-zero", lambda e: _set(e, "popularity_rank", 0), "popularity_rank", "1 or more"),
    ("rank-negative", lambda e: _set(e, "popularity_rank", -4), "popularity_rank", "1 or more"),
    ("rank-float", lambda e: _set(e, "popularity_rank", 3.5), "popularity_rank", "integer"),
    ("rank-true", lambda e: _set(e, "popularity_rank", True), "popularity_rank", "integer"),
    ("rank-string", lambda e: _set(e, "popularity_rank", "12"), "popularity_rank", "integer"),
    ("version-too-long", lambda e: _set(e, "latest_version", "1." * 40), "latest_version", "64"),
    ("version-empty", lambda e: _set(e, "latest_version", ""), "latest_version", "64"),
    ("version-number", lambda e: _set(e, "latest_version", 3.1), "latest_version", "Not a valid string"),
    ("note-too-long", lambda e: _set(e, "status_note", "x" * 1001), "status_note", "1000"),
]


def _rejected(runner, path: Path, text: str):
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code != 0, result.output
    assert "nothing was changed" in result.output
    return result


@pytest.mark.parametrize(
    ("change", "fld", "words"), [c[1:] for c in ENTRY_CASES], ids=[c[0] for c in ENTRY_CASES]
)
def test_invalid_entry_is_rejected_naming_file_entry_and_field(runner, guard, tmp_path, change, fld, words):
    entry = change(_flask(runner))
    path = tmp_path / "bad.yaml"
    result = _rejected(runner, path, yaml.safe_dump([entry], sort_keys=False))
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert lines, result.output
    assert any(
        f"entry 1 ({entry['slug']})" in line and f": {fld}:" in line and words in line for line in lines
    ), lines


def test_duplicate_slug_in_the_file_is_rejected(runner, guard, tmp_path):
    first, second = _new(runner), _new(runner)
    second["summary"] = "The same slug again."
    path = tmp_path / "dup.yaml"
    result = _rejected(runner, path, yaml.safe_dump([first, second], sort_keys=False))
    assert f"{path}: entry 2 (new-thing): slug: duplicate" in result.stderr


def test_rule_target_archived_in_the_same_file_is_rejected(runner, guard, tmp_path):
    old = _new(runner, "old-thing")
    old["status"] = "archived"
    user = _new(runner, "user-thing")
    user["rules"] = [{"kind": "requires", "targets": ["old-thing"]}]
    path = tmp_path / "archived.yaml"
    result = _rejected(runner, path, yaml.safe_dump([old, user], sort_keys=False))
    assert f"{path}: entry 2 (user-thing): rules.1.targets: 'old-thing' is archived" in result.stderr


def test_successor_archived_in_the_same_file_is_rejected(runner, guard, tmp_path):
    new = _new(runner, "new-thing")
    new["status"] = "archived"
    old = _set(_new(runner, "old-thing"), "status", "deprecated")
    old["successor"] = "new-thing"
    path = tmp_path / "archived-successor.yaml"
    result = _rejected(runner, path, yaml.safe_dump([new, old], sort_keys=False))
    assert f"{path}: entry 2 (old-thing): successor: 'new-thing' is archived" in result.stderr


def test_rule_target_archived_in_the_database_is_rejected_for_listed_entries(app, runner, tmp_path):
    """An archived target is refused for any listed entry (deprecated too), allowed for an archived one."""
    gone = _set(_new(runner, "gone-thing"), "status", "archived")
    path = tmp_path / "gone.yaml"
    path.write_text(yaml.safe_dump([gone], sort_keys=False), encoding="utf-8")
    assert runner.invoke(args=["catalog", "import", str(path)]).exit_code == 0
    user = _set(_new(runner, "user-thing"), "rules", [{"kind": "works_well_with", "targets": ["gone-thing"]}])
    for status, ok in (("active", False), ("deprecated", False), ("end_of_life", False), ("archived", True)):
        path.write_text(yaml.safe_dump([dict(user, status=status)], sort_keys=False), encoding="utf-8")
        result = runner.invoke(args=["catalog", "import", str(path)])
        assert (result.exit_code == 0) is ok, (status, result.output)
        if not ok:
            assert "rules.1.targets: 'gone-thing' is archived" in result.stderr


def test_one_valid_and_one_invalid_entry_changes_nothing(runner, guard, tmp_path):
    good = _flask(runner)
    good["summary"] = "A perfectly valid change that must not be applied."
    bad = _new(runner)
    bad["ratings"]["simplicity"] = 7
    path = tmp_path / "mixed.yaml"
    result = _rejected(runner, path, yaml.safe_dump([good, bad], sort_keys=False))
    assert "entry 2 (new-thing): ratings.simplicity" in result.stderr
    assert "entry 1" not in result.stderr


def test_every_problem_is_listed(runner, guard, tmp_path):
    a = _set(_new(runner, "a-thing"), "ratings.dev_speed", 0)
    b = _set(_new(runner, "b-thing"), "slots", ["nowhere"])
    result = _rejected(runner, tmp_path / "two.yaml", yaml.safe_dump([a, b], sort_keys=False))
    assert "entry 1 (a-thing): ratings.dev_speed" in result.stderr
    assert "entry 2 (b-thing): slots.1" in result.stderr
    assert "2 problem(s)" in result.output


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("slug: flask\nname: Flask\n", "expected a list of mappings"),
        ("- flask\n- django\n", "expected a list of mappings"),
        ("just a string", "expected a list of mappings"),
        ("- slug: flask\n  name: [unclosed\n", "not valid YAML"),
        (":\n  - : -\n\t bad", "not valid YAML"),
    ],
    ids=["mapping", "list-of-strings", "scalar", "unclosed", "tabs"],
)
def test_structurally_invalid_file_is_rejected(runner, guard, tmp_path, text, words):
    path = tmp_path / "shape.yaml"
    result = _rejected(runner, path, text)
    assert f"{path}: {words}" in result.stderr


def test_non_utf8_file_is_rejected(runner, guard, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("- slug: caf\xe9\n".encode("latin-1"))
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code != 0
    assert "not UTF-8" in result.stderr


def test_valid_new_entry_is_created(app, runner, tmp_path):
    """The control case: the same helpers with a valid entry do change the catalog."""
    version, audits = _state(app)
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump([_new(runner)], sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path), "--actor", "ana@example.org"])
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated" in result.output
    assert _state(app) == (version + 1, audits + 1)
    assert any(e["slug"] == "new-thing" for e in yaml.safe_load(_export(runner)))


def test_maintenance_facts_round_trip(app, runner, tmp_path):
    """Every status and every maintenance fact goes in and comes out as written, and a second
    import of the export changes nothing."""
    entries = []
    for status in ("active", "maintenance", "deprecated", "end_of_life", "archived"):
        entry = _new(runner, f"{status.replace('_', '-')}-thing")
        entry.update(
            status=status,
            successor="flask",
            status_note="Fixes only since Oct 2020: 'quoted'.",
            latest_version="3.7.1",
            last_release="2026-10",
            popularity_rank=1366,
        )
        entries.append(entry)
    entries[0].update(
        successor=None, status_note=None, latest_version=None, last_release=None, popularity_rank=None
    )
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output
    exported = {e["slug"]: e for e in yaml.safe_load(_export(runner))}
    for entry in entries:
        assert exported[entry["slug"]] == entry
    assert list(exported["deprecated-thing"])[8:14] == [
        "status",
        "successor",
        "status_note",
        "latest_version",
        "last_release",
        "popularity_rank",
    ]
    again = tmp_path / "again.yaml"
    again.write_text(_export(runner), encoding="utf-8")
    state = _state(app)
    result = runner.invoke(args=["catalog", "import", str(again)])
    assert result.exit_code == 0 and "0 created, 0 updated" in result.output, result.output
    assert _state(app) == state


def test_problems_keep_their_field_path_as_data(app, runner):
    """The validator hands over each problem's entry and field path, not a line to be parsed back."""
    from advisor.catalog.files import CatalogFileError, validate_entries

    entry = _new(runner, "with-problems")
    entry["ratings"]["dev_speed"] = 9
    entry["rules"] = [{"kind": "requires", "targets": ["flask"]}, {"kind": "conflicts", "targets": ["nope"]}]
    with app.app_context(), pytest.raises(CatalogFileError) as caught:
        validate_entries([("form", [entry])], {"flask": "active"})
    (problem,) = caught.value.problems
    assert (problem.source, problem.entry, problem.slug, problem.path) == (
        "form",
        1,
        "with-problems",
        ("ratings", "dev_speed"),
    )
    entry["ratings"]["dev_speed"] = 3
    with app.app_context(), pytest.raises(CatalogFileError) as caught:
        validate_entries([("form", [entry])], {"flask": "active"})
    (problem,) = caught.value.problems
    assert problem.path == ("rules", 2, "targets") and problem.message == "unknown technology 'nope'"
    assert str(problem) == "form: entry 1 (with-problems): rules.2.targets: unknown technology 'nope'"
