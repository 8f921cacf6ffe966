"""What each remaining per-process cache saves, on distinct requests. Run with
`.venv/bin/python -m benchmarks.cache_bench` (prints one JSON document; figures in milliseconds).

- `catalog_snapshot`: building the engine's catalog from the database (what a miss costs) against
  reading the kept one; every recommendation, what-if and catalog page needs it, whatever it asks.
- `listed_entries`: the catalog pages' entries, rebuilt against kept.
- `result_page`: `GET /r/<id>` for distinct saved results, the first view (rendered, gzipped and
  kept) against the next view of the same link (sent from the cache), as links shared in a team are.
- `wizard_step`: an htmx swap of a wizard step rendered afresh: the per-process copy of it that used
  to be kept saved at most this on a hit, and distinct answers never hit it.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from advisor import create_app
from advisor.catalog import service
from advisor.engine import Catalog
from advisor.engine.vocabulary import PRIORITY_AXES
from benchmarks import migrate
from benchmarks.engine_bench import EXTRA, SCENARIOS

ROOT = Path(__file__).resolve().parent.parent


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "median": round(statistics.median(ordered), 3),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "n": len(ordered),
    }


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _app(tmp: str):

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    migrate(app)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    return app


def _profiles(n: int) -> list[dict]:
    import yaml

    base = [c["constraints"] for c in yaml.safe_load(SCENARIOS.read_text()) if "error" not in c] + EXTRA
    rng = random.Random(7)
    out = []
    for i in range(n):
        raw = dict(base[i % len(base)])
        raw["priorities"] = {a: rng.randint(1, 5) for a in PRIORITY_AXES}
        out.append(raw)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(tmp)
        figures: dict = {}
        with app.app_context():
            service.snapshot()
            figures["catalog_snapshot"] = {
                "miss": _ms(
                    [
                        _timed(lambda: Catalog.from_entries(service.export_entries(), version=1))
                        for _ in range(30)
                    ]
                ),
                "hit": _ms([_timed(service.snapshot) for _ in range(300)]),
            }
            figures["listed_entries"] = {
                "miss": _ms([_timed(service.export_entries) for _ in range(30)]),
                "hit": _ms([_timed(service.listed_entries) for _ in range(300)]),
            }
        client = app.test_client()
        ids = []
        for raw in _profiles(60):
            response = client.post("/api/v1/recommendations", json=raw)
            if response.status_code == 201:
                ids.append(response.get_json()["id"])
        first = [_timed(lambda i=i: client.get(f"/r/{i}", headers={"Accept-Encoding": "gzip"})) for i in ids]
        again = [_timed(lambda i=i: client.get(f"/r/{i}", headers={"Accept-Encoding": "gzip"})) for i in ids]
        figures["result_page"] = {"first_view": _ms(first), "next_view": _ms(again)}
        page = client.get("/wizard/kind").get_data(as_text=True)
        found = re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', page
        )
        token = found.group(1) or found.group(2)
        started = client.post("/wizard/kind", data={"csrf_token": token, "project_kind": "rest_api"})
        assert started.status_code == 303, started.status_code
        swaps = []
        for _ in range(60):
            start = time.perf_counter()
            response = client.get("/wizard/team", headers={"HX-Request": "true"})
            swaps.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and b"csrf_token" in response.data
        figures["wizard_step"] = {"render": _ms(swaps)}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
