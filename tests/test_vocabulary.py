"""One vocabulary: every page names a rating axis or a capability with the vocabulary's label, and
with no other spelling of it ("Dev Speed", "full text search"); the seeds README's tables match."""

from __future__ import annotations

import html
import re

import pytest

from advisor.catalog import readme
from advisor.engine import vocabulary as v
from advisor.engine.constraints import ConstraintsSchema, PrioritiesSchema
from advisor.results.service import create_result
from tests.wizard_helpers import CONSTRAINTS, csrf_token, post_step

SHOWN = "fastapi"  # a catalog entry with many capabilities


def _text(page: str) -> str:
    """What a reader sees: the page without its tags, scripts and styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _others(key: str, label: str) -> set[str]:
    """Spellings made from the key that are not its label: "dev speed", "Dev Speed", "learnability"."""
    words = key.replace("_", " ")
    return {
        spelling
        for spelling in (words, words.title(), words.capitalize())
        if spelling.lower() != label.lower()
    }


def _check(text: str, words: dict[str, str], where: str) -> None:
    """Every label is in `text`; once the labels are taken out, no other spelling of a key is."""
    rest = text
    for label in sorted(words.values(), key=len, reverse=True):
        assert label in text, f"{where}: no {label!r}"
        rest = rest.replace(label, " | ")
    for key, label in words.items():
        for other in _others(key, label):
            found = re.search(rf"(?<![\w-]){re.escape(other)}(?![\w-])", rest)
            assert not found, f"{where}: {other!r} for {key} (the label is {label!r})"


def _region(page: str, start: str, end: str) -> str:
    """The part of a page from `start` to the next `end` (the ratings table, a fieldset)."""
    head = page.index(start)
    return page[head : page.index(end, head)]


def test_every_axis_and_capability_has_one_label():
    assert set(v.RATING_LABELS) == set(v.RATING_AXES)
    assert set(v.CAPABILITY_LABELS) == set(v.CAPABILITIES) == set(v.CAPABILITY_WORDS)
    assert len(set(v.RATING_LABELS.values())) == len(v.RATING_AXES)
    assert len(set(v.CAPABILITY_LABELS.values())) == len(v.CAPABILITIES)
    assert {a: v.RATING_LABELS[a] for a in v.PRIORITY_AXES} == {a: w[0] for a, w in v.PRIORITY_WORDS.items()}


def test_the_schemas_use_the_vocabulary_keys():
    assert tuple(ConstraintsSchema().fields) == v.CONSTRAINT_KEYS
    assert tuple(PrioritiesSchema().fields) == v.PRIORITY_AXES
    assert set(v.CONSTRAINT_LABELS) == set(v.CONSTRAINT_KEYS)


def test_the_catalog_page_uses_the_labels(client):
    page = client.get(f"/catalog/{SHOWN}").get_data(as_text=True)
    _check(_text(_region(page, '<table class="ratings">', "</table>")), v.RATING_LABELS, "catalog ratings")
    shown = re.findall(r"capability=(\w+)", _region(page, '<ul class="tags">', "</ul>"))
    assert len(shown) >= 5
    tags = _text(_region(page, '<ul class="tags">', "</ul>"))
    _check(tags, {c: v.CAPABILITY_LABELS[c] for c in shown}, "catalog capabilities")
    index = client.get("/catalog/").get_data(as_text=True)
    _check(_text(_region(index, 'name="capability"', "</select>")), v.CAPABILITY_LABELS, "catalog filter")


def test_the_wizard_priorities_step_uses_the_labels(client):
    post_step(client, "kind", {"project_kind": "rest_api"}, csrf_token(client))
    page = client.get("/wizard/priorities").get_data(as_text=True)
    _check(
        _text(_region(page, "<form", "</form>")), {a: v.RATING_LABELS[a] for a in v.PRIORITY_AXES}, "wizard"
    )


def test_the_result_page_uses_the_labels(app, client):
    with app.app_context():
        result_id = create_result(CONSTRAINTS).id
    text = _text(client.get(f"/r/{result_id}").get_data(as_text=True))
    _check(text, {a: v.RATING_LABELS[a] for a in v.PRIORITY_AXES}, "result page")


def test_the_admin_form_uses_the_labels(curator_client):
    page = curator_client.get(f"/admin/technologies/{SHOWN}/edit").get_data(as_text=True)
    _check(_text(_region(page, 'id="ratings"', "</fieldset>")), v.RATING_LABELS, "admin ratings")
    _check(
        _text(_region(page, 'id="capabilities"', "</fieldset>")), v.CAPABILITY_LABELS, "admin capabilities"
    )


@pytest.mark.parametrize("name", sorted(readme.TABLES))
def test_the_seeds_readme_tables_match_the_vocabulary(name):
    text = readme.README.read_text(encoding="utf-8")
    assert f"<!-- vocabulary:{name} -->" in text
    assert readme.render(text) == text, (
        "run `python -m advisor.catalog.readme` to rewrite the seeds README's tables"
    )


def test_the_comparison_uses_the_labels(client):
    page = client.get("/compare?t=django&t=fastapi").get_data(as_text=True)
    _check(_text(_region(page, "<table", "</table>")), v.RATING_LABELS, "comparison")
