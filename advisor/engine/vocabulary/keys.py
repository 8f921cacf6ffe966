"""The keys and values constraints and the catalog are written in; the contract fixes most of them."""

# The constraints JSON's keys, in the order the wizard asks and a summary lists them.
CONSTRAINT_KEYS = (
    "project_kind",
    "features",
    "data_model",
    "scale",
    "workload",
    "team_experience",
    "familiar_with",
    "priorities",
    "deployment",
    "must_use",
    "avoid",
)
# The constraint keys whose values are technology slugs.
TECHNOLOGY_LISTS = ("familiar_with", "must_use", "avoid")

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

# Capabilities in groups, so that sixty of them read as ten short lists (the admin's checkboxes, the
# seeds README); CAPABILITIES is every group in this order.
CAPABILITY_GROUPS = {
    "Interfaces": ("wsgi", "asgi", "own_server"),
    "Framework traits": (
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
    ),
    "Servers": ("http2", "process_manager", "hot_reload"),
    "Data": (
        "relational",
        "document",
        "key_value",
        "full_text_search",
        "json_documents",
        "transactions",
        "embedded",
        "horizontal_scaling",
        "replication",
    ),
    "Messaging and caching": (
        "caching",
        "sessions",
        "pubsub",
        "guaranteed_delivery",
        "event_streaming",
        "complex_routing",
        "persistence",
        "high_throughput",
    ),
    "Jobs": ("scheduling", "retries", "workflows", "monitoring"),
    "Auth": ("jwt", "oauth", "social_login", "password_hashing", "token_auth"),
    "APIs and licence": ("sync", "managed", "commercial"),
    "General": (
        "type_hints",
        "serverless_friendly",
        "ml_friendly",
        "metrics",
        "tracing",
        "error_tracking",
        "structured_logging",
    ),
    "Deployment targets": (
        "deploy_containers",
        "deploy_kubernetes",
        "deploy_paas",
        "deploy_vm",
        "deploy_serverless",
    ),
}
CAPABILITIES = tuple(c for group in CAPABILITY_GROUPS.values() for c in group)

RULE_KINDS = ("requires", "conflicts", "works_well_with")
TRADEOFF_KINDS = ("pros", "cons", "best_for", "when_to_use", "when_to_avoid")
# active: maintained; maintenance: fixes only; deprecated: a successor exists; end_of_life: no support
# (never recommended unless a project must use it); archived: hidden from new results and listings.
STATUSES = ("active", "maintenance", "deprecated", "end_of_life", "archived")
LISTED_STATUSES = ("active", "maintenance", "deprecated", "end_of_life")
RECOMMENDABLE_STATUSES = ("active", "maintenance", "deprecated")
