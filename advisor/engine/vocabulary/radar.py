"""The technology radar's words: its rings and quadrants, and the quadrant of every slot."""

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
