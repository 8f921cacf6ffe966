"""Load benchmark: real gunicorn on loopback, 32 concurrent connections, one endpoint at a time.

Run with `.venv/bin/python -m benchmarks.load` (options: --duration seconds per endpoint,
--connections, --workers). It makes a migrated, seeded SQLite database in a temporary directory,
starts `gunicorn -c gunicorn.conf.py wsgi:app` on a free loopback port with rate limits off,
then measures, for ~10 s each:

  healthz     GET /healthz (the floor: what Flask and gunicorn do on this machine)
  permalink   GET /r/<id> (a saved result's HTML page)
  wizard_swap GET /wizard/features with HX-Request: true (an htmx step swap, with a session)
  create      POST /api/v1/recommendations (a new result: engine run and a database write), the
              same answers every time, as when many people pick the popular ones
  create_distinct  the same with different answers on every request (project kind x priorities),
              so that every creation runs the engine

and prints one JSON document: requests per second, p50/p90/p99 latency in ms and error counts per
endpoint, plus the wizard's first page weight (HTML + CSS + JS gzipped, and whether any asset comes
from another host) and the result page's size plain and as sent with gzip. Every request asks for
gzip, as browsers do. The client runs in several processes so the GIL does not cap it; on a small
machine it shares the CPUs with the server, so figures are a lower bound.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import json
import multiprocessing
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def _tool(name: str) -> list[str]:
    exe = VENV_BIN / name
    return [str(exe)] if exe.exists() else [sys.executable, "-m", name]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP client -----------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 30,
) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


# Every endpoint is fetched the same way, as a browser does: asking for gzip. Bodies are read in
# full but not decompressed (a load tester measures the server, not its own CPU).
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


KINDS = ("rest_api", "web_app", "microservice", "realtime", "ml_service", "scripts")
AXES = ("dev_speed", "performance", "maturity", "flexibility", "simplicity", "typing")


def distinct_constraints(n: int) -> dict:
    """The n-th of 6 x 6^6 different answers (project kind and priorities): none repeats in a run, so
    no cache can answer it and every creation runs the engine."""
    levels, rest = {}, n // len(KINDS)
    for axis in AXES:
        rest, levels[axis] = divmod(rest, 6)
    return {"project_kind": KINDS[n % len(KINDS)], "priorities": levels}


def _client_process(
    port: int, spec: dict, threads: int, deadline: float, queue, slot: tuple[int, int] = (0, 1)
) -> None:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    body = spec.get("body")
    body = body.encode() if body else None
    headers = {**CLIENT_HEADERS, **spec["headers"]}
    numbers = itertools.count(slot[0], slot[1])  # this process's share of distinct bodies

    def loop() -> None:
        mine: list[float] = []
        bad: dict[str, int] = {}
        while time.time() < deadline:
            sent = json.dumps(distinct_constraints(next(numbers))).encode() if spec.get("distinct") else body
            start = time.perf_counter()
            try:
                status, _, _ = request(port, spec["method"], spec["path"], sent, headers)
                key = None if status == spec["expect"] else str(status)
            except OSError as err:
                key = type(err).__name__
            elapsed = time.perf_counter() - start
            if key is None:
                mine.append(elapsed)
            else:
                bad[key] = bad.get(key, 0) + 1
        with lock:
            latencies.extend(mine)
            for key, count in bad.items():
                errors[key] = errors.get(key, 0) + count

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, errors))


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * len(sorted_values)) - 1))
    return sorted_values[index]


def measure(port: int, spec: dict, connections: int, duration: float) -> dict:
    processes = min(4, connections)
    per_process = [
        connections // processes + (1 if i < connections % processes else 0) for i in range(processes)
    ]
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    start = time.time()
    deadline = start + duration
    procs = [
        ctx.Process(target=_client_process, args=(port, spec, n, deadline, queue, (i, processes)))
        for i, n in enumerate(per_process)
    ]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    for _ in procs:
        got, bad = queue.get(timeout=duration + 120)
        latencies.extend(got)
        for key, count in bad.items():
            errors[key] = errors.get(key, 0) + count
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.time() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "req_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 2),
        "p90_ms": round(_percentile(latencies, 0.90) * 1000, 2),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
    }


# --- set-up ----------------------------------------------------------------------------------


def _wizard_session(port: int) -> str | None:
    """A session cookie that has answered the first step, so later steps are reachable."""
    status, headers, page = request(port, "GET", "/wizard/kind")
    cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if status != 200 or not cookie or not token:
        return None
    form = f"csrf_token={token.group(1).decode()}&project_kind=rest_api".encode()
    status, headers, _ = request(
        port,
        "POST",
        "/wizard/kind",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}/wizard/kind",
        },
    )
    cookie = headers.get("set-cookie", cookie).split(";")[0] or cookie
    status, _, _ = request(port, "GET", "/wizard/features", headers={"Cookie": cookie, "HX-Request": "true"})
    return cookie if status == 200 else None


def page_weight(port: int) -> dict:
    """The wizard's first page as a browser loads it: HTML plus its stylesheets and scripts."""
    path = "/wizard/"
    for _ in range(5):
        status, headers, html = request(port, "GET", path, headers={"Accept-Encoding": "identity"})
        if status in (301, 302, 303, 307, 308):
            path = urlparse(urljoin(f"http://127.0.0.1:{port}{path}", headers["location"])).path
            continue
        break
    text = html.decode("utf-8", "replace")
    assets = (
        re.findall(r'<link[^>]+rel="?stylesheet"?[^>]*href="([^"]+)"', text)
        + re.findall(r'<link[^>]+href="([^"]+)"[^>]*rel="?stylesheet"?', text)
        + re.findall(r'<script[^>]+src="([^"]+)"', text)
    )
    parts = {path: html}
    third_party = []
    for asset in dict.fromkeys(assets):
        url = urlparse(urljoin(f"http://127.0.0.1:{port}{path}", asset))
        if url.hostname not in ("127.0.0.1", None):
            third_party.append(asset)
            continue
        _, _, data = request(port, "GET", url.path + (f"?{url.query}" if url.query else ""))
        parts[url.path] = data
    sizes = {
        name: {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 9))} for name, data in parts.items()
    }
    return {
        "page": path,
        "files": sizes,
        "total_bytes": sum(s["bytes"] for s in sizes.values()),
        "total_gzip_bytes": sum(s["gzip_bytes"] for s in sizes.values()),
        "third_party_requests": third_party,
    }


def permalink_weight(port: int, path: str) -> dict:
    """The result page's size as sent plain and as sent to a client asking for gzip (same page)."""
    _, _, plain = request(port, "GET", path, headers={"Accept-Encoding": "identity"})
    _, headers, sent = request(port, "GET", path, headers=CLIENT_HEADERS)
    gzipped = headers.get("content-encoding") == "gzip"
    assert (gzip.decompress(sent) if gzipped else sent) == plain, "the gzip page differs"
    return {"bytes": len(plain), "bytes_sent_with_gzip": len(sent), "server_gzip": gzipped}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's, CPUs + 1)"
    )
    parser.add_argument("--only", nargs="*", help="endpoints to run (default: all)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="advisor-load-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'advisor.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ADVISOR_RATELIMIT": "0",
            "SECRET_KEY": "load-benchmark-" + "x" * 24,
            "ADVISOR_LOG_LEVEL": "WARNING",
        }
        for name in ("REDIS_URL", "ADVISOR_ENV"):
            env.pop(name, None)
        for cli in (["db", "upgrade"], ["seed"]):
            subprocess.run(
                [*_tool("flask"), "--app", "advisor", *cli],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
        port = _free_port()
        env["ADVISOR_BIND"] = f"127.0.0.1:{port}"
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        log_path = Path(tmp) / "gunicorn.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [*_tool("gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if request(port, "GET", "/healthz", timeout=1)[0] == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
                    return 1
                time.sleep(0.2)

            create_body = json.dumps({"project_kind": "rest_api"})
            status, headers, _ = request(
                port,
                "POST",
                "/api/v1/recommendations",
                create_body.encode(),
                {"Content-Type": "application/json"},
            )
            assert status == 201, status
            permalink = urlparse(headers["location"]).path
            cookie = _wizard_session(port)
            wizard = (
                {
                    "method": "GET",
                    "path": "/wizard/features",
                    "expect": 200,
                    "headers": {"HX-Request": "true", "Cookie": cookie},
                }
                if cookie
                else {
                    "method": "GET",
                    "path": "/wizard/kind",
                    "expect": 200,
                    "headers": {"HX-Request": "true"},
                }
            )
            specs = {
                "healthz": {"method": "GET", "path": "/healthz", "expect": 200, "headers": {}},
                "permalink": {"method": "GET", "path": permalink, "expect": 200, "headers": {}},
                "wizard_swap": wizard,
                "create": {
                    "method": "POST",
                    "path": "/api/v1/recommendations",
                    "expect": 201,
                    "body": create_body,
                    "headers": {"Content-Type": "application/json"},
                },
                "create_distinct": {
                    "method": "POST",
                    "path": "/api/v1/recommendations",
                    "expect": 201,
                    "distinct": True,
                    "headers": {"Content-Type": "application/json"},
                },
            }
            results = {}
            for name, spec in specs.items():
                if args.only and name not in args.only:
                    continue
                results[name] = {
                    "request": f"{spec['method']} {spec['path']}",
                    **measure(port, spec, args.connections, args.duration),
                }
            report = {
                "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                },
                "server": {
                    "workers": int(env.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1),
                    "database": "sqlite",
                },
                "connections": args.connections,
                "duration_s": args.duration,
                "endpoints": results,
                "wizard_first_page": page_weight(port),
                "permalink_page": permalink_weight(port, permalink),
            }
            if "healthz" in results and "permalink" in results:
                report["permalink_vs_healthz"] = round(
                    results["permalink"]["req_per_s"] / max(results["healthz"]["req_per_s"], 1e-9), 2
                )
            print(json.dumps(report, indent=2))
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
