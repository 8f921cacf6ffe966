"""The seed catalog: contract slugs, seed-document names, idempotence, export/import round trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from advisor.catalog.models import AuditEntry, Technology
from advisor.engine.vocabulary import LISTED_STATUSES
from advisor.extensions import db
from tests.catalog_helpers import catalog_state as _state
from tests.catalog_helpers import export_text as _export

# Slow: each test exports or imports the whole catalog (seconds apiece); make check skips them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "spec" / "CONTRACT.md"
SEED_DOCS = ROOT.parent / "shared" / "seed-docs"


def _contract_slugs(section: str, ends: str, at_least: int) -> list[str]:
    """The backticked slugs of a section of the contract, from its heading to `ends` (a regex);
    none without ../shared."""
    if not CONTRACT.exists():
        return []
    text = CONTRACT.read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\n(.*?)(?={ends})", text, re.M | re.S)
    assert match, f"CONTRACT.md has no {section} section"
    slugs = sorted(set(re.findall(r"`([a-z0-9][a-z0-9-]*)`", match.group(1))))
    assert len(slugs) > at_least, slugs
    return slugs


def contract_slugs() -> list[str]:
    """The slugs of the contract's "Canonical slugs" section."""
    return _contract_slugs("Canonical slugs", r"^## |\Z", 40)


# (name as the seed documents write it, slug it must resolve to)
DOC_NAMES = [
    ("FastAPI", "fastapi"),
    ("Django", "django"),
    ("Flask", "flask"),
    ("Starlette", "starlette"),
    ("Quart", "quart"),
    ("aiohttp", "aiohttp"),
    ("Tornado", "tornado"),
    ("Pyramid", "pyramid"),
    ("Django REST framework", "django-rest-framework"),
    ("DRF", "django-rest-framework"),
    ("Gunicorn", "gunicorn"),
    ("Uvicorn", "uvicorn"),
    ("Hypercorn", "hypercorn"),
    ("UWSGI", "uwsgi"),
    ("Nginx", "nginx"),
    ("uvloop", "uvloop"),
    ("Flask-Login", "flask-login"),
    ("pytest-django", "pytest-django"),
    ("channels", "channels"),
    ("PostgreSQL", "postgresql"),
    ("MySQL", "mysql"),
    ("MariaDB", "mariadb"),
    ("MongoDB", "mongodb"),
    ("SQLite", "sqlite"),
    ("Redis", "redis"),
    ("Oracle", "oracle"),
    ("asyncpg", "asyncpg"),
    ("psycopg2", "psycopg2"),
    ("Motor", "motor"),
    ("pymongo", "pymongo"),
    ("SQLAlchemy", "sqlalchemy"),
    ("Tortoise ORM", "tortoise-orm"),
    ("Django ORM", "django-orm"),
    ("Celery", "celery"),
    ("RQ", "rq"),
    ("Dramatiq", "dramatiq"),
    ("RabbitMQ", "rabbitmq"),
    ("Kafka", "kafka"),
    ("aio-pika", "aio-pika"),
    ("aiokafka", "aiokafka"),
    ("Pydantic", "pydantic"),
    ("Pydantic Settings", "pydantic-settings"),
    ("pydantic_settings", "pydantic-settings"),
    ("python-decouple", "python-decouple"),
    ("Strawberry", "strawberry"),
    ("Graphene", "graphene"),
    ("python-jose", "python-jose"),
    ("authlib", "authlib"),
    ("passlib", "passlib"),
    ("httpx", "httpx"),
    ("Requests", "requests"),
    ("pytest", "pytest"),
    ("pytest-asyncio", "pytest-asyncio"),
    ("Coverage", "coverage"),
    ("responses", "responses"),
    ("moto", "moto"),
    ("structlog", "structlog"),
    ("Prometheus", "prometheus-client"),
    ("StatsD", "statsd"),
    ("OpenTelemetry", "opentelemetry"),
    ("Sentry", "sentry-sdk"),
    ("bandit", "bandit"),
    ("ruff", "ruff"),
    ("black", "black"),
    ("mypy", "mypy"),
    ("pre-commit", "pre-commit"),
    ("Docker", "docker"),
    ("Kubernetes", "kubernetes"),
    ("ansible", "ansible"),
    ("Heroku", "heroku"),
    ("boto3", "boto3"),
    ("pandas", "pandas"),
    ("NumPy", "numpy"),
    ("scikit-learn", "scikit-learn"),
    ("TensorFlow", "tensorflow"),
    ("PyTorch", "pytorch"),
    ("Transformers", "transformers"),
    ("Pillow", "pillow"),
    ("Watchdog", "watchdog"),
    ("Cython", "cython"),
    ("PyPy", "pypy"),
    ("asyncio", "asyncio"),
    ("Gevent", "gevent"),
    ("multiprocessing", "multiprocessing"),
    ("argparse", "argparse"),
    ("cron", "cron"),
]


def _seed_docs_text() -> str:
    if not SEED_DOCS.is_dir():
        pytest.skip(f"{SEED_DOCS} is not here (the seed documents live beside the repository)")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DOCS.glob("*.txt")))


def _names(app) -> dict[str, set[str]]:
    """slug -> every lowercase way the catalog names it (slug, name, aliases)."""
    with app.app_context():
        rows = db.session.execute(sa.select(Technology.slug, Technology.name, Technology.aliases)).all()
    return {slug: {slug, name.lower(), *(a.lower() for a in aliases or [])} for slug, name, aliases in rows}


def _import(runner, path: Path, text: str):
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["catalog", "import", str(path)])


def late_2026_slugs() -> list[str]:
    """The slugs the contract's "The catalog of late 2026" section lists first."""
    return _contract_slugs("The catalog of late 2026", "^Every technology", 30)


@pytest.mark.parametrize("slug", sorted(set(contract_slugs()) | set(late_2026_slugs())))
def test_every_canonical_slug_is_in_the_catalog(app, slug):
    with app.app_context():
        status = db.session.scalar(sa.select(Technology.status).where(Technology.slug == slug))
    assert status in LISTED_STATUSES, f"{slug} is missing or archived"


def test_most_packages_carry_registry_facts(runner):
    """The registry snapshot's facts: at least 80% of the entries with a package have a last release
    and a popularity rank; entries without a package have none and say why."""
    entries = yaml.safe_load(_export(runner))
    packaged = [e for e in entries if e["package"]]
    for key in ("last_release", "popularity_rank"):
        share = sum(e[key] is not None for e in packaged) / len(packaged)
        assert share >= 0.8, (key, share)
    for entry in entries:
        if not entry["package"]:
            assert entry["latest_version"] is None and entry["last_release"] is None, entry["slug"]
            assert entry["status_note"], f"{entry['slug']} has no package and no note saying why"
        if entry["status"] in ("deprecated", "end_of_life"):
            assert entry["successor"], f"{entry['slug']} is {entry['status']} without a successor"


@pytest.mark.parametrize(("name", "slug"), DOC_NAMES)
def test_every_technology_of_the_seed_documents_is_present(app, name, slug):
    assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", _seed_docs_text()), (
        f"{name!r} is not written in the seed documents; the table is wrong"
    )
    names = _names(app)
    assert slug in names, f"{slug} is not in the catalog"
    assert name.lower() in names[slug], f"{name!r} names none of {slug}'s slug, name or aliases"


def test_seed_is_idempotent(app, runner):
    version, audits = _state(app)
    assert version > 0 and audits > 0
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output
    assert f"catalog version {version}" in result.output
    assert _state(app) == (version, audits)


def test_export_is_identical_after_a_second_seed(runner):
    before = _export(runner)
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert _export(runner) == before
    entries = yaml.safe_load(before)
    assert isinstance(entries, list) and len(entries) > 100
    assert [e["slug"] for e in entries] == sorted(e["slug"] for e in entries)


def test_export_import_export_is_identical(app, runner, tmp_path):
    before = _export(runner)
    state = _state(app)
    result = _import(runner, tmp_path / "catalog.yaml", before)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output
    assert _export(runner) == before
    assert _state(app) == state


def test_export_to_file_matches_stdout(runner, tmp_path):
    path = tmp_path / "out.yaml"
    result = runner.invoke(args=["catalog", "export", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == _export(runner)


def test_import_of_one_changed_rating_bumps_the_version_once_and_audits_it(app, runner, tmp_path):
    entries = yaml.safe_load(_export(runner))
    flask = next(e for e in entries if e["slug"] == "flask")
    old = dict(flask["ratings"])
    flask["ratings"]["performance"] = 1 if old["performance"] != 1 else 2
    version, audits = _state(app)

    result = _import(runner, tmp_path / "one.yaml", yaml.safe_dump(entries, sort_keys=False))
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated" in result.output
    assert _state(app) == (version + 1, audits + 1)

    with app.app_context():
        row = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (row.slug, row.action, row.actor, row.catalog_version) == (
            "flask",
            "import",
            "cli",
            version + 1,
        )
        assert set(row.changes) == {"ratings"}
        assert row.changes["ratings"]["old"] == old
        assert row.changes["ratings"]["new"] == flask["ratings"]
        tech = db.session.scalar(sa.select(Technology).where(Technology.slug == "flask"))
        assert tech.rating_performance == flask["ratings"]["performance"]

    # Importing the same file again changes nothing more.
    again = _import(runner, tmp_path / "one.yaml", yaml.safe_dump(entries, sort_keys=False))
    assert again.exit_code == 0, again.output
    assert _state(app) == (version + 1, audits + 1)


def test_import_of_an_unchanged_subset_changes_nothing(app, runner, tmp_path):
    before = _export(runner)
    entries = yaml.safe_load(before)[:5]
    state = _state(app)
    result = _import(runner, tmp_path / "same.yaml", yaml.safe_dump(entries, sort_keys=False))
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 5 unchanged" in result.output
    assert _state(app) == state
    assert _export(runner) == before


def test_seed_and_round_trip_on_postgresql(pg_app, tmp_path):
    runner = pg_app.test_cli_runner()
    before = _export(runner)
    state = _state(pg_app)
    assert "0 created, 0 updated" in runner.invoke(args=["seed"]).output
    assert _import(runner, tmp_path / "pg.yaml", before).exit_code == 0
    assert _export(runner) == before
    assert _state(pg_app) == state


def _readme_section(title: str) -> str:
    text = (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"seeds/README.md has no {title!r} section"
    return match.group(1)


def test_the_seeds_readme_speaks_the_vocabulary():
    """The README's slots, capabilities and statuses are exactly the vocabulary's: one source."""
    from advisor.engine import vocabulary as v

    def named(title: str) -> set[str]:
        return set(re.findall(r"`([a-z_0-9]+)`", _readme_section(title)))

    assert named("Slots") == set(v.SLOTS)
    assert named("Capabilities") == set(v.CAPABILITIES)
    statuses = re.findall(r"^\| `([a-z_]+)` \|", _readme_section("Statuses"), re.M)
    assert statuses == list(v.STATUSES)
