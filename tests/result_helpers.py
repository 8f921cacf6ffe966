"""Saved results of both shapes for the result-page tests: the reworked engine's (every optional field
of the result JSON filled in, as the notes on the result shape describe it) and the original one."""

from __future__ import annotations

import copy

from advisor.extensions import db
from advisor.results.models import SavedResult, new_result_id

CONSTRAINTS = {
    "project_kind": "web_app",
    "features": ["admin_ui", "background_jobs", "caching"],
    "data_model": "relational",
    "scale": "small",
    "workload": "mixed",
    "team_experience": "intermediate",
    "familiar_with": [],
    "priorities": {
        "dev_speed": 4,
        "maturity": 3,
        "performance": 0,
        "flexibility": 0,
        "simplicity": 0,
        "typing": 0,
    },
    "deployment": "containers",
    "must_use": ["motor"],
    "avoid": ["tornado"],
}


def _tech(name: str, version: str | None = None, **facts) -> dict:
    return {
        "name": name,
        "summary": f"{name} in one line.",
        "version": version,
        "status": "active",
        "successor": None,
        "latest_version": None,
        "last_release": None,
        "stale": False,
        "status_note": None,
        **facts,
    }


TECHNOLOGIES = {
    "django": _tech("Django", ">=5.2,<7", last_release="2026-10", latest_version="6.0.1"),
    "gunicorn": _tech("Gunicorn", ">=22.0"),
    "postgresql": _tech("PostgreSQL"),
    "psycopg": _tech("Psycopg 3", ">=3.2"),
    "django-orm": _tech("Django ORM"),
    "redis": _tech("Redis"),
    "celery": _tech("Celery", ">=5.3.4,<6", status="maintenance", status_note="Fixes only until 6.0."),
    "fastapi": _tech("FastAPI", ">=0.110,<1"),
    "uvicorn": _tech("Uvicorn", ">=0.27,<1"),
    "asyncpg": _tech("asyncpg", ">=0.29"),
    "sqlalchemy": _tech("SQLAlchemy", ">=2.0.25,<3"),
    "rabbitmq": _tech("RabbitMQ"),
    "flask": _tech("Flask", ">=3.0,<4"),
    "mongodb": _tech("MongoDB"),
    "motor": _tech(
        "Motor", None, status="end_of_life", successor="pymongo", last_release="2024-10", stale=True
    ),
    "pymongo": _tech("PyMongo", ">=4.13"),
    "rq": _tech("RQ"),
    "opentelemetry": _tech("OpenTelemetry"),
}
AXES = ("dev_speed", "performance", "maturity", "flexibility", "simplicity", "typing")


def _reason(slot, tech, text, points, kind="fit", **extra) -> dict:
    return {"slot": slot, "technology": tech, "kind": kind, "text": text, "contribution": points, **extra}


def new_payload() -> dict:
    """Three stacks that differ in core slots, with every field of the reworked result JSON."""
    django = {
        "rank": 1,
        "score": 92.4,
        "components": {
            "framework": "django",
            "server": "gunicorn",
            "database": "postgresql",
            "db_driver": "psycopg",
            "orm": "django-orm",
            "auth": "django",
            "cache": "redis",
            "task_queue": "celery",
            "broker": "redis",
        },
        "reasons": [
            _reason("framework", "django", "Django: admin and accounts in the box.", 22.0),
            _reason("server", "gunicorn", "Gunicorn: the proven WSGI server.", 6.0),
            _reason("database", "postgresql", "PostgreSQL: relational and proven.", 14.0),
            _reason("db_driver", "psycopg", "Psycopg 3: the maintained driver.", 5.0),
            _reason("orm", "django-orm", "Django ORM: migrations included.", 8.0),
            _reason("auth", "django", "Built into Django: users, groups and sessions.", 4.0, kind="builtin"),
            _reason("search", None, "Left empty: PostgreSQL's full-text search will do.", 1.0, kind="empty"),
            _reason("cache", "redis", "Redis: fast and simple.", 5.0),
            _reason("task_queue", "celery", "Celery: the most used task queue.", 6.0),
            _reason("broker", "redis", "Redis: one service for cache and broker.", 3.0),
            _reason(
                "task_queue",
                "celery",
                "Celery works well with Redis as its broker: one service less.",
                0.8,
                kind="pair",
                partner="redis",
            ),
        ],
        "tradeoffs": [{"technology": "django", "pros": ["admin included"], "cons": ["heavier than Flask"]}],
        "fits": {
            "framework": 0.91,
            "server": 0.5,
            "database": 0.88,
            "db_driver": 0.8,
            "orm": 0.77,
            "auth": 1.0,
            "search": None,
            "cache": 0.7,
            "task_queue": 0.66,
            "broker": 0.6,
        },
        "weights": {"framework": 22, "server": 6},
        "axes": dict(zip(AXES, (0.9, 0.55, 1.0, 0.6, 0.7, 0.5), strict=True)),
        "parts": [
            {"technology": "django", "slots": ["framework", "auth"]},
            {"technology": "gunicorn", "slots": ["server"]},
            {"technology": "postgresql", "slots": ["database"]},
            {"technology": "psycopg", "slots": ["db_driver"]},
            {"technology": "django-orm", "slots": ["orm"]},
            {"technology": "redis", "slots": ["cache", "broker"]},
            {"technology": "celery", "slots": ["task_queue"]},
        ],
        "instead_of": {
            "framework": [
                {
                    "technology": "flask",
                    "name": "Flask",
                    "score": 80.1,
                    "delta": -12.3,
                    "changes": {"orm": "sqlalchemy"},
                }
            ]
        },
    }
    fastapi = {
        "rank": 2,
        "score": 88.0,
        "components": {
            "framework": "fastapi",
            "server": "uvicorn",
            "process_manager": "gunicorn",
            "database": "postgresql",
            "db_driver": "asyncpg",
            "orm": "sqlalchemy",
            "cache": "redis",
            "task_queue": "celery",
            "broker": "rabbitmq",
        },
        "reasons": [
            _reason(slot, slug, f"{TECHNOLOGIES[slug]['name']} fits.", 5.0)
            for slot, slug in (
                ("framework", "fastapi"),
                ("server", "uvicorn"),
                ("process_manager", "gunicorn"),
                ("database", "postgresql"),
                ("db_driver", "asyncpg"),
                ("orm", "sqlalchemy"),
                ("cache", "redis"),
                ("task_queue", "celery"),
                ("broker", "rabbitmq"),
            )
        ],
        "tradeoffs": [],
        "fits": {
            "framework": 0.95,
            "server": 0.9,
            "process_manager": 0.8,
            "database": 0.88,
            "db_driver": 0.9,
            "orm": 0.85,
            "cache": 0.7,
            "task_queue": 0.66,
            "broker": 0.75,
        },
        "axes": dict(zip(AXES, (0.8, 0.95, 0.6, 0.7, 0.6, 1.0), strict=True)),
        "parts": [
            {"technology": slug, "slots": [slot]}
            for slot, slug in (
                ("framework", "fastapi"),
                ("server", "uvicorn"),
                ("process_manager", "gunicorn"),
                ("database", "postgresql"),
                ("db_driver", "asyncpg"),
                ("orm", "sqlalchemy"),
                ("cache", "redis"),
                ("task_queue", "celery"),
                ("broker", "rabbitmq"),
            )
        ],
        "trades": {
            "versus": 1,
            "summary": "FastAPI instead of Django: async throughout, no admin",
            "changes": [
                {
                    "slot": "framework",
                    "technology": "fastapi",
                    "instead_of": "django",
                    "gains": ["async throughout"],
                    "losses": ["no admin"],
                }
            ],
        },
        "instead_of": {
            "observability": [
                {
                    "technology": "opentelemetry",
                    "name": "OpenTelemetry",
                    "score": 87.4,
                    "delta": -0.6,
                    "changes": {},
                }
            ],
            "framework": [
                {"technology": "flask", "name": "Flask", "score": 80.1, "delta": -7.9, "changes": {}}
            ],
        },
    }
    flask = {
        "rank": 3,
        "score": 71.5,
        "components": {
            "framework": "flask",
            "server": "gunicorn",
            "database": "mongodb",
            "db_driver": "motor",
            "task_queue": "rq",
            "broker": "redis",
        },
        "reasons": [
            _reason(slot, slug, f"{TECHNOLOGIES[slug]['name']} fits.", 4.0)
            for slot, slug in (
                ("framework", "flask"),
                ("server", "gunicorn"),
                ("database", "mongodb"),
                ("db_driver", "motor"),
                ("task_queue", "rq"),
                ("broker", "redis"),
            )
        ],
        "tradeoffs": [],
        "fits": {
            "framework": 0.7,
            "server": 0.5,
            "database": 0.4,
            "db_driver": 0.2,
            "task_queue": 0.6,
            "broker": 0.6,
        },
        "axes": dict(zip(AXES, (0.7, 0.5, 0.7, 0.9, 0.9, 0.3), strict=True)),
        "parts": [
            {"technology": slug, "slots": [slot]}
            for slot, slug in (
                ("framework", "flask"),
                ("server", "gunicorn"),
                ("database", "mongodb"),
                ("db_driver", "motor"),
                ("task_queue", "rq"),
                ("broker", "redis"),
            )
        ],
        "trades": {
            "versus": 1,
            "summary": "Flask and MongoDB instead of Django and PostgreSQL: no schema, no admin",
            "changes": [],
        },
        "instead_of": {},
    }
    return {
        "catalog_version": 1,
        "constraints": copy.deepcopy(CONSTRAINTS),
        "slots": [
            {"slot": s, "optional": s == "search", "why": f"the project needs a {s}"}
            for s in (
                "framework",
                "server",
                "process_manager",
                "database",
                "db_driver",
                "orm",
                "auth",
                "search",
                "cache",
                "task_queue",
                "broker",
                "observability",
            )
        ],
        "score_basis": "Each score is the stack's fit as a share of the best fit these constraints allow.",
        "warnings": [
            {
                "technology": "motor",
                "successor": "pymongo",
                "text": (
                    "Motor reached its end of life on 14 May 2026; PyMongo's AsyncMongoClient replaces it."
                ),
            }
        ],
        "stacks": [django, fastapi, flask],
        "technologies": copy.deepcopy(TECHNOLOGIES),
        "alternatives": {},
    }


def old_payload() -> dict:
    """The same result as a result saved before the rework holds it: none of the new fields."""
    payload = new_payload()
    for key in ("score_basis", "warnings"):
        del payload[key]
    payload["technologies"] = {
        slug: {"name": t["name"], "summary": t["summary"], "version": t["version"]}
        for slug, t in payload["technologies"].items()
    }
    for stack in payload["stacks"]:
        for key in ("fits", "weights", "axes", "parts", "trades", "instead_of"):
            stack.pop(key, None)
        stack["reasons"] = [
            {k: v for k, v in r.items() if k not in ("kind", "partner")} for r in stack["reasons"]
        ]
        # Then, every reason of a slot after its first was a pair, and empty slots had no technology.
    payload["alternatives"] = {
        "framework": [
            {
                "technology": "flask",
                "name": "Flask",
                "score": 80.1,
                "delta": -12.3,
                "changes": {"orm": "sqlalchemy"},
            }
        ]
    }
    return payload


def save(app, payload: dict, constraints: dict | None = None) -> str:
    """Store `payload` as a saved result, as creation would; returns its id."""
    with app.app_context():
        result = SavedResult(
            id=new_result_id(),
            catalog_version=payload["catalog_version"],
            constraints=constraints or payload["constraints"],
            payload=payload,
        )
        db.session.add(result)
        db.session.commit()
        return result.id
