"""How well one technology fits one slot of a project: a number in [0, 1] and the signals behind it."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine.catalog import Tech
from advisor.engine.vocabulary import PRIORITY_AXES, RATING_AXES

AXIS_WORDS = {
    "dev_speed": "development speed", "performance": "performance", "maturity": "maturity",
    "flexibility": "flexibility", "simplicity": "simplicity", "typing": "typing support",
    "scalability": "scalability", "ecosystem": "ecosystem", "learnability": "ease of learning",
}
SCALE_LEVEL = {"prototype": 1, "small": 2, "medium": 3, "large": 4}
ASYNC_SLOTS = {"framework", "server", "db_driver", "orm", "http_client", "graphql", "broker_client"}
RATINGS_SPREAD = 0.4   # how far ratings alone move a fit away from 0.5


@dataclass(frozen=True)
class Fit:
    """A unary fit: `value` in [0, 1]; `signals` are (delta, phrase) pairs, biggest first."""

    value: float
    signals: tuple[tuple[float, str], ...]


def axis_weights(c: dict) -> dict[str, float]:
    """What the project cares about, per rating axis: stated priorities plus what scale and team imply."""
    w = {axis: 0.0 for axis in RATING_AXES}
    for axis in PRIORITY_AXES:
        w[axis] += c["priorities"][axis]
    w["maturity"] += 1
    w["ecosystem"] += 1
    w["dev_speed"] += 0.5
    scale_bias = {
        "prototype": {"dev_speed": 2, "simplicity": 1.5},
        "small": {"simplicity": 0.5},
        "medium": {"performance": 1, "scalability": 1.5},
        "large": {"performance": 2, "scalability": 3},
    }
    team_bias = {
        "beginner": {"learnability": 3, "simplicity": 1},
        "intermediate": {"learnability": 1},
        "expert": {"flexibility": 1, "performance": 0.5},
    }
    for bias in (scale_bias[c["scale"]], team_bias[c["team_experience"]]):
        for axis, extra in bias.items():
            w[axis] += extra
    if c["workload"] == "cpu_bound":
        w["performance"] += 1
    if c["deployment"] == "serverless":
        w["simplicity"] += 1
    return w


def fit(tech: Tech, slot: str, c: dict, weights: dict[str, float],
        framework_async: bool | None = None) -> Fit:
    """Score `tech` in `slot` for constraints `c`; capability and context signals adjust the ratings."""
    total = sum(weights.values()) or 1.0
    signals: list[tuple[float, str]] = []
    for axis, weight in weights.items():
        if weight:
            delta = RATINGS_SPREAD * weight * (tech.rating(axis) - 3) / 2 / total
            if abs(delta) >= 0.01:
                word = "strong" if delta > 0 else "weak"
                signals.append((delta, f"{word} {AXIS_WORDS[axis]} ({tech.rating(axis)}/5)"))
    signals.extend(_context_signals(tech, slot, c))
    value = min(1.0, max(0.0, 0.5 + sum(d for d, _ in signals)))
    ordered = tuple(sorted(signals, key=lambda s: (-abs(s[0]), s[1])))
    return Fit(value, ordered)


def _context_signals(tech: Tech, slot: str, c: dict) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    has = tech.has
    feats, kind = set(c["features"]), c["project_kind"]

    def cap(capability: str, bonus: float, phrase: str, malus: float = 0.0, missing: str = "") -> None:
        if has(capability):
            out.append((bonus, phrase))
        elif malus:
            out.append((-malus, missing or f"lacks {phrase}"))

    if tech.slug in c["familiar_with"]:
        bonus = 0.2 if c["team_experience"] == "beginner" else 0.15
        out.append((bonus, "your team already knows it"))
    level = SCALE_LEVEL[c["scale"]]
    if slot in ("framework", "server", "database", "broker", "cache", "task_queue"):
        gap = level - tech.rating("scalability")
        if gap > 0:
            out.append((-0.12 * gap, f"may strain at {c['scale']} scale"))
    if c["workload"] in ("io_bound", "mixed") and slot in ASYNC_SLOTS:
        weight = 0.1 if c["workload"] == "io_bound" else 0.03
        if kind == "realtime":
            weight += 0.05
        capability = "asgi" if slot == "server" else "async"
        cap(capability, weight, "native async for I/O-bound work", weight / 2, "no native async")
    handler = _SLOT_SIGNALS.get(slot)
    if handler:
        handler(tech, c, feats, kind, cap, out)
    return out


def _framework(tech, c, feats, kind, cap, out):
    if "admin_ui" in feats:
        cap("admin_ui", 0.25, "admin interface built in", 0.1, "no admin interface built in")
    if "user_accounts" in feats:
        cap("user_accounts", 0.1, "user accounts built in")
    if "websockets" in feats or kind == "realtime":
        cap("websockets", 0.2, "WebSocket support", 0.35, "no WebSocket support")
    if kind == "realtime":
        cap("long_polling", 0.05, "long-lived connections")
    if "api_docs" in feats:
        cap("openapi", 0.12, "generates OpenAPI docs")
    if "graphql" in feats:
        cap("graphql", 0.05, "GraphQL support")
    if "ml_inference" in feats or kind == "ml_service":
        cap("ml_friendly", 0.12, "a good home for model serving")
    if kind == "web_app":
        cap("templating", 0.05, "server-side templates")
        cap("forms", 0.03, "form handling")
        cap("batteries_included", 0.05, "batteries included")
    if kind in ("rest_api", "ml_service", "microservice"):
        cap("openapi", 0.07, "API schema out of the box")
        cap("validation_builtin", 0.07, "request validation built in")
    if kind == "microservice":
        cap("lightweight", 0.1, "lightweight enough for a microservice")
        cap("batteries_included", -0.12, "heavy for a microservice")
    if c["deployment"] == "serverless":
        cap("serverless_friendly", 0.1, "starts fast in serverless")
        cap("batteries_included", -0.05, "slow cold starts")


def _server(tech, c, feats, kind, cap, out):
    if "websockets" in feats or kind == "realtime":
        cap("websockets", 0.1, "serves WebSockets")
    if c["scale"] in ("medium", "large"):
        cap("process_manager", 0.03, "manages worker processes")
        cap("http2", 0.02, "HTTP/2")


def _database(tech, c, feats, kind, cap, out):
    model = c["data_model"]
    if model == "relational":
        cap("relational", 0.2, "relational, as your data is", 0.6, "not relational")
    elif model == "document":
        cap("document", 0.3, "stores documents natively", 0.0)
        cap("json_documents", 0.1, "handles JSON documents")
        if not tech.has("document") and not tech.has("json_documents"):
            out.append((-0.4, "not a document store"))
    elif model == "key_value":
        cap("key_value", 0.3, "a key-value store", 0.3, "not a key-value store")
    else:
        cap("relational", 0.15, "relational for structured data", 0.2, "not relational")
        cap("json_documents", 0.15, "also stores JSON documents", 0.1, "no JSON documents")
    if "full_text_search" in feats:
        cap("full_text_search", 0.1, "full-text search built in", 0.1, "no full-text search")
    if tech.has("embedded"):
        if kind == "scripts" or c["scale"] == "prototype":
            out.append((0.1, "no server to run"))
        else:
            out.append((-0.1, "one file, one writer: not for a multi-user service"))
        if c["deployment"] in ("serverless", "kubernetes"):
            out.append((-0.2, f"no durable local disk on {c['deployment']}"))
    cap("transactions", 0.03, "transactions")


def _task_queue(tech, c, feats, kind, cap, out):
    if "scheduled_jobs" in feats:
        cap("scheduling", 0.25, "schedules periodic jobs", 0.2, "needs an add-on for schedules")
    cap("retries", 0.04, "retries failed jobs")
    if "scheduled_jobs" in feats and "background_jobs" in feats:
        cap("workflows", 0.05, "chains and workflows of jobs")
    cap("monitoring", 0.03, "monitoring tools")


def _broker(tech, c, feats, kind, cap, out):
    if "event_streaming" in feats:
        cap("event_streaming", 0.35, "built for event streams", 0.35, "not an event log")
    if "pubsub" in feats:
        cap("pubsub", 0.15, "publish/subscribe", 0.2, "no publish/subscribe")
    if "guaranteed_delivery" in feats:
        cap("guaranteed_delivery", 0.2, "delivery guarantees", 0.25, "may lose messages")
    if c["scale"] == "large":
        cap("high_throughput", 0.1, "high throughput")
    if feats & {"background_jobs", "scheduled_jobs"}:
        cap("complex_routing", 0.03, "flexible routing of jobs")


def _auth(tech, c, feats, kind, cap, out):
    if "social_login" in feats:
        cap("social_login", 0.2, "social login", 0.3, "no social login")
        cap("oauth", 0.1, "OAuth")
    if "user_accounts" in feats:
        if kind in ("rest_api", "microservice", "ml_service"):
            cap("jwt", 0.15, "token (JWT) auth for APIs")
        else:
            cap("password_hashing", 0.15, "safe password hashing")


def _cache(tech, c, feats, kind, cap, out):
    cap("caching", 0.2, "made for caching", 0.3, "not a cache")
    if "user_accounts" in feats:
        cap("sessions", 0.03, "also holds sessions")


def _observability(tech, c, feats, kind, cap, out):
    cap("error_tracking", 0.08, "error tracking")
    if kind == "microservice" or c["deployment"] == "kubernetes":
        cap("tracing", 0.12, "distributed tracing across services")
    if c["scale"] in ("medium", "large"):
        cap("metrics", 0.08, "metrics")


def _ml(tech, c, feats, kind, cap, out):
    cap("ml_friendly", 0.05, "made for models")


def _deployment(tech, c, feats, kind, cap, out):
    cap(f"deploy_{c['deployment']}", 0.3, f"fits {c['deployment']}", 1.0, "wrong target")


_SLOT_SIGNALS = {
    "framework": _framework, "server": _server, "database": _database, "task_queue": _task_queue,
    "broker": _broker, "auth": _auth, "cache": _cache, "observability": _observability,
    "ml_library": _ml, "deployment": _deployment,
}
