"""Hostile catalog files: alias bombs, NUL characters, deep nesting, duplicate keys and huge values
are refused quickly, whole, with a short message naming file, entry and field; never a traceback."""

from __future__ import annotations

import copy
import time

import pytest
import yaml

from tests.catalog_helpers import export_text as _export

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow


def _entry(runner, slug: str = "new-thing") -> dict:
    flask = next(e for e in yaml.safe_load(_export(runner)) if e["slug"] == "flask")
    entry = copy.deepcopy(flask)
    entry.update(slug=slug, name=slug.title(), rules=[], aliases=[])
    return entry


def _import(runner, path, text: str, budget: float = 3.0):
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = runner.invoke(args=["catalog", "import", str(path)])
    took = time.perf_counter() - started
    assert took < budget, f"the import took {took:.1f} s"
    return result


def _refused(runner, path, text: str, *words: str) -> str:
    result = _import(runner, path, text)
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert len(result.output) < 10_000, len(result.output)
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert any(all(w in line for w in words) for line in lines), result.stderr[:2000]
    return result.stderr


def test_an_alias_bomb_is_refused_at_once(runner, guard, tmp_path):
    """450 bytes of nested aliases used as a slug took 25 s and 2.8 GB: the error printed them."""
    lines = ["- slug: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", "  name: a"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines += [f"- slug: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]", f"  name: {name}"]
    text = "\n".join(lines) + "\n"
    assert len(text) < 600
    _refused(runner, tmp_path / "bomb.yaml", text, "aliases")


def test_aliases_within_reason_still_import(app, runner, tmp_path):
    first, second = _entry(runner, "one-thing"), _entry(runner, "two-thing")
    second["ratings"] = first["ratings"]  # one object twice: PyYAML writes an anchor and an alias
    text = yaml.safe_dump([first, second], sort_keys=False)
    assert "&id001" in text and "*id001" in text
    result = _import(runner, tmp_path / "anchors.yaml", text)
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output


@pytest.mark.parametrize(
    ("path", "field"),
    [("name", "name"), ("summary", "summary"), ("pros", "pros.1"), ("aliases", "aliases.1")],
)
def test_a_nul_in_a_text_field_is_refused_naming_the_field(runner, guard, tmp_path, path, field):
    entry = _entry(runner)
    entry[path] = ["a\x00b"] if path in ("pros", "aliases") else "a\x00b"
    text = yaml.safe_dump([entry], sort_keys=False)
    _refused(runner, tmp_path / "nul.yaml", text, "entry 1 (new-thing)", f": {field}:", "NUL")


def test_a_nul_in_a_rule_reason_is_refused_naming_the_rule(runner, guard, tmp_path):
    entry = _entry(runner)
    entry["rules"] = [{"kind": "works_well_with", "targets": ["django"], "reason": "x\x00"}]
    text = yaml.safe_dump([entry], sort_keys=False)
    _refused(runner, tmp_path / "nul.yaml", text, "entry 1 (new-thing)", ": rules.1.reason:", "NUL")


@pytest.mark.parametrize("depth", [200, 20_000])
def test_deep_nesting_is_refused_naming_the_entry(runner, guard, tmp_path, depth):
    text = "- slug: deep-thing\n  name: Deep\n  summary: " + "[" * depth + "]" * depth + "\n"
    _refused(runner, tmp_path / "deep.yaml", text, "nested")


def test_duplicate_keys_are_refused_naming_the_key(runner, guard, tmp_path):
    entry = _entry(runner)
    text = yaml.safe_dump([entry], sort_keys=False).replace(
        "  name: New-Thing\n", "  name: New-Thing\n  name: Other\n"
    )
    assert text.count("  name: ") == 2
    stderr = _refused(runner, tmp_path / "dup.yaml", text, "duplicate key", "'name'")
    assert "line" in stderr


def test_duplicate_keys_inside_nested_mappings_are_refused(runner, guard, tmp_path):
    entry = _entry(runner)
    text = yaml.safe_dump([entry], sort_keys=False).replace(
        "    dev_speed: ", "    typing: 3\n    dev_speed: ", 1
    )
    _refused(runner, tmp_path / "dup.yaml", text, "duplicate key", "'typing'")


def test_a_huge_value_is_quoted_only_in_part(runner, guard, tmp_path):
    entry = _entry(runner)
    entry["slug"] = "x" * 100_000
    entry["status"] = "s" * 100_000
    stderr = _refused(
        runner, tmp_path / "huge.yaml", yaml.safe_dump([entry], sort_keys=False, width=10**6), ": status:"
    )
    assert max(len(line) for line in stderr.splitlines()) < 500


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [("slug", "new-thing\n", "slug"), ("homepage", "https://new.example/\n", "homepage")],
)
def test_values_with_a_trailing_newline_are_refused(runner, guard, tmp_path, key, value, field):
    entry = _entry(runner)
    entry[key] = value
    _refused(runner, tmp_path / "newline.yaml", yaml.safe_dump([entry], sort_keys=False), f": {field}:")


@pytest.mark.postgres
def test_a_nul_is_refused_on_postgresql_too(pg_app, tmp_path):
    runner = pg_app.test_cli_runner()
    entry = _entry(runner)
    entry["description"] = "text\x00more"
    _refused(
        runner,
        tmp_path / "nul.yaml",
        yaml.safe_dump([entry], sort_keys=False),
        "entry 1 (new-thing)",
        ": description:",
        "NUL",
    )
