"""Start points for the wizard: the seed documents' three recommended combinations and a few common
projects, each a whole set of answers that pre-fills the wizard (and makes an example result)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    blurb: str
    constraints: dict
    from_seeds: bool = False  # one of the seed documents' recommended combinations
    example: bool = False  # the landing page links an example result made from it


PRESETS = (
    Preset(
        "modern-microservices",
        "Modern microservices",
        "FastAPI on PostgreSQL through asyncpg and SQLAlchemy, Redis, Celery and Pydantic, on Kubernetes.",
        {
            "project_kind": "microservice",
            "features": ["caching", "background_jobs", "api_docs"],
            "data_model": "relational",
            "scale": "medium",
            "workload": "io_bound",
            "priorities": {"performance": 4, "typing": 4},
            "deployment": "kubernetes",
            "must_use": ["fastapi", "postgresql", "asyncpg", "sqlalchemy", "celery"],
        },
        from_seeds=True,
        example=True,
    ),
    Preset(
        "traditional-monolith",
        "Traditional monolith",
        "Django and its ORM on PostgreSQL, Redis, Celery and Django REST Framework, in Docker.",
        {
            "project_kind": "web_app",
            "features": ["admin_ui", "user_accounts", "background_jobs", "caching"],
            "data_model": "relational",
            "scale": "small",
            "priorities": {"maturity": 4, "dev_speed": 4},
            "deployment": "containers",
            "must_use": ["django", "postgresql", "celery"],
        },
        from_seeds=True,
        example=True,
    ),
    Preset(
        "lightweight-api",
        "Lightweight API",
        "Flask or FastAPI with PostgreSQL or MongoDB, and as few moving parts as possible.",
        {
            "project_kind": "rest_api",
            "data_model": "relational",
            "scale": "small",
            "priorities": {"simplicity": 5, "dev_speed": 4},
            "familiar_with": ["flask", "fastapi"],
            "deployment": "paas",
        },
        from_seeds=True,
        example=True,
    ),
    Preset(
        "saas",
        "SaaS web app",
        "Sign-up and social login, an admin, e-mails sent in the background and nightly jobs.",
        {
            "project_kind": "web_app",
            "features": ["user_accounts", "social_login", "admin_ui", "background_jobs", "scheduled_jobs"],
            "scale": "small",
            "priorities": {"dev_speed": 5, "maturity": 3},
        },
    ),
    Preset(
        "realtime-chat",
        "Real-time chat",
        "WebSockets, publish/subscribe and accounts for a few thousand people online at once.",
        {
            "project_kind": "realtime",
            "features": ["websockets", "pubsub", "user_accounts"],
            "scale": "medium",
            "workload": "io_bound",
            "priorities": {"performance": 4},
        },
        example=True,
    ),
    Preset(
        "ml-api",
        "ML model API",
        "A trained model behind a typed, documented HTTP endpoint.",
        {
            "project_kind": "ml_service",
            "features": ["ml_inference", "api_docs"],
            "workload": "cpu_bound",
            "priorities": {"performance": 4, "typing": 3},
        },
    ),
    Preset(
        "data-pipeline",
        "Data pipeline",
        "Scripts and scheduled jobs that move and transform data; no web server.",
        {"project_kind": "scripts", "features": ["scheduled_jobs"], "priorities": {"simplicity": 4}},
    ),
)
BY_KEY = {preset.key: preset for preset in PRESETS}
