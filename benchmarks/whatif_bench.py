"""What-if benchmark: how long a re-rank takes, as the browser asks for it, on the seed catalog.

Run with `.venv/bin/python -m benchmarks.whatif_bench`. Saves one result per profile (the presets
and the engine benchmark's extra profiles) in a throwaway SQLite database, then times the htmx
request the what-if panel sends (GET /r/<id>/whatif with HX-Request), in process through Flask's
test client: parsing the form, the engine, and rendering the re-ranked stacks. The first pass sets
each priority in turn to each level, and pairs of them: every request distinct (nothing remembers
earlier answers anyway). Prints one JSON document with
the median and p95 milliseconds. The target is p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import migrate
from benchmarks.engine_bench import EXTRA

AXES = ("dev_speed", "performance", "maturity", "flexibility", "simplicity", "typing")


def _app(directory: Path, gc_freeze: bool):

    from advisor import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "SNAPSHOT_GC_FREEZE": gc_freeze,  # as in production
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite3'}",
        }
    )
    migrate(app)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    return app


def _queries(rounds: int) -> list[dict]:
    """One priority at a time at levels 1 to 5, the others at 0, then pairs of them."""
    queries = []
    for i in range(rounds):
        query = {f"priorities-{a}": "0" for a in AXES}
        query[f"priorities-{AXES[i % len(AXES)]}"] = str(1 + i // len(AXES) % 5)
        if i >= 30:
            query[f"priorities-{AXES[(i + 1) % len(AXES)]}"] = str(1 + i % 5)
        queries.append(query)
    return queries


def _time(client, result_id: str, queries: list[dict]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        response = client.get(f"/r/{result_id}/whatif", query_string=query, headers={"HX-Request": "true"})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and b"ranking-container" in response.data, response.data[:500]
    return times


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=36, help="re-ranks per profile (default 36)")
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the snapshot in the collector (production freezes it)",
    )
    args = parser.parse_args(argv)
    from advisor.results.presets import PRESETS
    from advisor.results.service import create_result

    profiles = [p.constraints for p in PRESETS] + EXTRA
    with tempfile.TemporaryDirectory() as directory:
        app = _app(Path(directory), gc_freeze=not args.no_gc_freeze)
        with app.app_context():
            ids = [create_result(constraints).id for constraints in profiles]
        client = app.test_client()
        client.get(f"/r/{ids[0]}")  # the catalog snapshot is built once per process
        times = []
        for result_id in ids:
            times += _time(client, result_id, _queries(args.rounds))
    report = {
        "python": platform.python_version(),
        "profiles": len(profiles),
        "gc_freeze": not args.no_gc_freeze,
        "rerank": _summary(times),
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
