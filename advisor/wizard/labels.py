"""Words people read for the vocabulary's values: a label and a one-line hint for each.

The wizard offers these as choices and the result page uses them to summarise the answers; the
values themselves come from `advisor.engine.vocabulary`, so nothing here can drift from the engine.
"""

from __future__ import annotations

from advisor.engine import vocabulary as v

PROJECT_KINDS = {
    "rest_api": ("REST API", "JSON over HTTP for a front end, a mobile app or other services."),
    "web_app": ("Web application", "Server-rendered pages with forms, sessions and user accounts."),
    "microservice": ("Microservice", "One small service among many, talking to its neighbours."),
    "realtime": ("Real-time app", "Chat, live dashboards, notifications: long-lived connections."),
    "ml_service": ("ML service", "A trained model behind an HTTP endpoint."),
    "scripts": ("Scripts and jobs", "Data pipelines, command-line tools and batch jobs; no web server."),
}
FEATURES = {
    "admin_ui": ("Admin interface", "Staff edit data through generated pages."),
    "user_accounts": ("User accounts", "Sign-up, log-in and passwords."),
    "social_login": ("Social login", "Log in with Google, GitHub and the like (OAuth)."),
    "background_jobs": ("Background jobs", "Slow work runs outside the request."),
    "scheduled_jobs": ("Scheduled jobs", "Work that runs every hour, night or week."),
    "caching": ("Caching", "Keep hot data in memory to spare the database."),
    "websockets": ("WebSockets", "Two-way, long-lived browser connections."),
    "graphql": ("GraphQL", "Clients ask for exactly the fields they need."),
    "api_docs": ("API documentation", "OpenAPI schema and interactive docs."),
    "event_streaming": ("Event streaming", "A durable log of events that many consumers replay."),
    "pubsub": ("Publish/subscribe", "Broadcast messages to whoever listens."),
    "guaranteed_delivery": ("Guaranteed delivery", "Messages survive crashes and arrive at least once."),
    "ml_inference": ("ML inference", "Run a trained model inside the app."),
    "full_text_search": ("Full-text search", "Search documents by words, ranked by relevance."),
}
DATA_MODELS = {
    "relational": ("Relational", "Tables, joins and transactions."),
    "document": ("Documents", "Nested JSON-like records without a fixed schema."),
    "key_value": ("Key-value", "Simple lookups by key, very fast."),
    "mixed": ("Mixed", "Some of each."),
}
SCALES = {
    "prototype": ("Prototype", "A demo or MVP."),
    "small": ("Small", "Under 100 requests a second."),
    "medium": ("Medium", "100 to 1,000 requests a second."),
    "large": ("Large", "Over 1,000 requests a second or 10,000 open connections."),
}
WORKLOADS = {
    "io_bound": ("Mostly waiting", "I/O-bound: calls to databases and other services."),
    "cpu_bound": ("Mostly computing", "CPU-bound: number crunching, image or data processing."),
    "mixed": ("Mixed", "Some of each, or not sure."),
}
TEAM_EXPERIENCE = {
    "beginner": ("Beginner", "New to Python web development."),
    "intermediate": ("Intermediate", "Has shipped a Python service or two."),
    "expert": ("Expert", "Knows the ecosystem and its trade-offs well."),
}
DEPLOYMENTS = {
    "containers": ("Containers", "Docker images on a container host."),
    "kubernetes": ("Kubernetes", "A Kubernetes cluster."),
    "paas": ("Platform as a service", "Heroku, Render, Fly.io and the like."),
    "serverless": ("Serverless", "Functions such as AWS Lambda."),
    "vm": ("Virtual machines", "Servers you set up and run yourself."),
}
PRIORITIES = {
    "dev_speed": ("Development speed", "Ship features quickly."),
    "performance": ("Performance", "Low latency and high throughput."),
    "maturity": ("Maturity", "Proven, stable, long-supported projects."),
    "flexibility": ("Flexibility", "Freedom to pick and swap the parts."),
    "simplicity": ("Simplicity", "Few moving parts, easy to understand."),
    "typing": ("Typing", "Type hints, editor completion and static checks."),
}
PRIORITY_LEVELS = {0: "Don't care", 1: "A little", 2: "Somewhat", 3: "Matters", 4: "Very much",
                   5: "Crucial"}

_VOCABULARY = {
    "project_kind": (v.PROJECT_KINDS, PROJECT_KINDS), "features": (v.FEATURES, FEATURES),
    "data_model": (v.DATA_MODELS, DATA_MODELS), "scale": (v.SCALES, SCALES),
    "workload": (v.WORKLOADS, WORKLOADS), "team_experience": (v.TEAM_EXPERIENCE, TEAM_EXPERIENCE),
    "deployment": (v.DEPLOYMENTS, DEPLOYMENTS), "priorities": (v.PRIORITY_AXES, PRIORITIES),
}


def options(key: str) -> list[tuple[str, str, str]]:
    """(value, label, hint) for each value of a vocabulary key, in the vocabulary's order."""
    values, labels = _VOCABULARY[key]
    return [(value, *labels.get(value, (value.replace("_", " ").capitalize(), ""))) for value in values]


def label(key: str, value: str) -> str:
    """The label of one value; unknown values (an older vocabulary) read as themselves."""
    return _VOCABULARY[key][1].get(value, (str(value).replace("_", " "), ""))[0]
