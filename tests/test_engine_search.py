"""The branch-and-bound search equals brute-force enumeration (Hypothesis), on problems and catalogs."""

from __future__ import annotations

import string
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Catalog, ConstraintError, recommend
from advisor.engine.constraints import validate_constraints
from advisor.engine.recommend import build_model
from advisor.engine.search import Problem, Requirement, brute_force, search
from advisor.engine.symmetry import find_symmetry
from advisor.engine.vocabulary import (CAPABILITIES, DATA_MODELS, DEPLOYMENTS, FEATURES,
                                       PROJECT_KINDS, RATING_AXES, SCALES)

SETTINGS = settings(max_examples=int(__import__("os").environ.get("ENGINE_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TECHS = [f"t{i}" for i in range(8)]


@st.composite
def problems(draw) -> Problem:
    """Random small problems: shared technologies across slots, empty options, pairs and rules."""
    slots = tuple(f"s{i}" for i in range(draw(st.integers(1, 4))))
    candidates, unary = {}, {}
    for slot in slots:
        techs = draw(st.lists(st.sampled_from(TECHS), min_size=0, max_size=4, unique=True))
        opts = list(techs) + ([None] if draw(st.booleans()) or not techs else [])
        candidates[slot] = tuple(opts)
        for t in opts:
            unary[(slot, t)] = draw(st.integers(0, 30))
    pairs = {frozenset(p): draw(st.integers(1, 9))
             for p in draw(st.lists(st.lists(st.sampled_from(TECHS), min_size=2, max_size=2, unique=True),
                                    max_size=6))}
    conflicts: dict[str, set] = {}
    for a, b in draw(st.lists(st.lists(st.sampled_from(TECHS), min_size=2, max_size=2, unique=True),
                              max_size=3)):
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    requirements = []
    for _ in range(draw(st.integers(0, 4))):
        owner = draw(st.one_of(st.none(), st.sampled_from(TECHS)))
        targets = frozenset(draw(st.lists(st.sampled_from(TECHS), min_size=1, max_size=3)))
        slot = draw(st.one_of(st.none(), st.sampled_from(slots + ("elsewhere",))))
        when_in = draw(st.one_of(st.none(), st.sampled_from(slots))) if owner else None
        requirements.append(Requirement(owner, targets, slot, "", when_in))
    return Problem(slots, candidates, unary, pairs,
                   {t: frozenset(v) for t, v in conflicts.items()}, tuple(requirements))


def _copied(problem: Problem, copies: int, data) -> Problem:
    """`problem` plus `copies` renamed copies of its technologies, with the same points and rules
    among themselves; Hypothesis may then break the symmetry (a changed point, a cross-copy pair)."""
    def name(t, j):
        return t if t is None or j == 0 else f"{t}.{j}"

    candidates = {s: tuple(name(t, j) for j in range(copies + 1) for t in c if t or j == 0)
                  for s, c in problem.candidates.items()}
    unary = {(s, name(t, j)): v for (s, t), v in problem.unary.items() for j in range(copies + 1)}
    pairs = {frozenset(name(t, j) for t in p): v for p, v in problem.pairs.items() for j in range(copies + 1)}
    conflicts = {name(t, j): frozenset(name(o, j) for o in v)
                 for t, v in problem.conflicts.items() for j in range(copies + 1)}
    requirements = [r for r in problem.requirements if r.owner is None] + [
        Requirement(name(r.owner, j), frozenset(name(t, j) for t in r.targets), r.slot, "", r.when_in)
        for r in problem.requirements if r.owner is not None for j in range(copies + 1)]
    if data.draw(st.booleans()):
        slot, tech = data.draw(st.sampled_from(sorted(unary, key=str)))
        unary[(slot, tech)] += data.draw(st.integers(-3, 3))
    if data.draw(st.booleans()):
        everyone = sorted({t for c in candidates.values() for t in c if t})
        if len(everyone) >= 2:
            a, b = data.draw(st.lists(st.sampled_from(everyone), min_size=2, max_size=2, unique=True))
            pairs[frozenset((a, b))] = data.draw(st.integers(1, 9))
    return Problem(problem.slots, candidates, unary, pairs, conflicts, tuple(requirements))


@st.composite
def small_problems(draw) -> Problem:
    """Problems small enough to copy and still enumerate: at most 3 slots of 3 technologies."""
    problem = draw(problems())
    slots = problem.slots[:3]
    candidates = {s: tuple([t for t in problem.candidates[s] if t][:3]
                           + [None] * (None in problem.candidates[s])) or (None,) for s in slots}
    unary = {(s, t): problem.unary.get((s, t), 0) for s in slots for t in candidates[s]}
    return Problem(slots, candidates, unary, problem.pairs, problem.conflicts, problem.requirements)


def _assignments(problem: Problem) -> int:
    """How many stacks brute force would enumerate."""
    size = 1
    for slot in problem.slots:
        size *= max(1, len(problem.candidates[slot]))
    return size


def _ranking(entries):
    return [(e.score, e.assign) for e in entries]


@SETTINGS
@given(problems(), st.integers(1, 6))
def test_search_equals_brute_force_on_random_problems(problem, k):
    expected = _ranking(brute_force(problem, k))
    assert _ranking(search(problem, k)) == expected
    assert _ranking(search(problem, k, symmetry=True)) == expected


@st.composite
def catalogs(draw) -> list[dict]:
    """Small random catalogs in the seed format, over the slots every web stack needs."""
    slots = ["framework", "server", "database", "db_driver", "orm", "validation", "testing"]
    slugs = [f"x-{c}" for c in string.ascii_lowercase[:10]]
    entries = []
    for slug in slugs:
        entries.append({
            "slug": slug, "name": slug.upper(),
            "slots": draw(st.lists(st.sampled_from(slots), min_size=1, max_size=2, unique=True)),
            "ratings": {a: draw(st.integers(1, 5)) for a in RATING_AXES},
            "capabilities": draw(st.lists(st.sampled_from(CAPABILITIES), max_size=4, unique=True)),
            "status": draw(st.sampled_from(["active", "active", "active", "archived"])),
            "rules": [],
        })
    for entry in entries:
        for _ in range(draw(st.integers(0, 2))):
            entry["rules"].append({
                "kind": draw(st.sampled_from(["requires", "conflicts", "works_well_with"])),
                "targets": draw(st.lists(st.sampled_from(slugs), min_size=1, max_size=3, unique=True)),
                "slot": draw(st.one_of(st.none(), st.sampled_from(slots))),
                "when_in": draw(st.one_of(st.none(), st.sampled_from(entry["slots"]))),
                "strength": draw(st.integers(1, 3)), "reason": "r",
            })
    return entries


@st.composite
def constraints(draw, slugs: list[str]) -> dict:
    return {
        "project_kind": draw(st.sampled_from([k for k in PROJECT_KINDS if k != "ml_service"])),
        "features": draw(st.lists(st.sampled_from(["admin_ui", "caching", "websockets", "api_docs",
                                                   "user_accounts"]), max_size=2, unique=True)),
        "data_model": draw(st.sampled_from(DATA_MODELS)),
        "scale": draw(st.sampled_from(SCALES)),
        "deployment": draw(st.sampled_from(DEPLOYMENTS)),
        "priorities": {"performance": draw(st.integers(0, 5)), "simplicity": draw(st.integers(0, 5))},
        "must_use": draw(st.lists(st.sampled_from(slugs), max_size=1)),
        "avoid": draw(st.lists(st.sampled_from(slugs), max_size=2, unique=True)),
    }


@SETTINGS
@given(small_problems(), st.integers(1, 2), st.integers(1, 8), st.data())
def test_search_equals_brute_force_on_problems_with_copies(problem, copies, k, data):
    """Interchangeable copies (symmetry pruning) and nearly interchangeable ones (it must not apply)."""
    problem = _copied(problem, copies, data)
    assert _ranking(search(problem, k, symmetry=True)) == _ranking(brute_force(problem, k))


def test_symmetry_groups_exact_copies_only():
    base = Problem(("a", "b"), {"a": ("x", "y"), "b": ("z", None)},
                   {("a", "x"): 5, ("a", "y"): 4, ("b", "z"): 1, ("b", None): 0},
                   pairs={frozenset(("x", "z")): 3},
                   requirements=(Requirement("y", frozenset({"z"}), "b"),))

    class Same:
        def draw(self, strategy):
            return False

    copied = _copied(base, 2, Same())
    classes = find_symmetry(copied)
    # {x, z} and {y, z}... are one component per copy: x-z by a pair, y-z by a requirement.
    assert {t: classes[t][1] for t in ("x", "x.1", "x.2")} == {"x": 0, "x.1": 1, "x.2": 2}
    assert classes["z.2"][2] == "z" and classes["y.1"][2] == "y"
    assert len({c for c, _, _ in classes.values()}) == 1
    # A copy whose points differ is no longer interchangeable with the others.
    changed = replace(copied, unary={**copied.unary, ("a", "x.1"): 6})
    classes = find_symmetry(changed)
    assert "x.1" not in classes and {"x", "x.2"} <= set(classes)
    # Nor is one that a must-use names.
    pinned = replace(copied, requirements=copied.requirements + (Requirement(None, frozenset({"x"}), None),))
    assert "x" not in find_symmetry(pinned)
    for problem in (copied, changed, pinned):
        assert _ranking(search(problem, 30, symmetry=True)) == _ranking(brute_force(problem, 30))


def _catalog_and_answers(data) -> tuple[Catalog, dict]:
    """A random catalog and random answers that name its technologies."""
    entries = data.draw(catalogs())
    return Catalog.from_entries(entries, version=1), data.draw(constraints([e["slug"] for e in entries]))


@SETTINGS
@given(st.data())
def test_engine_ranking_equals_brute_force_on_random_catalogs(data):
    catalog, raw = _catalog_and_answers(data)
    try:
        c = validate_constraints(raw, {s for s in catalog.techs if catalog.active(s)})
    except ConstraintError:
        return
    problem = build_model(catalog, c).problem
    if _assignments(problem) > 20000:
        return
    expected = brute_force(problem, 5)
    assert _ranking(search(problem, 5)) == _ranking(expected)
    if expected:
        result = recommend(catalog, raw, k=5, alternatives=False)
        assert [s["score"] for s in result["stacks"]] == [e.score / 100 for e in expected]


@SETTINGS
@given(st.data())
def test_alternatives_cost_what_brute_force_says(data):
    """A plain swap's row scores that stack; any other row scores the best stack holding it at all."""
    catalog, raw = _catalog_and_answers(data)
    try:
        result = recommend(catalog, raw, k=3)
    except ConstraintError:
        return
    problem = build_model(catalog, result["constraints"]).problem
    size = _assignments(problem)
    if size > 20000:
        return
    everything = brute_force(problem, size)
    top = everything[0]
    for slot, rows in result["alternatives"].items():
        assert len(rows) <= 3
        for row in rows:
            tech, score = row["technology"], round(row["score"] * 100)
            assert tech != top.assign[slot] and row["delta"] == (score - top.score) / 100
            if not row["changes"]:
                swapped = {**top.assign, slot: tech}
                assert problem.is_valid(swapped) and problem.score(swapped) == score
            else:
                best = next(e for e in everything if e.assign[slot] == tech)
                assert best.score == score and row["changes"] == {
                    s: t for s, t in best.assign.items() if s != slot and t != top.assign[s]}
                assert best in everything[:3], "only stacks already ranked are used"


def test_ties_are_broken_by_slug_order():
    problem = Problem(("a", "b"), {"a": ("y", "x"), "b": ("z", None)},
                      {("a", "x"): 5, ("a", "y"): 5, ("b", "z"): 1, ("b", None): 1})
    ranked = search(problem, 4)
    assert [r.assign for r in ranked] == [{"a": "x", "b": None}, {"a": "x", "b": "z"},
                                          {"a": "y", "b": None}, {"a": "y", "b": "z"}]


def test_a_requirement_with_no_possible_target_removes_its_owner():
    problem = Problem(("a",), {"a": ("x", "y")}, {("a", "x"): 9, ("a", "y"): 1},
                      requirements=(Requirement("x", frozenset({"nowhere"}), None),))
    assert [r.assign for r in search(problem, 3)] == [{"a": "y"}]
