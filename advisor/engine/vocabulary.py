"""The words constraints and the catalog are written in; the contract fixes most of them."""

PROJECT_KINDS = ("rest_api", "web_app", "microservice", "realtime", "ml_service", "scripts")
FEATURES = ("admin_ui", "user_accounts", "social_login", "background_jobs", "scheduled_jobs",
            "caching", "websockets", "graphql", "api_docs", "event_streaming", "pubsub",
            "guaranteed_delivery", "ml_inference", "full_text_search")
DATA_MODELS = ("relational", "document", "key_value", "mixed")
SCALES = ("prototype", "small", "medium", "large")
WORKLOADS = ("io_bound", "cpu_bound", "mixed")
TEAM_EXPERIENCE = ("beginner", "intermediate", "expert")
DEPLOYMENTS = ("containers", "kubernetes", "paas", "serverless", "vm")
PRIORITY_AXES = ("dev_speed", "performance", "maturity", "flexibility", "simplicity", "typing")
RATING_AXES = PRIORITY_AXES + ("scalability", "ecosystem", "learnability")

# Slots a stack can hold, in the order a stack is shown.
STACK_SLOTS = ("framework", "server", "process_manager", "async_worker", "realtime", "channel_layer",
               "rest_toolkit", "database", "db_driver", "orm", "migrations", "search", "cache",
               "task_queue", "scheduler", "broker", "broker_client", "validation", "api_docs", "graphql",
               "auth", "http_client", "ml_library", "config", "testing", "observability", "deployment")
# The decisions that make two stacks different stacks; any other slot varies inside a stack.
CORE_SLOTS = ("framework", "server", "database", "orm", "db_driver", "task_queue", "broker", "cache",
              "realtime")
# Slots that only hold catalog entries; a stack gets one only when a project must use its entry.
CATALOG_ONLY_SLOTS = ("test_tools", "dev_tools", "security_tools", "dependency_management",
                      "data_processing", "runtime", "extensions", "cloud_sdk")
SLOTS = STACK_SLOTS + CATALOG_ONLY_SLOTS

SLOT_LABELS = {
    "framework": "Web framework", "server": "App server", "process_manager": "Process manager",
    "async_worker": "Async worker", "realtime": "WebSocket layer", "channel_layer": "Channel layer",
    "migrations": "Schema migrations", "search": "Search engine", "scheduler": "Scheduler",
    "rest_toolkit": "REST toolkit",
    "database": "Database", "db_driver": "Database driver", "orm": "ORM", "cache": "Cache",
    "task_queue": "Task queue", "broker": "Message broker", "broker_client": "Broker client",
    "validation": "Validation", "api_docs": "API docs", "graphql": "GraphQL", "auth": "Auth",
    "http_client": "HTTP client", "ml_library": "ML library", "config": "Configuration",
    "testing": "Testing", "observability": "Observability", "deployment": "Deployment",
    "test_tools": "Test tools", "dev_tools": "Developer tools", "security_tools": "Security tools",
    "dependency_management": "Dependency management", "data_processing": "Data processing",
    "runtime": "Runtime", "extensions": "Framework extensions", "cloud_sdk": "Cloud SDK",
}

CAPABILITIES = (
    "wsgi", "asgi", "own_server",
    "async", "admin_ui", "user_accounts", "orm_builtin", "templating", "forms", "openapi",
    "validation_builtin", "websockets", "graphql", "dependency_injection", "background_tasks",
    "batteries_included", "lightweight", "long_polling",
    "http2", "process_manager", "hot_reload",
    "relational", "document", "key_value", "full_text_search", "json_documents", "transactions",
    "embedded", "horizontal_scaling", "replication",
    "caching", "sessions", "pubsub", "guaranteed_delivery", "event_streaming", "complex_routing",
    "persistence", "high_throughput",
    "scheduling", "retries", "workflows", "monitoring",
    "jwt", "oauth", "social_login", "password_hashing", "token_auth",
    "sync", "managed",
    "type_hints", "serverless_friendly", "ml_friendly", "metrics", "tracing", "error_tracking",
    "structured_logging",
    "deploy_containers", "deploy_kubernetes", "deploy_paas", "deploy_vm", "deploy_serverless",
)

RULE_KINDS = ("requires", "conflicts", "works_well_with")
TRADEOFF_KINDS = ("pros", "cons", "best_for", "when_to_use", "when_to_avoid")
# active: maintained; maintenance: fixes only; deprecated: a successor exists; end_of_life: no support
# (never recommended unless a project must use it); archived: hidden from new results and listings.
STATUSES = ("active", "maintenance", "deprecated", "end_of_life", "archived")
LISTED_STATUSES = ("active", "maintenance", "deprecated", "end_of_life")
RECOMMENDABLE_STATUSES = ("active", "maintenance", "deprecated")

# The technology radar: rings from "use it" to "proceed with caution", and four quadrants. Every
# slot belongs to exactly one quadrant; a technology sits in the quadrant of its primary slot.
RINGS = ("adopt", "trial", "assess", "hold")
RING_LABELS = {"adopt": "Adopt", "trial": "Trial", "assess": "Assess", "hold": "Hold"}
QUADRANTS = ("frameworks-and-servers", "data", "messaging-and-jobs", "tooling-and-operations")
QUADRANT_LABELS = {"frameworks-and-servers": "Frameworks and servers", "data": "Data",
                   "messaging-and-jobs": "Messaging and jobs",
                   "tooling-and-operations": "Tooling and operations"}
QUADRANT_SLOTS = {
    "frameworks-and-servers": ("framework", "rest_toolkit", "server", "process_manager",
                               "async_worker", "realtime", "api_docs", "graphql", "validation",
                               "auth", "http_client", "extensions", "runtime"),
    "data": ("database", "db_driver", "orm", "migrations", "search", "cache", "ml_library",
             "data_processing"),
    "messaging-and-jobs": ("task_queue", "scheduler", "broker", "broker_client", "channel_layer"),
    "tooling-and-operations": ("config", "testing", "test_tools", "dev_tools", "security_tools",
                               "dependency_management", "observability", "deployment", "cloud_sdk"),
}
SLOT_QUADRANTS = {slot: quadrant for quadrant, slots in QUADRANT_SLOTS.items() for slot in slots}
