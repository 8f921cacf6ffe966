"""The words constraints and the catalog are written in; the contract fixes most of them."""

PROJECT_KINDS = ("rest_api", "web_app", "microservice", "realtime", "ml_service", "scripts")
FEATURES = (
    "admin_ui",
    "user_accounts",
    "social_login",
    "background_jobs",
    "scheduled_jobs",
    "caching",
    "websockets",
    "graphql",
    "api_docs",
    "event_streaming",
    "pubsub",
    "guaranteed_delivery",
    "ml_inference",
    "full_text_search",
)
DATA_MODELS = ("relational", "document", "key_value", "mixed")
SCALES = ("prototype", "small", "medium", "large")
WORKLOADS = ("io_bound", "cpu_bound", "mixed")
TEAM_EXPERIENCE = ("beginner", "intermediate", "expert")
DEPLOYMENTS = ("containers", "kubernetes", "paas", "serverless", "vm")
PRIORITY_AXES = ("dev_speed", "performance", "maturity", "flexibility", "simplicity", "typing")
RATING_AXES = PRIORITY_AXES + ("scalability", "ecosystem", "learnability")

# Slots a stack can hold, in the order a stack is shown.
STACK_SLOTS = (
    "framework",
    "server",
    "process_manager",
    "async_worker",
    "realtime",
    "channel_layer",
    "rest_toolkit",
    "database",
    "db_driver",
    "orm",
    "migrations",
    "search",
    "cache",
    "task_queue",
    "scheduler",
    "broker",
    "broker_client",
    "validation",
    "api_docs",
    "graphql",
    "auth",
    "http_client",
    "ml_library",
    "config",
    "testing",
    "observability",
    "deployment",
)
# The decisions that make two stacks different stacks; any other slot varies inside a stack.
CORE_SLOTS = (
    "framework",
    "server",
    "database",
    "orm",
    "db_driver",
    "task_queue",
    "broker",
    "cache",
    "realtime",
)
# Slots that only hold catalog entries; a stack gets one only when a project must use its entry.
CATALOG_ONLY_SLOTS = (
    "test_tools",
    "dev_tools",
    "security_tools",
    "dependency_management",
    "data_processing",
    "runtime",
    "extensions",
    "cloud_sdk",
)
SLOTS = STACK_SLOTS + CATALOG_ONLY_SLOTS

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

CAPABILITIES = (
    "wsgi",
    "asgi",
    "own_server",
    "async",
    "admin_ui",
    "user_accounts",
    "orm_builtin",
    "templating",
    "forms",
    "openapi",
    "validation_builtin",
    "websockets",
    "graphql",
    "dependency_injection",
    "background_tasks",
    "batteries_included",
    "lightweight",
    "long_polling",
    "http2",
    "process_manager",
    "hot_reload",
    "relational",
    "document",
    "key_value",
    "full_text_search",
    "json_documents",
    "transactions",
    "embedded",
    "horizontal_scaling",
    "replication",
    "caching",
    "sessions",
    "pubsub",
    "guaranteed_delivery",
    "event_streaming",
    "complex_routing",
    "persistence",
    "high_throughput",
    "scheduling",
    "retries",
    "workflows",
    "monitoring",
    "jwt",
    "oauth",
    "social_login",
    "password_hashing",
    "token_auth",
    "sync",
    "managed",
    "commercial",
    "type_hints",
    "serverless_friendly",
    "ml_friendly",
    "metrics",
    "tracing",
    "error_tracking",
    "structured_logging",
    "deploy_containers",
    "deploy_kubernetes",
    "deploy_paas",
    "deploy_vm",
    "deploy_serverless",
)

RULE_KINDS = ("requires", "conflicts", "works_well_with")
TRADEOFF_KINDS = ("pros", "cons", "best_for", "when_to_use", "when_to_avoid")
# active: maintained; maintenance: fixes only; deprecated: a successor exists; end_of_life: no support
# (never recommended unless a project must use it); archived: hidden from new results and listings.
STATUSES = ("active", "maintenance", "deprecated", "end_of_life", "archived")
LISTED_STATUSES = ("active", "maintenance", "deprecated", "end_of_life")
RECOMMENDABLE_STATUSES = ("active", "maintenance", "deprecated")

# --- words people read: a label and a one-line hint for each value ---------------------------------
# The wizard, the result page, the API's vocabulary and the engine's reasons all read these.

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
PRIORITY_WORDS = {
    "dev_speed": ("Development speed", "Ship features quickly."),
    "performance": ("Performance", "Low latency and high throughput."),
    "maturity": ("Maturity", "Proven, stable, long-supported projects."),
    "flexibility": ("Flexibility", "Freedom to pick and swap the parts."),
    "simplicity": ("Simplicity", "Few moving parts, easy to understand."),
    "typing": ("Typing", "Type hints, editor completion and static checks."),
}
PRIORITY_LEVELS = {0: "Don't care", 1: "A little", 2: "Somewhat", 3: "Matters", 4: "Very much", 5: "Crucial"}
RATING_WORDS = {
    "dev_speed": "development speed",
    "performance": "performance",
    "maturity": "maturity",
    "flexibility": "flexibility",
    "simplicity": "simplicity",
    "typing": "typing",
    "scalability": "scalability",
    "ecosystem": "ecosystem",
    "learnability": "ease of learning",
}
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

# The technology radar: rings from "use it" to "proceed with caution", and four quadrants. Every
# slot belongs to exactly one quadrant; a technology sits in the quadrant of its primary slot.
RINGS = ("adopt", "trial", "assess", "hold")
RING_LABELS = {"adopt": "Adopt", "trial": "Trial", "assess": "Assess", "hold": "Hold"}
QUADRANTS = ("frameworks-and-servers", "data", "messaging-and-jobs", "tooling-and-operations")
QUADRANT_LABELS = {
    "frameworks-and-servers": "Frameworks and servers",
    "data": "Data",
    "messaging-and-jobs": "Messaging and jobs",
    "tooling-and-operations": "Tooling and operations",
}
QUADRANT_SLOTS = {
    "frameworks-and-servers": (
        "framework",
        "rest_toolkit",
        "server",
        "process_manager",
        "async_worker",
        "realtime",
        "api_docs",
        "graphql",
        "validation",
        "auth",
        "http_client",
        "extensions",
        "runtime",
    ),
    "data": (
        "database",
        "db_driver",
        "orm",
        "migrations",
        "search",
        "cache",
        "ml_library",
        "data_processing",
    ),
    "messaging-and-jobs": ("task_queue", "scheduler", "broker", "broker_client", "channel_layer"),
    "tooling-and-operations": (
        "config",
        "testing",
        "test_tools",
        "dev_tools",
        "security_tools",
        "dependency_management",
        "observability",
        "deployment",
        "cloud_sdk",
    ),
}
SLOT_QUADRANTS = {slot: quadrant for quadrant, slots in QUADRANT_SLOTS.items() for slot in slots}
