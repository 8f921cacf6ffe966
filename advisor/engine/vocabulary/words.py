"""Words people read for the vocabulary's keys and values: a label, and often a one-line hint.

Every page, form, reason and document that names a value takes its words from here, so that one
idea has one spelling ("Development speed", never "Dev Speed").
"""

from advisor.engine.vocabulary.keys import (
    CAPABILITIES,
    DATA_MODELS,
    DEPLOYMENTS,
    FEATURES,
    PRIORITY_AXES,
    PROJECT_KINDS,
    SCALES,
    TEAM_EXPERIENCE,
    WORKLOADS,
)

SLOT_LABELS = {
    "framework": "Web framework",
    "server": "App server",
    "process_manager": "Process manager",
    "async_worker": "Async worker",
    "realtime": "WebSocket layer",
    "channel_layer": "Channel layer",
    "migrations": "Schema migrations",
    "search": "Search engine",
    "scheduler": "Scheduler",
    "rest_toolkit": "REST toolkit",
    "database": "Database",
    "db_driver": "Database driver",
    "orm": "ORM",
    "cache": "Cache",
    "task_queue": "Task queue",
    "broker": "Message broker",
    "broker_client": "Broker client",
    "validation": "Validation",
    "api_docs": "API docs",
    "graphql": "GraphQL",
    "auth": "Auth",
    "http_client": "HTTP client",
    "ml_library": "ML library",
    "config": "Configuration",
    "testing": "Testing",
    "observability": "Observability",
    "deployment": "Deployment",
    "test_tools": "Test tools",
    "dev_tools": "Developer tools",
    "security_tools": "Security tools",
    "dependency_management": "Dependency management",
    "data_processing": "Data processing",
    "runtime": "Runtime",
    "extensions": "Framework extensions",
    "cloud_sdk": "Cloud SDK",
}


PROJECT_KIND_WORDS = {
    "rest_api": ("REST API", "JSON over HTTP for a front end, a mobile app or other services."),
    "web_app": ("Web application", "Server-rendered pages with forms, sessions and user accounts."),
    "microservice": ("Microservice", "One small service among many, talking to its neighbours."),
    "realtime": ("Real-time app", "Chat, live dashboards, notifications: long-lived connections."),
    "ml_service": ("ML service", "A trained model behind an HTTP endpoint."),
    "scripts": ("Scripts and jobs", "Data pipelines, command-line tools and batch jobs; no web server."),
}
FEATURE_WORDS = {
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
DATA_MODEL_WORDS = {
    "relational": ("Relational", "Tables, joins and transactions."),
    "document": ("Documents", "Nested JSON-like records without a fixed schema."),
    "key_value": ("Key-value", "Simple lookups by key, very fast."),
    "mixed": ("Mixed", "Some of each."),
}
SCALE_WORDS = {
    "prototype": ("Prototype", "A demo or MVP."),
    "small": ("Small", "Under 100 requests a second."),
    "medium": ("Medium", "100 to 1,000 requests a second."),
    "large": ("Large", "Over 1,000 requests a second or 10,000 open connections."),
}
WORKLOAD_WORDS = {
    "io_bound": ("Mostly waiting", "I/O-bound: calls to databases and other services."),
    "cpu_bound": ("Mostly computing", "CPU-bound: number crunching, image or data processing."),
    "mixed": ("Mixed", "Some of each, or not sure."),
}
TEAM_EXPERIENCE_WORDS = {
    "beginner": ("Beginner", "New to Python web development."),
    "intermediate": ("Intermediate", "Has shipped a Python service or two."),
    "expert": ("Expert", "Knows the ecosystem and its trade-offs well."),
}
DEPLOYMENT_WORDS = {
    "containers": ("Containers", "Docker images on a container host."),
    "kubernetes": ("Kubernetes", "A Kubernetes cluster."),
    "paas": ("Platform as a service", "Heroku, Render, Fly.io and the like."),
    "serverless": ("Serverless", "Functions such as AWS Lambda."),
    "vm": ("Virtual machines", "Servers you set up and run yourself."),
}
PRIORITY_LEVELS = {0: "Don't care", 1: "A little", 2: "Somewhat", 3: "Matters", 4: "Very much", 5: "Crucial"}
# The rating axes: the six priorities of the constraints first, then three the engine derives.
RATING_WORDS = {
    "dev_speed": ("Development speed", "Ship features quickly."),
    "performance": ("Performance", "Low latency and high throughput."),
    "maturity": ("Maturity", "Proven, stable, long-supported projects."),
    "flexibility": ("Flexibility", "Freedom to pick and swap the parts."),
    "simplicity": ("Simplicity", "Few moving parts, easy to understand."),
    "typing": ("Typing", "Type hints, editor completion and static checks."),
    "scalability": ("Scalability", "Copes with large load and big deployments."),
    "ecosystem": ("Ecosystem", "Community, documentation and add-ons."),
    "learnability": ("Ease of learning", "5: a beginner is productive in a day."),
}
PRIORITY_WORDS = {axis: RATING_WORDS[axis] for axis in PRIORITY_AXES}
# How a stack reads when it is better or worse than another on an axis ("faster", "smaller community").
RATING_CONTRASTS = {
    "dev_speed": ("quicker to build with", "slower to build with"),
    "performance": ("faster", "slower"),
    "maturity": ("more proven", "less proven"),
    "flexibility": ("more flexible", "less flexible"),
    "simplicity": ("simpler", "more to learn and run"),
    "typing": ("better typed", "weaker typing"),
    "scalability": ("scales further", "scales less far"),
    "ecosystem": ("bigger community and more add-ons", "smaller community"),
    "learnability": ("easier to learn", "harder to learn"),
}
# A deployment target as the end of "you deploy to ..." / "runs on ...".
DEPLOYMENT_TARGETS = {
    "containers": "containers",
    "kubernetes": "Kubernetes",
    "paas": "a platform as a service",
    "serverless": "serverless functions",
    "vm": "virtual machines",
}

CAPABILITY_WORDS = {
    "wsgi": ("WSGI", "The framework speaks WSGI, or the server serves it."),
    "asgi": ("ASGI", "The framework speaks ASGI, or the server serves it."),
    "own_server": ("Own server", ""),
    "async": ("Async", ""),
    "admin_ui": ("Admin interface", ""),
    "user_accounts": ("User accounts", ""),
    "orm_builtin": ("Built-in ORM", ""),
    "templating": ("Templating", ""),
    "forms": ("Forms", ""),
    "openapi": ("OpenAPI", ""),
    "validation_builtin": ("Built-in validation", ""),
    "websockets": ("WebSockets", ""),
    "graphql": ("GraphQL", ""),
    "dependency_injection": ("Dependency injection", ""),
    "background_tasks": ("Background tasks", ""),
    "batteries_included": ("Batteries included", ""),
    "lightweight": ("Lightweight", ""),
    "long_polling": ("Long polling", ""),
    "http2": ("HTTP/2", ""),
    "process_manager": ("Process manager", ""),
    "hot_reload": ("Hot reload", ""),
    "relational": ("Relational", ""),
    "document": ("Documents", ""),
    "key_value": ("Key-value", ""),
    "full_text_search": ("Full-text search", ""),
    "json_documents": ("JSON documents", ""),
    "transactions": ("Transactions", ""),
    "embedded": ("Embedded", ""),
    "horizontal_scaling": ("Horizontal scaling", ""),
    "replication": ("Replication", ""),
    "caching": ("Caching", ""),
    "sessions": ("Sessions", ""),
    "pubsub": ("Publish/subscribe", ""),
    "guaranteed_delivery": ("Guaranteed delivery", ""),
    "event_streaming": ("Event streaming", ""),
    "complex_routing": ("Complex routing", ""),
    "persistence": ("Persistence", ""),
    "high_throughput": ("High throughput", ""),
    "scheduling": ("Scheduling", ""),
    "retries": ("Retries", ""),
    "workflows": ("Workflows", ""),
    "monitoring": ("Monitoring", ""),
    "jwt": ("JWT", ""),
    "oauth": ("OAuth", ""),
    "social_login": ("Social login", ""),
    "password_hashing": ("Password hashing", ""),
    "token_auth": ("Token auth", ""),
    "sync": ("Sync API", "A blocking API; scripts use only sync drivers and clients."),
    "managed": ("Managed service", "A hosted service with nothing to run yourself."),
    "commercial": ("Commercial licence", "Needs a paid licence; it loses fit unless a project must use it."),
    "type_hints": ("Type hints", ""),
    "serverless_friendly": ("Serverless-friendly", ""),
    "ml_friendly": ("ML-friendly", ""),
    "metrics": ("Metrics", ""),
    "tracing": ("Tracing", ""),
    "error_tracking": ("Error tracking", ""),
    "structured_logging": ("Structured logging", ""),
    "deploy_containers": ("Runs in containers", ""),
    "deploy_kubernetes": ("Runs on Kubernetes", ""),
    "deploy_paas": ("Runs on a PaaS", ""),
    "deploy_vm": ("Runs on virtual machines", ""),
    "deploy_serverless": ("Runs serverless", ""),
}

# The plain labels, for templates and form fields.
RATING_LABELS = {axis: words[0] for axis, words in RATING_WORDS.items()}
CAPABILITY_LABELS = {capability: CAPABILITY_WORDS[capability][0] for capability in CAPABILITIES}
TRADEOFF_LABELS = {
    "pros": "Pros",
    "cons": "Cons",
    "best_for": "Best for",
    "when_to_use": "When to use",
    "when_to_avoid": "When to avoid",
}
# Each constraint key as a short question, for summaries and for lines that say which answer changes.
CONSTRAINT_LABELS = {
    "project_kind": "Project",
    "features": "Features",
    "data_model": "Data",
    "scale": "Scale",
    "workload": "Workload",
    "team_experience": "Team experience",
    "familiar_with": "Team knows",
    "priorities": "Priorities",
    "deployment": "Deployment",
    "must_use": "Must use",
    "avoid": "Avoid",
}

# The constraint keys whose values have words, with their values in order.
_WORDS = {
    "project_kind": (PROJECT_KINDS, PROJECT_KIND_WORDS),
    "features": (FEATURES, FEATURE_WORDS),
    "data_model": (DATA_MODELS, DATA_MODEL_WORDS),
    "scale": (SCALES, SCALE_WORDS),
    "workload": (WORKLOADS, WORKLOAD_WORDS),
    "team_experience": (TEAM_EXPERIENCE, TEAM_EXPERIENCE_WORDS),
    "deployment": (DEPLOYMENTS, DEPLOYMENT_WORDS),
    "priorities": (PRIORITY_AXES, PRIORITY_WORDS),
}


def options(key: str) -> list[tuple[str, str, str]]:
    """(value, label, hint) for each value of a constraint key, in the vocabulary's order."""
    values, words = _WORDS[key]
    return [(value, *words[value]) for value in values]


def label(key: str, value: str) -> str:
    """The label of one value of a constraint key; unknown values (an older vocabulary, a saved
    result) read as themselves."""
    return _WORDS[key][1].get(value, (str(value).replace("_", " "), ""))[0]
