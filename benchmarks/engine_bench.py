"""Engine and API benchmark: every request distinct, on the seed catalog and on larger catalogs of
non-identical copies. Run with `make bench` (or `.venv/bin/python -m benchmarks.engine_bench`).

Prints one JSON document. For each catalog size:
- `engine_ms`: median and p95 of `recommend()` (validation, model, ranking, explanations);
- `api_ms`: median and p95 of `POST /api/v1/recommendations` through the app (Flask, SQLite file
  database, the result saved), skipped with `--no-api`;
- `whatif_ms`: the same for `POST /api/v1/recommendations/preview` when the app has it;
- `distinct_top3`: the share of answered scenario profiles whose top three stacks differ pairwise
  in a core slot.
Requests are distinct: each one is a scenario profile with its own priorities and scale drawn from a
seeded generator, so no memo of an earlier answer can serve it. Catalogs larger than the seed catalog
are copies whose slugs are renamed, whose rules point into their own copy, and whose ratings are
jittered (every copy differs from the original in at least one rating), so no two technologies are
interchangeable twins.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import platform
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

from advisor.engine import Catalog, ConstraintError, recommend
from advisor.engine.vocabulary import CORE_SLOTS, PRIORITY_AXES, RATING_AXES, SCALES
from benchmarks import migrate
from tests.engine_helpers import EXTRA_PROFILES

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "scenarios" / "public.yaml"  # a copy of ../shared's
EXTRA = EXTRA_PROFILES  # the profiles the scenarios lack, shared with the advice tests


def seed_entries() -> list[dict]:
    entries = []
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        entries.extend(yaml.safe_load(path.read_text()))
    return entries


def scaled(entries: list[dict], factor: int, seed: int = 7) -> list[dict]:
    """`factor` copies of the catalog; copy i renames its slugs, points its rules (and successors) at
    copy i and moves ratings by -1, 0 or +1 (at least one of them), so copies are never twins."""
    rng = random.Random(seed)
    out = []
    for i in range(factor):
        suffix = "" if i == 0 else f"-x{i}"
        for entry in entries:
            copy = dict(entry, slug=entry["slug"] + suffix, name=entry["name"] + suffix)
            copy["rules"] = [
                dict(r, targets=[t + suffix for t in r["targets"]]) for r in entry.get("rules") or []
            ]
            if entry.get("successor"):
                copy["successor"] = entry["successor"] + suffix
            if i:
                copy["ratings"] = _jittered(entry["ratings"], rng)
            out.append(copy)
    return out


def _jittered(ratings: dict, rng: random.Random) -> dict:
    moved = dict(ratings)
    axes = list(RATING_AXES)
    forced = rng.choice(axes)
    for axis in axes:
        step = rng.choice((-1, 0, 1)) if axis != forced else rng.choice((-1, 1))
        moved[axis] = min(5, max(1, ratings[axis] + step))
        if axis == forced and moved[axis] == ratings[axis]:
            moved[axis] = ratings[axis] - step
    return moved


def profiles() -> list[dict]:
    cases = [c["constraints"] for c in yaml.safe_load(SCENARIOS.read_text()) if "error" not in c]
    return cases + EXTRA


def requests(count: int, seed: int = 11) -> list[dict]:
    """`count` distinct constraint sets: the profiles, each with drawn priorities and scale."""
    rng = random.Random(seed)
    base, seen, out = profiles(), set(), []
    while len(out) < count:
        raw = dict(rng.choice(base))
        raw["priorities"] = {axis: rng.randint(0, 5) for axis in PRIORITY_AXES}
        raw["scale"] = rng.choice(SCALES)
        key = json.dumps(raw, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(raw)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "n": len(values),
    }


def engine_times(catalog: Catalog, batch: list[dict]) -> list[float]:
    today, out = date.today(), []
    for raw in batch:
        start = time.perf_counter()
        with contextlib.suppress(ConstraintError):
            recommend(catalog, raw, today=today)
        out.append((time.perf_counter() - start) * 1000)
    return out


def distinct_top3(catalog: Catalog) -> dict:
    """How often the top three stacks differ pairwise in a core slot, over the scenario profiles."""
    answered = distinct = 0
    for raw in profiles():
        try:
            stacks = recommend(catalog, raw)["stacks"][:3]
        except ConstraintError:
            continue
        answered += 1
        core = [tuple(s["components"].get(slot) for slot in CORE_SLOTS) for s in stacks]
        pairs = [(a, b) for i, a in enumerate(core) for b in core[i + 1 :]]
        if len(stacks) == 3 and all(any(x != y for x, y in zip(a, b, strict=True)) for a, b in pairs):
            distinct += 1
    return {
        "answered": answered,
        "distinct": distinct,
        "share": round(distinct / answered, 3) if answered else None,
    }


def api_times(entries: list[dict], batch: list[dict], gc_freeze: bool = True) -> dict:
    """POST each request through the app (SQLite file database, results saved), with the snapshot
    frozen out of the garbage collector as production does (ADVISOR_GC_FREEZE) unless told not to."""
    from advisor import create_app
    from advisor.catalog import files, service

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "TESTING": False,
                "SNAPSHOT_GC_FREEZE": gc_freeze,
            }
        )
        migrate(app)
        with app.app_context():
            entries = files.validate_entries([("bench", entries)], {})
            service.apply_entries(entries, actor="bench", action="seed")
            service.db.session.commit()
        client = app.test_client()
        out: dict[str, list[float]] = {"api_ms": [], "whatif_ms": []}
        client.post("/api/v1/recommendations", json=batch[0])  # the first request builds the snapshot
        for raw in batch:
            start = time.perf_counter()
            response = client.post("/api/v1/recommendations", json=raw)
            out["api_ms"].append((time.perf_counter() - start) * 1000)
            assert response.status_code in (201, 422), response.get_data(as_text=True)[:300]
        preview = "/api/v1/recommendations/preview"
        if client.post(preview, json=batch[0]).status_code != 404:
            for raw in batch:
                start = time.perf_counter()
                client.post(preview, json=raw)
                out["whatif_ms"].append((time.perf_counter() - start) * 1000)
        return {key: summary(values) for key, values in out.items() if values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="distinct requests per catalog")
    parser.add_argument("--factors", default="1,10")
    parser.add_argument("--no-api", action="store_true", help="engine only")
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the snapshot in the collector (production freezes it)",
    )
    args = parser.parse_args()
    entries = seed_entries()
    batch = requests(args.requests)
    report = {
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
        "requests": len(batch),
        "sizes": {},
    }
    for factor in (int(f) for f in args.factors.split(",")):
        copies = scaled(entries, factor)
        catalog = Catalog.from_entries(copies, version=1)
        if not args.no_gc_freeze:  # as production does with each snapshot (catalog.service.snapshot)
            gc.collect()
            gc.freeze()
        result = {
            "technologies": len(catalog.techs),
            "rules": len(catalog.rules),
            "engine_ms": summary(engine_times(catalog, batch)),
        }
        if factor == 1:
            result["distinct_top3"] = distinct_top3(catalog)
        if not args.no_api:
            result.update(api_times(copies, batch, gc_freeze=not args.no_gc_freeze))
        report["sizes"][f"{factor}x"] = result
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
