"""How well one technology fits one slot of a project: a number in [0, 1] and the signals behind it.

A fit starts at 0.5. Ratings move it by how much the project cares about each axis (its stated
priorities, plus what its scale, team, workload and deployment imply); capabilities, maintenance facts
and familiarity move it further. Every signal carries its words: a catalog fact tied to a constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Tech
from advisor.engine.maintenance import STATUS_WORDS, is_stale, release_label

RATINGS_SPREAD = 0.4  # how far ratings alone move a fit away from 0.5
FAMILIAR_FRAMEWORK = 0.3  # what a framework the team knows gains (other parts gain half)
FAMILIAR_BEGINNER = 1.3  # ... and a beginner team relies on what it knows even more
BUILTIN_BONUS = 0.08  # a part built into another part of the stack: nothing more to install
STATUS_MALUS = {"maintenance": 0.06, "deprecated": 0.15, "end_of_life": 0.35, "archived": 0.35}
STALE_MALUS = 0.1
SCALE_LEVEL = {"prototype": 1, "small": 2, "medium": 3, "large": 4}
SCALE_SLOTS = {"framework", "server", "database", "broker", "cache", "task_queue", "search"}  # may strain
ASYNC_SLOTS = {"framework", "server", "db_driver", "orm", "http_client", "graphql", "broker_client"}
BASELINE = {"maturity": 1.0, "ecosystem": 1.0, "dev_speed": 0.5}  # what every project cares about


@dataclass(frozen=True)
class Signal:
    """One reason a fit moved: `delta` (0 for a plain note) and the words that say why."""

    delta: float
    text: str


@dataclass(frozen=True)
class Fit:
    """A fit in [0, 1] and its signals, biggest first."""

    value: float
    signals: tuple[Signal, ...]


class Context:
    """What a fit depends on besides the technology: constraints turned into weights and sets."""

    def __init__(self, c: dict, today: date, names: dict[str, str] | None = None):
        self.c = c
        self.names = names or {}
        self.today = today
        self.features = set(c["features"])
        self.kind = c["project_kind"]
        self.familiar = set(c["familiar_with"])
        self.weights, self.because = axis_weights(c)
        self.total = sum(self.weights.values()) or 1.0
        self.axes = [(axis, w * RATINGS_SPREAD / 2 / self.total) for axis, w in self.weights.items() if w]
        self.rating_signals: dict[tuple[str, int], Signal | None] = {}  # the same for every part


# What each scale and each team's experience adds to the weight of a rating axis.
SCALE_NEEDS: dict[str, dict[str, float]] = {
    "prototype": {"dev_speed": 2, "simplicity": 1.5},
    "small": {"simplicity": 0.5},
    "medium": {"performance": 1, "scalability": 1.5},
    "large": {"performance": 2, "scalability": 3},
}
TEAM_NEEDS: dict[str, dict[str, float]] = {
    "beginner": {"learnability": 3, "simplicity": 1},
    "intermediate": {"learnability": 1},
    "expert": {"flexibility": 1, "performance": 0.5},
}


def axis_weights(c: dict) -> tuple[dict[str, float], dict[str, str]]:
    """How much the project cares about each rating axis, and the main reason for it, in words."""
    weights = {axis: 0.0 for axis in v.RATING_AXES}
    sources: dict[str, list[tuple[float, str]]] = {axis: [] for axis in v.RATING_AXES}

    def add(axis: str, amount: float, why: str) -> None:
        weights[axis] += amount
        sources[axis].append((amount, why))

    for axis in v.PRIORITY_AXES:
        if c["priorities"][axis]:
            add(axis, c["priorities"][axis], f"which you rated {c['priorities'][axis]}/5")
    for axis, amount in BASELINE.items():
        add(axis, amount, "which every project needs")
    scale = c["scale"]
    scale_words = f"which matters at {v.SCALE_WORDS[scale][0].lower()} scale"
    for axis, amount in SCALE_NEEDS[scale].items():
        add(axis, amount, "which a prototype needs" if scale == "prototype" else scale_words)
    team = c["team_experience"]
    for axis, amount in TEAM_NEEDS[team].items():
        add(axis, amount, f"which matters to {'a' if team == 'beginner' else 'an'} {team} team")
    if c["workload"] == "cpu_bound":
        add("performance", 1, "which CPU-heavy work needs")
    if c["deployment"] == "serverless":
        add("simplicity", 1, "which serverless rewards")
    because = {axis: max(found)[1] for axis, found in sources.items() if found}
    return weights, because


def fit(tech: Tech, slot: str, ctx: Context, builtin_of: str | None = None, explain: bool = True) -> Fit:
    """Score `tech` in `slot`; `builtin_of` names the part it is built into, when it is. Without
    `explain` only the value is computed (the search needs a value for every candidate, the result
    words for the few parts it shows)."""
    if not explain:
        return Fit(bounded(fact_sum(tech, slot, ctx, builtin_of) + rating_sum(tech, ctx)), ())
    signals = _Signals()
    known = ctx.rating_signals
    for axis, scale in ctx.axes:
        rating = tech.ratings.get(axis, 3)
        key = (axis, rating)
        if key not in known:
            known[key] = _rating_signal(ctx, axis, scale, rating)
        if signal := known[key]:
            signals.append(signal)
    _facts(tech, slot, ctx, builtin_of, signals)
    value = bounded(sum(s.delta for s in signals))
    return Fit(value, tuple(sorted(signals, key=lambda s: (-abs(s.delta), s.text))))


def _rating_signal(ctx: Context, axis: str, scale: float, rating: int) -> Signal | None:
    """What one rating says in a fit, once per request for every part with that rating."""
    delta = rating_delta(scale, rating)
    if not delta:
        return None
    name = v.RATING_LABELS[axis].lower()
    words = f"{name} {rating}/5" if rating > 3 else f"{name} only {rating}/5"
    return Signal(delta, f"{words}, {ctx.because[axis]}")


def bounded(total: float) -> float:
    """A fit's value: 0.5 moved by `total`, kept in [0, 1]."""
    return min(1.0, max(0.0, 0.5 + total))


def rating_delta(scale: float, rating: int) -> float:
    """How far one rating moves a fit: 0 for a middling rating or a negligible move."""
    if rating == 3:
        return 0.0
    delta = scale * (rating - 3)
    return delta if abs(delta) >= 0.01 else 0.0


def rating_sum(tech: Tech, ctx: Context) -> float:
    """What the ratings add to a fit without words, added axis by axis in `ctx.axes` order."""
    rated = 0.0
    for axis, scale in ctx.axes:
        rated += rating_delta(scale, tech.ratings.get(axis, 3))
    return rated


def fact_sum(tech: Tech, slot: str, ctx: Context, builtin_of: str | None = None) -> float:
    """What everything but the ratings adds to a fit: the deltas of its other signals, in order."""
    deltas = _Deltas()
    _facts(tech, slot, ctx, builtin_of, deltas)
    return sum(deltas)


class _Signals(list[Signal]):
    """A fit's signals with their words."""

    def add(self, delta: float, text: str) -> None:
        self.append(Signal(delta, text))


class _Deltas(list[float]):
    """Only the deltas of a fit's signals: a value needs no `Signal` objects."""

    def add(self, delta: float, text: str) -> None:
        self.append(delta)


def _facts(tech: Tech, slot: str, ctx: Context, builtin_of: str | None, out: _Signals | _Deltas) -> None:
    """The signals besides the ratings, in their order: built in, common facts, then the slot's own
    (which see only the capabilities). They read of the technology nothing but its slug (familiarity),
    capabilities, status, release month and, in `SCALE_SLOTS`, scalability: `fit_table` relies on it."""
    if builtin_of:
        out.add(BUILTIN_BONUS, f"part of {builtin_of} already")
    _common(tech, slot, ctx, out)
    handler = _SLOT_SIGNALS.get(slot)
    if handler:
        handler(ctx, _Caps(tech, out))


class _Caps:
    """Adds a signal when the technology has (or lacks) a capability."""

    __slots__ = ("has", "add")

    def __init__(self, tech: Tech, out: _Signals | _Deltas):
        self.has, self.add = tech.capabilities.__contains__, out.add

    def __call__(
        self, capability: str, bonus: float, words: str, malus: float = 0.0, missing: str = ""
    ) -> None:
        if self.has(capability):
            self.add(bonus, words)
        elif malus:
            self.add(-malus, missing or f"lacks {words}")

    def note(self, delta: float, words: str) -> None:
        self.add(delta, words)


def _common(tech: Tech, slot: str, ctx: Context, out: _Signals | _Deltas) -> None:
    c = ctx.c
    if tech.slug in ctx.familiar:
        bonus = FAMILIAR_FRAMEWORK if slot == "framework" else FAMILIAR_FRAMEWORK / 2
        if c["team_experience"] == "beginner":
            bonus *= FAMILIAR_BEGINNER
        out.add(bonus, f"your team already knows {tech.name}")
    if slot in SCALE_SLOTS:
        gap = SCALE_LEVEL[c["scale"]] - tech.ratings.get("scalability", 3)
        if gap > 0:
            out.add(
                -0.12 * gap,
                f"may strain at {c['scale']} scale (scalability {tech.ratings.get('scalability', 3)}/5)",
            )
    if slot in ASYNC_SLOTS and ctx.kind != "scripts" and c["workload"] in ("io_bound", "mixed"):
        weight = (0.1 if c["workload"] == "io_bound" else 0.03) + (0.05 if ctx.kind == "realtime" else 0)
        capability = "asgi" if slot == "server" else "async"
        if capability in tech.capabilities:
            out.add(weight, "async, which suits work that mostly waits on I/O")
        else:
            out.add(-weight / 2, "no async: a worker sits idle while it waits on I/O")
    if "commercial" in tech.capabilities:
        out.add(-0.15, "needs a commercial licence")
    _maintenance(tech, ctx, out)


def _maintenance(tech: Tech, ctx: Context, out: _Signals | _Deltas) -> None:
    malus = STATUS_MALUS.get(tech.status)
    if malus:
        words = STATUS_WORDS.get(tech.status, tech.status)
        successor = f"; {ctx.names.get(tech.successor, tech.successor)} replaces it" if tech.successor else ""
        out.add(-malus, f"{words}{successor}")
    if is_stale(tech.last_release, ctx.today):
        out.add(-STALE_MALUS, f"no release since {release_label(tech.last_release)}")


def _framework(ctx: Context, cap: _Caps) -> None:
    feats, kind, c = ctx.features, ctx.kind, ctx.c
    if "admin_ui" in feats:
        cap(
            "admin_ui",
            0.25,
            "admin interface built in, as you asked",
            0.1,
            "no admin interface built in: you would add one",
        )
    if "user_accounts" in feats:
        cap("user_accounts", 0.1, "user accounts built in")
    if kind == "realtime":
        cap("long_polling", 0.05, "keeps long-lived connections open")
    if "api_docs" in feats:
        cap("openapi", 0.12, "generates OpenAPI docs, as you asked for API docs")
    if "graphql" in feats:
        cap("graphql", 0.05, "GraphQL support")
    if "ml_inference" in feats or kind == "ml_service":
        cap("ml_friendly", 0.12, "a common home for serving models")
    if kind == "web_app":
        cap("templating", 0.05, "renders HTML templates")
        cap("forms", 0.03, "handles forms")
        cap("batteries_included", 0.05, "batteries included")
    if kind in ("rest_api", "ml_service", "microservice"):
        cap("openapi", 0.07, "describes its API as OpenAPI")
        cap("validation_builtin", 0.07, "validates requests itself")
    if kind == "microservice":
        cap("lightweight", 0.1, "light enough for one small service")
        cap("batteries_included", -0.12, "heavy for one small service")
    if c["deployment"] == "serverless":
        cap("serverless_friendly", 0.1, "starts fast on serverless")
        cap("batteries_included", -0.05, "slower cold starts on serverless")


def _server(ctx: Context, cap: _Caps) -> None:
    if "websockets" in ctx.features or ctx.kind == "realtime":
        cap("websockets", 0.1, "serves WebSockets")
    if ctx.c["scale"] in ("medium", "large"):
        cap("process_manager", 0.03, "manages its worker processes")
        cap("http2", 0.02, "speaks HTTP/2")
    if ctx.c["workload"] == "cpu_bound":
        cap("process_manager", 0.1, "runs a worker process per core, so CPU-heavy requests use every core")


def _process_manager(ctx: Context, cap: _Caps) -> None:
    c = ctx.c
    if c["deployment"] == "kubernetes":
        cap.note(-0.15, "Kubernetes already restarts and scales processes: one per container is usual")
    elif c["scale"] in ("medium", "large"):
        cap.note(0.2, "restarts crashed workers and reloads code without dropping requests")
    elif c["workload"] != "cpu_bound":
        cap.note(-0.25, f"one more process to set up: at {c['scale']} scale the server's own workers do")
    if c["workload"] == "cpu_bound":
        cap.note(0.1, "one worker per core puts every core to work despite the GIL")


def _database(ctx: Context, cap: _Caps) -> None:
    model, c = ctx.c["data_model"], ctx.c
    if model == "relational":
        cap("relational", 0.2, "relational, as your data is", 0.6, "not relational, and your data is")
    elif model == "document":
        cap("document", 0.3, "stores documents natively")
        cap("json_documents", 0.1, "handles JSON documents")
        if not cap.has("document") and not cap.has("json_documents"):
            cap.note(-0.4, "not a document store")
    elif model == "key_value":
        cap("key_value", 0.3, "a key-value store", 0.3, "not a key-value store")
    else:
        cap("relational", 0.15, "relational for structured data", 0.2, "not relational")
        cap("json_documents", 0.15, "also stores JSON documents", 0.1, "no JSON documents")
    if cap.has("embedded"):
        if ctx.kind == "scripts" or c["scale"] == "prototype":
            cap.note(0.1, "no server to run")
        else:
            cap.note(-0.1, "one file and one writer at a time: not for a multi-user service")
        if c["deployment"] in ("serverless", "kubernetes"):
            cap.note(-0.2, f"no durable local disk on {v.DEPLOYMENT_TARGETS[c['deployment']]}")
    elif c["deployment"] == "serverless" and cap.has("relational") and not cap.has("managed"):
        cap.note(
            0.0,
            "on serverless every function instance opens its own connections: "
            "put a pooler such as PgBouncer or RDS Proxy in front",
        )
    cap("transactions", 0.03, "transactions")


def _task_queue(ctx: Context, cap: _Caps) -> None:
    feats = ctx.features
    if "scheduled_jobs" in feats:
        cap("scheduling", 0.25, "schedules periodic jobs, as you need", 0.2, "needs an add-on for schedules")
    cap("retries", 0.04, "retries failed jobs")
    if "scheduled_jobs" in feats and "background_jobs" in feats:
        cap("workflows", 0.05, "chains jobs into workflows")
    cap("monitoring", 0.03, "has monitoring tools")
    if ctx.c["workload"] == "cpu_bound" and cap.has("async") and not cap.has("sync"):
        cap.note(-0.15, "runs jobs on one event loop: CPU-heavy jobs would block each other")


def _broker(ctx: Context, cap: _Caps) -> None:
    feats = ctx.features
    if "event_streaming" in feats:
        cap("event_streaming", 0.35, "built for event streams", 0.35, "not an event log")
    if "pubsub" in feats:
        cap("pubsub", 0.15, "publish/subscribe", 0.2, "no publish/subscribe")
    if "guaranteed_delivery" in feats:
        cap("guaranteed_delivery", 0.2, "delivery guarantees", 0.25, "may lose messages")
    if ctx.c["scale"] == "large":
        cap("high_throughput", 0.1, "high throughput")
    if feats & {"background_jobs", "scheduled_jobs"}:
        cap("complex_routing", 0.03, "routes jobs flexibly")


def _auth(ctx: Context, cap: _Caps) -> None:
    feats = ctx.features
    if "social_login" in feats:
        cap("social_login", 0.2, "social login", 0.3, "no social login")
        cap("oauth", 0.1, "OAuth")
    if "user_accounts" in feats:
        cap("user_accounts", 0.1, "stores and manages users for you")
        cap("password_hashing", 0.05, "hashes passwords safely")
        if ctx.kind in ("rest_api", "microservice", "ml_service"):
            cap("jwt", 0.1, "issues tokens (JWT) for API clients")


def _cache(ctx: Context, cap: _Caps) -> None:
    cap("caching", 0.2, "made for caching", 0.3, "not made for caching")
    if "user_accounts" in ctx.features:
        cap("sessions", 0.03, "also holds sessions")


def _observability(ctx: Context, cap: _Caps) -> None:
    cap("error_tracking", 0.08, "tracks errors")
    if ctx.kind == "microservice" or ctx.c["deployment"] == "kubernetes":
        cap("tracing", 0.12, "traces requests across services")
    if ctx.c["scale"] in ("medium", "large"):
        cap("metrics", 0.08, "exports metrics")


def _deployment(ctx: Context, cap: _Caps) -> None:
    if ctx.c["deployment"] == "serverless":
        cap("managed", 0.05, "managed: nothing of its own to operate")


_SLOT_SIGNALS = {
    "framework": _framework,
    "server": _server,
    "process_manager": _process_manager,
    "database": _database,
    "task_queue": _task_queue,
    "broker": _broker,
    "auth": _auth,
    "cache": _cache,
    "observability": _observability,
    "deployment": _deployment,
    "ml_library": lambda ctx, cap: cap("ml_friendly", 0.05, "made for models"),
}
