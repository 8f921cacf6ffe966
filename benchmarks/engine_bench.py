"""Engine benchmark: time to the top 10 stacks on the seed catalog and on 10x and 100x synthetic copies.

Run with `make bench` (or `.venv/bin/python -m benchmarks.engine_bench`). Prints one JSON document:
for each catalog size, the median and p95 milliseconds to rank the top 10 stacks over a set of
constraint profiles, the same for a full recommendation (validation, top 5 and runner-ups), and the
peak memory allocated during one ranking (tracemalloc).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import yaml

from advisor.engine import Catalog, recommend
from advisor.engine.constraints import validate_constraints
from advisor.engine.recommend import build_model
from advisor.engine.search import search

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT.parent / "shared" / "scenarios" / "public.yaml"
EXTRA = [
    {"project_kind": "web_app", "features": ["background_jobs", "caching", "user_accounts"], "scale": "large"},
    {"project_kind": "microservice", "features": ["event_streaming", "api_docs", "graphql"], "scale": "large"},
    {"project_kind": "realtime", "features": ["websockets", "pubsub"], "workload": "io_bound"},
    {"project_kind": "scripts", "data_model": "document"},
    {"project_kind": "ml_service", "features": ["ml_inference", "social_login", "full_text_search"]},
]


def seed_entries() -> list[dict]:
    entries = []
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        entries.extend(yaml.safe_load(path.read_text()))
    return entries


def scaled(entries: list[dict], factor: int) -> list[dict]:
    """`factor` copies of the catalog; copy i renames every slug and points its rules at copy i."""
    out = []
    for i in range(factor):
        suffix = "" if i == 0 else f"-x{i}"
        for entry in entries:
            copy = dict(entry, slug=entry["slug"] + suffix, name=entry["name"] + suffix)
            copy["rules"] = [dict(r, targets=[t + suffix for t in r["targets"]])
                             for r in entry.get("rules") or []]
            out.append(copy)
    return out


def profiles() -> list[dict]:
    cases = [c["constraints"] for c in yaml.safe_load(SCENARIOS.read_text()) if "error" not in c]
    return cases + EXTRA


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(catalog: Catalog, repeats: int) -> dict:
    known = {s for s, t in catalog.techs.items() if t.status == "active"}
    rank_ms, full_ms = [], []
    for raw in profiles():
        for _ in range(repeats):
            start = time.perf_counter()
            c = validate_constraints(raw, known)
            stacks = search(build_model(catalog, c).problem, 10)
            rank_ms.append((time.perf_counter() - start) * 1000)
            assert stacks, raw
        start = time.perf_counter()
        recommend(catalog, raw)
        full_ms.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    c = validate_constraints(EXTRA[1], known)
    search(build_model(catalog, c).problem, 10)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "technologies": len(catalog.techs),
        "rules": len(catalog.rules),
        "top10_ms": {"median": round(statistics.median(rank_ms), 3), "p95": round(percentile(rank_ms, 0.95), 3)},
        "recommend_ms": {"median": round(statistics.median(full_ms), 3), "p95": round(percentile(full_ms, 0.95), 3)},
        "peak_memory_kib": round(peak / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--factors", default="1,10,100")
    args = parser.parse_args()
    entries = seed_entries()
    report = {"machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
              "profiles": len(profiles()), "sizes": {}}
    for factor in (int(f) for f in args.factors.split(",")):
        start = time.perf_counter()
        catalog = Catalog.from_entries(scaled(entries, factor), version=1)
        build_ms = (time.perf_counter() - start) * 1000
        # As a production server does with each snapshot (SNAPSHOT_GC_FREEZE): collect, then keep
        # the long-lived catalog out of the collector's full passes.
        gc.collect()
        gc.freeze()
        result = measure(catalog, args.repeats if factor < 100 else max(1, args.repeats // 5))
        result["snapshot_build_ms"] = round(build_ms, 1)
        report["sizes"][f"{factor}x"] = result
    base = report["sizes"].get("1x")
    if base:
        for key, value in report["sizes"].items():
            growth = value["technologies"] / base["technologies"]
            value["cost_ratio_vs_1x"] = round(value["top10_ms"]["median"] / base["top10_ms"]["median"], 2)
            value["size_ratio_vs_1x"] = round(growth, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
