"""A stack's starter files: pyproject.toml, README.md (how to run it), docker-compose.yml, .env.example.

Versions come from the saved result (the ranges it was made with), and only where it has none
from the current catalog; the commands are the ones each part's documentation gives.
"""

from __future__ import annotations

import io
import re
import zipfile

import sqlalchemy as sa
import yaml
from flask import url_for

from advisor.catalog.models import Technology
from advisor.engine import vocabulary
from advisor.engine.vocabulary import SLOT_LABELS
from advisor.extensions import db
from advisor.results.services import SERVICES

FILES = ("pyproject.toml", "README.md", "docker-compose.yml", ".env.example")
WSGI_ONLY = ("flask", "pyramid")
SQLALCHEMY_ORMS = ("sqlalchemy", "sqlmodel")
URL_SCHEMES = {  # (database, driver) -> SQLAlchemy URL scheme
    ("postgresql", "asyncpg"): "postgresql+asyncpg",
    ("postgresql", "psycopg"): "postgresql+psycopg",
    ("postgresql", "psycopg2"): "postgresql+psycopg2",
    ("mysql", "aiomysql"): "mysql+aiomysql",
    ("mysql", "asyncmy"): "mysql+asyncmy",
    ("mysql", "pymysql"): "mysql+pymysql",
    ("mysql", "mysqlclient"): "mysql+mysqldb",
    ("mariadb", "aiomysql"): "mysql+aiomysql",
    ("mariadb", "asyncmy"): "mysql+asyncmy",
    ("mariadb", "pymysql"): "mysql+pymysql",
    ("mariadb", "mysqlclient"): "mysql+mysqldb",
}
# Extras a package needs in this company: Celery talking to Redis needs the Redis client, and so on.
EXTRAS = {
    ("celery", "redis"): "redis",
    ("celery", "valkey"): "redis",
    ("dramatiq", "redis"): "redis",
    ("dramatiq", "valkey"): "redis",
    ("dramatiq", "rabbitmq"): "rabbitmq",
    ("uvicorn", None): "standard",
}
WORKERS = {
    "celery": "celery -A app worker --loglevel=INFO",
    "rq": 'rq worker --url "$BROKER_URL"',
    "dramatiq": "dramatiq app.tasks",
    "arq": "arq app.worker.WorkerSettings",
    "taskiq": "taskiq worker app.broker:broker",
    "huey": "huey_consumer app.tasks.huey",
}


def starter_stack(saved, rank: int) -> dict | None:
    """The saved stack ranked `rank`, or None."""
    stacks = saved.payload.get("stacks", [])
    return stacks[rank - 1] if 1 <= rank <= len(stacks) else None


def starter_files(saved, stack: dict) -> dict[str, str]:
    """The four files, by name, in the order a reader should open them."""
    starter = Starter(saved, stack)
    return {
        "pyproject.toml": starter.pyproject(),
        "README.md": starter.readme(),
        "docker-compose.yml": starter.compose(),
        ".env.example": starter.env(),
    }


def zip_bytes(folder: str, files: dict[str, str]) -> bytes:
    """The files in one folder of a zip, with fixed timestamps (the same bytes every time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class Starter:
    """One stack of one saved result, and what its files need to say."""

    def __init__(self, saved, stack: dict):
        self.saved, self.stack = saved, stack
        self.components: dict[str, str] = stack.get("components", {})
        self.techs: dict = saved.payload.get("technologies", {})
        self.slugs = list(dict.fromkeys(self.components.values()))
        self.catalog = _catalog_facts(self.slugs + ["redis-py"])
        self.services = [SERVICES[s] for s in self.slugs if s in SERVICES]
        self.ports: dict[str, int] = {}  # host port per service; the next free one when two want one
        for service in self.services:
            port = service.port
            while port in self.ports.values():
                port += 1
            self.ports[service.name] = port
        self.permalink = url_for("results.show", result_id=saved.id, _external=True)

    # --- naming -----------------------------------------------------------------------------

    def name(self, slug: str) -> str:
        info = self.techs.get(slug) or {}
        return info.get("name") or self.catalog.get(slug, {}).get("name") or slug

    def title(self) -> str:
        key = [s for s in ("framework", "database", "task_queue") if s in self.components] or list(
            self.components
        )[:2]
        return " + ".join(self.name(self.components[s]) for s in key)

    def has(self, slug: str) -> bool:
        return slug in self.slugs

    # --- pyproject.toml ---------------------------------------------------------------------

    def requirements(self) -> list[tuple[str, str]]:
        """(requirement, why) for every component with a package, plus what they need beside them."""
        found: dict[str, tuple[str, str | None, list[str]]] = {}
        for slot, slug in self.components.items():
            package, version = self._package(slug)
            if not package:
                continue
            key = re.sub(r"[-_.]+", "-", package).lower()
            _, known, slots = found.setdefault(key, (package, version, []))
            slots.append(SLOT_LABELS.get(slot, slot).lower())
            if known is None and version:
                found[key] = (package, version, slots)
        broker = self.components.get("broker")
        if "redis" not in found and (self.has("redis") or self.has("valkey")):
            package, version = self._package("redis-py")
            if package:
                found["redis"] = (package, version, ["the Redis client"])
        lines = []
        for key, (package, version, slots) in sorted(found.items()):
            extras = sorted(
                {
                    extra
                    for (owner, partner), extra in EXTRAS.items()
                    if owner == key and (partner is None or partner == broker)
                }
            )
            requirement = package + (f"[{','.join(extras)}]" if extras else "") + (_specifier(version) or "")
            lines.append((requirement, ", ".join(dict.fromkeys(slots))))
        if self._gunicorn_runs_uvicorn():
            lines.append(("uvicorn-worker>=0.2", "gunicorn's worker class for uvicorn"))
        return lines

    def _package(self, slug: str) -> tuple[str | None, str | None]:
        info, facts = self.techs.get(slug) or {}, self.catalog.get(slug, {})
        package = info.get("package") or facts.get("package")
        version = info["version"] if "version" in info else facts.get("version")
        return package, version

    def pyproject(self) -> str:
        deps = "\n".join(f'    "{req}",  # {why}' for req, why in self.requirements())
        name = re.sub(r"[^a-z0-9]+", "-", self.title().lower()).strip("-") or "app"
        return (
            f"# Stack #{self.stack['rank']} of {self.permalink}\n"
            f"# Version ranges are the catalog's; tighten them to what you test against.\n"
            "[project]\n"
            f'name = "{name}-app"\n'
            'version = "0.1.0"\n'
            f'description = "{_toml(self.title())}"\n'
            'readme = "README.md"\n'
            'requires-python = ">=3.11"\n'
            f"dependencies = [\n{deps}\n]\n\n"
            "[build-system]\n"
            'requires = ["hatchling>=1.25"]\n'
            'build-backend = "hatchling.build"\n\n'
            "[tool.hatch.build.targets.wheel]\n"
            'packages = ["app"]  # your code goes in app/\n'
        )

    # --- docker-compose.yml and .env.example ------------------------------------------------

    def compose(self) -> str:
        header = (
            f"# Services for {self.title()} (stack #{self.stack['rank']} of {self.permalink}).\n"
            "# For development: docker compose up --wait. Images are pinned; the passwords are\n"
            "# for your machine only.\n"
        )
        if not self.services:
            return header + "# This stack needs no service beside the app.\nservices: {}\n"
        document = {"services": {s.name: s.compose(self.ports[s.name]) for s in self.services}}
        volumes = {f"{s.name}-data": {} for s in self.services if s.data}
        if volumes:
            document["volumes"] = volumes
        return header + yaml.safe_dump(document, sort_keys=False, default_flow_style=False, width=100)

    def env(self) -> str:
        lines = ["# Copy to .env and adjust. These match docker-compose.yml.", "SECRET_KEY=change-me"]
        database = self.components.get("database")
        if database == "sqlite":
            lines.append("DATABASE_URL=sqlite:///./app.db")
        elif database in SERVICES:
            lines.append(f"DATABASE_URL={self._url(database, 0)}")
        cache = self.components.get("cache")
        if cache in SERVICES:
            lines.append(f"CACHE_URL={self._url(cache, 0)}")
        broker = self.components.get("broker")
        if broker in SERVICES:
            lines.append(f"BROKER_URL={self._url(broker, 1)}")
        search = self.components.get("search")
        if search in SERVICES:
            lines.append(f"SEARCH_URL={self._url(search, 0)}")
            if search == "meilisearch":
                lines.append("MEILI_MASTER_KEY=local-development-master-key")
        return "\n".join(lines) + "\n"

    def _url(self, slug: str, redis_db: int) -> str:
        service = SERVICES[slug]
        scheme = slug
        if slug == "postgresql":
            scheme = "postgres" if self.components.get("orm") not in SQLALCHEMY_ORMS else "postgresql"
        if self.components.get("orm") in SQLALCHEMY_ORMS:
            scheme = URL_SCHEMES.get((slug, self.components.get("db_driver")), scheme)
        return service.url.format(scheme=scheme, db=redis_db, port=self.ports[service.name])

    # --- README.md --------------------------------------------------------------------------

    def readme(self) -> str:
        stack = self.stack
        rows = "\n".join(
            f"| {SLOT_LABELS.get(slot, slot)} | {self.name(slug)} | {self._package(slug)[1] or ''} |"
            for slot, slug in self.components.items()
        )
        kind = vocabulary.label("project_kind", self.saved.constraints.get("project_kind", ""))
        parts = [
            f"# {self.title()}\n",
            f"The stack Stack Advisor ranked #{stack['rank']} for a {kind}, scoring "
            f"{stack['score']:.1f} of 100: {self.permalink}\n",
            "| Part | Technology | Versions |\n| --- | --- | --- |\n" + rows + "\n",
            "## Set up\n",
        ]
        steps = []
        if self.services:
            names = ", ".join(f"{s.name} on port {self.ports[s.name]}" for s in self.services)
            steps.append(
                f"Start the services ({names}) and wait until they are healthy:\n\n"
                "   ```sh\n   docker compose up --wait\n   ```"
            )
        steps.append("Copy the settings: `cp .env.example .env`.")
        steps.append(
            "Put your code in `app/` (a package, with the app in `app/main.py`; Django's in "
            "`app/settings.py`, `app/wsgi.py`), then install it and its "
            "dependencies:\n\n   ```sh\n   uv sync\n   # or: python -m venv .venv && "
            ".venv/bin/pip install -e .\n   ```"
        )
        parts.append("\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1)) + "\n")
        parts.append("## Run it\n")
        parts.append(
            "\n".join(f"- {what}:\n\n  ```sh\n  {command}\n  ```" for what, command in self.commands()) + "\n"
        )
        notes = self.notes()
        if notes:
            parts.append("## Good to know\n")
            parts.append("\n".join(f"- {note}" for note in notes) + "\n")
        return "\n".join(parts)

    def commands(self) -> list[tuple[str, str]]:
        """(what, command) in the order a developer runs them."""
        c, framework = self.components, self.components.get("framework")
        out = []
        if framework == "django" or c.get("orm") == "django-orm":
            out.append(("Create the tables", "python manage.py migrate"))
        elif self.has("alembic") or c.get("orm") in SQLALCHEMY_ORMS:
            out.append(("Create the tables (after `alembic init migrations` once)", "alembic upgrade head"))
        dev = self._dev_server()
        if dev:
            out.append(("Serve it while you develop", dev))
        prod = self._server()
        if prod:
            out.append(("Serve it in production", prod))
        if not framework:
            out.append(("Run it", "python -m app"))
        worker = WORKERS.get(c.get("task_queue", ""))
        if worker:
            out.append(("Run the background worker", worker))
        if (
            c.get("task_queue") == "celery"
            and (c.get("scheduler") in (None, "celery", "celery-beat"))
            and "scheduled_jobs" in self.saved.constraints.get("features", [])
        ):
            out.append(("Run the scheduler", "celery -A app beat --loglevel=INFO"))
        return out

    def _targets(self) -> tuple[str, str]:
        """The WSGI and ASGI callables, as the servers name them."""
        if self.components.get("framework") == "django":
            return "app.wsgi:application", "app.asgi:application"
        return "app.main:app", "app.main:app"

    def _dev_server(self) -> str | None:
        framework = self.components.get("framework")
        asgi = self._targets()[1]
        return {
            "django": "python manage.py runserver",
            "flask": "flask --app app.main run --debug",
            "quart": "quart --app app.main run --reload",
            "litestar": "litestar --app app.main:app run --reload",
            "aiohttp": "python -m aiohttp.web -H 127.0.0.1 -P 8000 app.main:init_app",
            "tornado": "python -m app.main",
        }.get(framework) or (f"uvicorn {asgi} --reload" if framework else None)

    def _server(self) -> str | None:
        c = self.components
        framework, server = c.get("framework"), c.get("server")
        wsgi, asgi = self._targets()
        bind = "0.0.0.0:8000"
        if self._gunicorn_runs_uvicorn():
            return f"gunicorn -k uvicorn_worker.UvicornWorker -w 4 -b {bind} {asgi}"
        if c.get("realtime") == "flask-socketio":
            return f"gunicorn -w 1 --threads 100 -b {bind} {wsgi}"
        wsgi_app = framework in WSGI_ONLY or (framework == "django" and c.get("realtime") != "channels")
        commands = {
            "gunicorn": f"gunicorn -w 4 -b {bind} {wsgi}"
            if wsgi_app
            else f"gunicorn -k uvicorn_worker.UvicornWorker -w 4 -b {bind} {asgi}",
            "uvicorn": f"uvicorn {asgi} --host 0.0.0.0 --port 8000 --workers 4",
            "hypercorn": f"hypercorn {asgi} --bind {bind} --workers 4",
            "daphne": f"daphne -b 0.0.0.0 -p 8000 {asgi}",
            "granian": (
                f"granian --interface wsgi --host 0.0.0.0 --port 8000 --workers 4 {wsgi}"
                if wsgi_app
                else f"granian --interface asgi --host 0.0.0.0 --port 8000 --workers 4 {asgi}"
            ),
            "uwsgi": f"uwsgi --http {bind} --master --processes 4 --module {wsgi}",
            "aiohttp": "python -m aiohttp.web -H 0.0.0.0 -P 8000 app.main:init_app",
            "tornado": "python -m app.main",
        }
        return commands.get(server)

    def _gunicorn_runs_uvicorn(self) -> bool:
        return self.has("gunicorn") and self.has("uvicorn")

    def notes(self) -> list[str]:
        notes = []
        if self._gunicorn_runs_uvicorn():
            notes.append(
                "Gunicorn manages the processes and Uvicorn serves ASGI inside each one, through "
                "the `uvicorn-worker` package (`uvicorn.workers` in Uvicorn itself is deprecated)."
            )
        if self.components.get("realtime") == "flask-socketio":
            notes.append(
                "Flask-SocketIO keeps each client on one process: run one worker with many "
                "threads, or give it a message queue to run more."
            )
        if self.components.get("database") == "oracle":
            notes.append("Oracle Database is not in docker-compose.yml: point DATABASE_URL at yours.")
        for slug in self.slugs:
            info = self.techs.get(slug) or {}
            if info.get("status") in ("deprecated", "end_of_life") and info.get("successor"):
                notes.append(
                    f"{self.name(slug)} is {info['status'].replace('_', ' ')}; plan the move to "
                    f"{self.name(info['successor'])}."
                )
        return notes


def _catalog_facts(slugs: list[str]) -> dict[str, dict]:
    """Name, package and version range of `slugs` in the current catalog (one query)."""
    rows = db.session.execute(
        sa.select(Technology.slug, Technology.name, Technology.package, Technology.version_range).where(
            Technology.slug.in_(slugs)
        )
    )
    return {
        slug: {"name": name, "package": package, "version": version} for slug, name, package, version in rows
    }


def _specifier(version: str | None) -> str | None:
    """A catalog range as a PEP 508 specifier ("5.0" alone means ">=5.0")."""
    if not version:
        return None
    version = version.replace(" ", "")
    return version if version[0] in "<>=!~" else f">={version}"


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
