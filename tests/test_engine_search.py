"""The search equals brute-force enumeration (Hypothesis): on random problems, with slots narrowed,
over many searches of one set-up (shared proofs), and through the whole engine on random catalogs."""

from __future__ import annotations

import os
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Catalog, ConstraintError, recommend
from advisor.engine.constraints import validate_constraints
from advisor.engine.model import build_model
from advisor.engine.problem import Problem, Requirement, brute_force
from advisor.engine.search import Searcher, best
from advisor.engine.vocabulary import (
    CAPABILITIES,
    DATA_MODELS,
    DEPLOYMENTS,
    PROJECT_KINDS,
    RATING_AXES,
    SCALES,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("ENGINE_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TECHS = [f"t{i}" for i in range(9)]
TODAY = date(2026, 12, 1)


@st.composite
def problems(draw, max_slots: int = 7) -> Problem:
    """Random problems: technologies shared across slots, empty options, placement pairs, conflicts
    and every kind of requirement (must-use, strict, on a slot, conditional on the owner's slot)."""
    slots = tuple(f"s{i}" for i in range(draw(st.integers(1, max_slots))))
    candidates, unary = {}, {}
    for slot in slots:
        techs = draw(st.lists(st.sampled_from(TECHS), min_size=0, max_size=3, unique=True))
        options = list(techs) + ([None] if draw(st.booleans()) or not techs else [])
        candidates[slot] = tuple(options)
        for tech in options:
            unary[(slot, tech)] = draw(st.integers(0, 30))
    places = [(s, t) for s in slots for t in candidates[s] if t]
    pairs = {}
    if len(places) >= 2:
        for p, q in draw(
            st.lists(st.lists(st.sampled_from(places), min_size=2, max_size=2, unique=True), max_size=8)
        ):
            if p[1] != q[1]:
                pairs[frozenset((p, q))] = draw(st.integers(1, 9))
    conflicts: dict[str, set] = {}
    for a, b in draw(
        st.lists(st.lists(st.sampled_from(TECHS), min_size=2, max_size=2, unique=True), max_size=3)
    ):
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    requirements = []
    for _ in range(draw(st.integers(0, 5))):
        owner = draw(st.one_of(st.none(), st.sampled_from(TECHS)))
        targets = frozenset(draw(st.lists(st.sampled_from(TECHS), min_size=1, max_size=3)))
        slot = draw(st.one_of(st.none(), st.sampled_from(slots + ("elsewhere",))))
        when_in = draw(st.one_of(st.none(), st.sampled_from(slots))) if owner else None
        requirements.append(Requirement(owner, targets, slot, "", when_in))
    return Problem(
        slots, candidates, unary, pairs, {t: frozenset(v) for t, v in conflicts.items()}, tuple(requirements)
    )


def _size(problem: Problem) -> int:
    """How many stacks brute force enumerates."""
    size = 1
    for slot in problem.slots:
        size *= max(1, len(problem.candidates[slot]))
    return size


def _pick(stack):
    return None if stack is None else (stack.score, stack.assign)


def _oracle(problem: Problem):
    found = brute_force(problem, 1)
    return _pick(found[0]) if found else None


@SETTINGS
@given(problems())
def test_best_equals_brute_force(problem):
    assert _pick(best(problem)) == _oracle(problem)


@SETTINGS
@given(problems(), st.data())
def test_narrowed_searches_of_one_set_up_equal_brute_force(problem, data):
    """Several searches share one set-up, its proved tails and the stacks met on the way (every
    slot watched), each with a slot kept or dropped."""
    searcher, known = Searcher(problem, watch=problem.slots), []
    for _ in range(4):
        slot = data.draw(st.sampled_from(problem.slots))
        chosen = (
            set(
                data.draw(
                    st.lists(st.sampled_from(problem.candidates[slot]), min_size=1, max_size=2, unique=True)
                )
            )
            if problem.candidates[slot]
            else set()
        )
        if data.draw(st.booleans()):
            found = searcher.best(keep={slot: chosen}, known=known)
            narrowed = problem.narrowed(slot, keep=chosen)
        else:
            found = searcher.best(drop={slot: chosen}, known=known)
            narrowed = problem.narrowed(slot, drop=chosen)
        assert _pick(found) == _oracle(narrowed)
        if found:
            known.append(found)


@SETTINGS
@given(problems(), st.data())
def test_a_swap_scores_and_checks_like_the_whole_stack(problem, data):
    found = brute_force(problem, 1)
    if not found:
        return
    stack = found[0]
    slot = data.draw(st.sampled_from(problem.slots))
    for tech in problem.candidates[slot]:
        after = {**stack.assign, slot: tech}
        expected = problem.score(after) if problem.is_valid(after) else None
        assert problem.swapped(stack.assign, stack.score, slot, tech) == expected


def test_ties_are_broken_by_slug_order():
    problem = Problem(
        ("a", "b"),
        {"a": ("y", "x"), "b": ("z", None)},
        {("a", "x"): 5, ("a", "y"): 5, ("b", "z"): 1, ("b", None): 1},
    )
    assert best(problem).assign == {"a": "x", "b": None}


def test_a_requirement_with_no_possible_target_removes_its_owner():
    problem = Problem(
        ("a",),
        {"a": ("x", "y")},
        {("a", "x"): 9, ("a", "y"): 1},
        requirements=(Requirement("x", frozenset({"nowhere"}), None),),
    )
    assert best(problem).assign == {"a": "y"}


def test_a_pair_counts_once_whatever_slots_earn_it():
    """x fills two slots; its bonus with y is the best of its placements', not their sum."""
    problem = Problem(
        ("a", "b", "c"),
        {"a": ("x",), "b": ("x", None), "c": ("y",)},
        {("a", "x"): 1, ("b", "x"): 1, ("b", None): 1, ("c", "y"): 1},
        pairs={frozenset((("a", "x"), ("c", "y"))): 5, frozenset((("b", "x"), ("c", "y"))): 7},
    )
    assert problem.score({"a": "x", "b": "x", "c": "y"}) == 3 + 7
    assert _pick(best(problem)) == (10, {"a": "x", "b": "x", "c": "y"})


def test_narrowing_that_leaves_a_must_use_part_nowhere_is_answered_at_once():
    problem = Problem(
        ("f", "auth"),
        {"f": ("django", "flask"), "auth": ("django", "bcrypt")},
        {("f", "django"): 5, ("f", "flask"): 4, ("auth", "django"): 3, ("auth", "bcrypt"): 2},
        requirements=(
            Requirement(None, frozenset({"django"}), None),
            Requirement("django", frozenset({"django"}), "f", "", "auth"),
        ),
    )
    searcher = Searcher(problem)
    assert searcher.best(drop={"f": {"django"}}) is None
    assert searcher.best().assign == {"f": "django", "auth": "django"}


# --- the whole engine on random catalogs ---------------------------------------------------------


@st.composite
def catalogs(draw) -> list[dict]:
    """Small random catalogs in the seed format, over the slots every web stack needs."""
    slots = ["framework", "server", "database", "db_driver", "orm", "validation", "testing"]
    slugs = [f"x-{c}" for c in string.ascii_lowercase[:10]]
    entries = []
    for slug in slugs:
        entries.append(
            {
                "slug": slug,
                "name": slug.upper(),
                "slots": draw(st.lists(st.sampled_from(slots), min_size=1, max_size=2, unique=True)),
                "ratings": {a: draw(st.integers(1, 5)) for a in RATING_AXES},
                "capabilities": draw(st.lists(st.sampled_from(CAPABILITIES), max_size=4, unique=True)),
                "status": draw(
                    st.sampled_from(["active", "active", "active", "maintenance", "end_of_life", "archived"])
                ),
                "rules": [],
            }
        )
    for entry in entries:
        for _ in range(draw(st.integers(0, 2))):
            entry["rules"].append(
                {
                    "kind": draw(st.sampled_from(["requires", "conflicts", "works_well_with"])),
                    "targets": draw(st.lists(st.sampled_from(slugs), min_size=1, max_size=3, unique=True)),
                    "slot": draw(st.one_of(st.none(), st.sampled_from(slots))),
                    "when_in": draw(st.one_of(st.none(), st.sampled_from(entry["slots"]))),
                    "strength": draw(st.integers(1, 3)),
                    "reason": "r",
                }
            )
    return entries


@st.composite
def constraints(draw, slugs: list[str]) -> dict:
    return {
        "project_kind": draw(st.sampled_from([k for k in PROJECT_KINDS if k != "ml_service"])),
        "features": draw(
            st.lists(st.sampled_from(["admin_ui", "caching", "api_docs"]), max_size=2, unique=True)
        ),
        "data_model": draw(st.sampled_from(DATA_MODELS)),
        "scale": draw(st.sampled_from(SCALES)),
        "deployment": draw(st.sampled_from(DEPLOYMENTS)),
        "priorities": {"performance": draw(st.integers(0, 5)), "simplicity": draw(st.integers(0, 5))},
        "familiar_with": draw(st.lists(st.sampled_from(slugs), max_size=1)),
        "must_use": draw(st.lists(st.sampled_from(slugs), max_size=1)),
        "avoid": draw(st.lists(st.sampled_from(slugs), max_size=2, unique=True)),
    }


def _catalog_and_answers(data) -> tuple[Catalog, dict]:
    """A random catalog and random answers that name its technologies."""
    entries = data.draw(catalogs())
    return Catalog.from_entries(entries, version=1), data.draw(constraints([e["slug"] for e in entries]))


@SETTINGS
@given(st.data())
@pytest.mark.slow
def test_engine_top_stack_equals_brute_force_on_random_catalogs(data):
    catalog, raw = _catalog_and_answers(data)
    listed = {s for s, t in catalog.techs.items() if t.status != "archived"}
    try:
        c = validate_constraints(raw, listed)
    except ConstraintError:
        return
    problem = build_model(catalog, c, TODAY).problem
    if _size(problem) > 20000:
        return
    expected = brute_force(problem, 1)
    try:
        result = recommend(catalog, raw, k=3, today=TODAY)
    except ConstraintError:
        assert not expected
        return
    top = expected[0]
    assert result["stacks"][0]["components"] == {s: t for s, t in top.assign.items() if t}


@SETTINGS
@given(st.data())
@pytest.mark.slow
def test_every_listed_stack_is_the_best_stack_for_what_sets_it_apart(data):
    """Each alternative is the best stack of all that hold one of its core choices."""
    catalog, raw = _catalog_and_answers(data)
    try:
        result = recommend(catalog, raw, k=4, today=TODAY)
    except ConstraintError:
        return
    problem = build_model(catalog, result["constraints"], TODAY).problem
    if _size(problem) > 20000:
        return
    stacks = [
        {s: s_comp.get(s) for s in problem.slots}
        for s_comp in (st_["components"] for st_ in result["stacks"])
    ]
    for stack in stacks[1:]:
        holders = [slot for slot in problem.slots if stack[slot] != stacks[0][slot]]
        assert holders, "an alternative differs from the top stack"
        assert any(_oracle(problem.narrowed(slot, keep={stack[slot]}))[1] == stack for slot in holders)
