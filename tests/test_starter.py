"""Starter files for a stack: the preview page, the zip and the JSON; what pyproject.toml, the compose
file, the README and .env.example hold; and pip's resolver accepting the version ranges."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from advisor.results.presets import BY_KEY
from advisor.results.service import create_result
from tests.result_helpers import new_payload, save

FILES = ["pyproject.toml", "README.md", "docker-compose.yml", ".env.example"]
# FastAPI + PostgreSQL + Redis + Celery, as the issue asks.
FASTAPI_CELERY = {
    "project_kind": "rest_api",
    "features": ["background_jobs", "caching"],
    "must_use": ["fastapi", "postgresql", "redis", "celery"],
    "priorities": {"performance": 3},
}
PINNED = re.compile(r"^[\w./-]+:v?\d+\.\d+(\.\d+)?(-[\w.-]+)?$")  # a release, never "latest" or "8"


def _made(app, constraints) -> tuple[str, dict]:
    with app.app_context():
        saved = create_result(constraints)
        return saved.id, saved.payload


def _files(client, result_id: str, rank: int = 1) -> dict[str, str]:
    response = client.get(f"/api/v1/recommendations/{result_id}/stacks/{rank}/starter")
    assert response.status_code == 200, response.data
    return response.get_json()["files"]


def _dependencies(pyproject: str) -> dict[str, Requirement]:
    project = tomllib.loads(pyproject)["project"]
    return {Requirement(line).name.lower(): Requirement(line) for line in project["dependencies"]}


def test_the_zip_of_a_fastapi_postgresql_redis_celery_stack(app, client):
    result_id, payload = _made(app, FASTAPI_CELERY)
    components = payload["stacks"][0]["components"]
    assert {"fastapi", "postgresql", "redis", "celery"} <= set(components.values())
    response = client.get(f"/r/{result_id}/starter/1.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="stack-1-starter.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [f"stack-1-starter/{name}" for name in FILES]
    files = {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}
    assert files == _files(client, result_id)  # the zip and the JSON hold the same files
    compose = yaml.safe_load(files["docker-compose.yml"])
    broker = {"redis": "redis", "rabbitmq": "rabbitmq", "kafka": "kafka"}[components["broker"]]
    assert {"postgres", "redis", broker} <= set(compose["services"])
    for name, service in compose["services"].items():
        assert PINNED.match(service["image"]), service["image"]
        assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service["ports"]
    deps = _dependencies(files["pyproject.toml"])
    assert {"fastapi", "celery", "sqlalchemy", "asyncpg"} <= set(deps)
    assert "redis" in deps  # Celery and the cache talk to Redis through its client
    from packaging.specifiers import SpecifierSet

    from tests.engine_helpers import seed_catalog

    assert deps["fastapi"].specifier == SpecifierSet(
        seed_catalog().techs["fastapi"].version
    )  # the catalog's range
    env = files[".env.example"]
    assert "DATABASE_URL=postgresql+asyncpg://app:app@localhost:5432/app" in env
    assert re.search(r"^CACHE_URL=redis://localhost:6379/0$", env, re.M)
    assert "celery -A app worker" in files["README.md"]


def test_every_component_with_a_package_is_a_dependency_with_its_range(app, client):
    result_id, payload = _made(
        app, {"project_kind": "web_app", "features": ["admin_ui", "background_jobs"], "must_use": ["django"]}
    )
    import sqlalchemy as sa

    from advisor.catalog.models import Technology
    from advisor.extensions import db

    for rank, stack in enumerate(payload["stacks"], start=1):
        deps = _dependencies(_files(client, result_id, rank)["pyproject.toml"])
        with app.app_context():
            rows = db.session.execute(
                sa.select(Technology.package, Technology.version_range).where(
                    Technology.slug.in_(stack["components"].values())
                )
            ).all()
        for package, version in rows:
            if package:
                assert package.lower() in deps, (rank, package)
                if version:
                    expected = SpecifierSet(version if version[0] in "<>=!~" else f">={version}")
                    assert deps[package.lower()].specifier == expected, package


def test_versions_come_from_the_saved_result_before_the_catalog(app, client):
    payload = new_payload()
    payload["technologies"]["django"]["version"] = ">=5.2.3,<6"  # what the catalog said back then
    files = _files(client, save(app, payload))
    deps = _dependencies(files["pyproject.toml"])
    assert str(deps["django"].specifier) == "<6,>=5.2.3"
    assert list(deps).count("django") == 1  # Django and its ORM are one package
    assert "psycopg" in deps and "gunicorn" in deps


def test_the_readme_gives_each_stacks_real_commands(app, client):
    result_id = save(app, new_payload())
    django = _files(client, result_id, 1)
    readme = django["README.md"]
    for command in (
        "python manage.py migrate",
        "python manage.py runserver",
        "gunicorn -w 4 -b 0.0.0.0:8000 app.wsgi:application",
        "celery -A app worker --loglevel=INFO",
        "docker compose up --wait",
        "cp .env.example .env",
    ):
        assert command in readme, command
    fastapi = _files(client, result_id, 2)
    assert (
        "gunicorn -k uvicorn_worker.UvicornWorker -w 4 -b 0.0.0.0:8000 app.main:app" in fastapi["README.md"]
    )
    assert "uvicorn-worker" in fastapi["README.md"] and "alembic upgrade head" in fastapi["README.md"]
    assert "uvicorn-worker" in _dependencies(fastapi["pyproject.toml"])
    assert "uvicorn[standard]" in fastapi["pyproject.toml"]
    assert "rabbitmq" in yaml.safe_load(fastapi["docker-compose.yml"])["services"]
    assert "BROKER_URL=amqp://app:app@localhost:5672//" in fastapi[".env.example"]
    flask = _files(client, result_id, 3)
    assert "flask --app app.main run --debug" in flask["README.md"]
    assert 'rq worker --url "$BROKER_URL"' in flask["README.md"]
    assert "Motor is end of life; plan the move to PyMongo." in flask["README.md"]
    assert "mongo" in yaml.safe_load(flask["docker-compose.yml"])["services"]


def test_the_preview_lists_the_files_with_their_contents(app, client):
    result_id = save(app, new_payload())
    response = client.get(f"/r/{result_id}/starter/2")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "public, max-age=300"
    html = response.get_data(as_text=True)
    for number, name in enumerate(FILES, start=1):
        assert f'<a href="#file-{number}"><code>{name}</code></a>' in html
        assert f'id="file-{number}-name"><code>{name}</code></h2>' in html
    assert html.count("<pre") == 4 and "uvicorn_worker.UvicornWorker" in html
    assert "&#34;fastapi&gt;=0.110,&lt;1&#34;,  # web framework" in html  # escaped, line breaks kept
    assert "\n  fastapi" not in html and "services:\n  postgres:\n" in html
    assert f'href="/r/{result_id}/starter/2.zip"' in html
    assert f'href="/api/v1/recommendations/{result_id}/stacks/2/starter"' in html
    assert f'href="/r/{result_id}/starter/1">#1</a>' in html


@pytest.mark.parametrize("rank", [0, 4, 99])
def test_ranks_that_do_not_exist_are_404(app, client, rank):
    result_id = save(app, new_payload())
    assert client.get(f"/r/{result_id}/starter/{rank}").status_code == 404
    assert client.get(f"/r/{result_id}/starter/{rank}.zip").status_code == 404
    body = client.get(f"/api/v1/recommendations/{result_id}/stacks/{rank}/starter").get_json()
    assert body == {"errors": {"rank": ["This result has stacks 1 to 3."]}}
    assert client.get("/api/v1/recommendations/nope123456/stacks/1/starter").get_json()["errors"]["id"]


def test_the_starter_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/recommendations/{result_id}/stacks/{rank}/starter"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Starter"
    }


def test_a_stack_without_services_says_so(app, client):
    result_id, payload = _made(app, {"project_kind": "scripts"})
    stack = payload["stacks"][0]["components"]
    files = _files(client, result_id)
    compose = yaml.safe_load(files["docker-compose.yml"])
    from advisor.results.services import SERVICES

    assert set(compose["services"]) == {SERVICES[s].name for s in stack.values() if s in SERVICES}
    assert "python -m app" in files["README.md"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "constraints",
    [
        FASTAPI_CELERY,
        BY_KEY["traditional-monolith"].constraints,
        BY_KEY["lightweight-api"].constraints,
        BY_KEY["realtime-chat"].constraints,
    ],
    ids=["fastapi-celery", "monolith", "lightweight", "realtime"],
)
def test_pip_resolves_the_generated_pyproject(app, client, tmp_path, constraints):
    """pip's resolver, against the real package index, finds versions that satisfy every range."""
    result_id, _ = _made(app, constraints)
    deps = tomllib.loads(_files(client, result_id)["pyproject.toml"])["project"]["dependencies"]
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(deps) + "\n")
    report = tmp_path / "report.json"
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--quiet",
        "--disable-pip-version-check",
        "--target",
        str(tmp_path / "target"),
        "--report",
        str(report),
        "-r",
        str(requirements),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stderr[-3000:]
    chosen = {
        item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    for line in deps:
        requirement = Requirement(line)
        name = requirement.name.lower().replace("_", "-")
        assert name in chosen, name
        assert requirement.specifier.contains(chosen[name], prereleases=True), (line, chosen[name])


def test_every_service_the_starter_knows_is_pinned_healthchecked_and_reachable(app, client):
    """A stack holding every database, cache, broker and search engine the starter knows of."""
    from advisor.results.services import SERVICES

    payload = new_payload()
    stack = payload["stacks"][0]
    stack["components"] = {f"part-{i}": slug for i, slug in enumerate(SERVICES)}
    files = _files(client, save(app, payload))
    compose = yaml.safe_load(files["docker-compose.yml"])
    assert set(compose["services"]) == {s.name for s in SERVICES.values()}
    for name, service in compose["services"].items():
        assert PINNED.match(service["image"]) and service["healthcheck"]["test"], name
        if "volumes" in service:
            assert service["volumes"][0].split(":", 1)[0] in compose["volumes"], name
    host_ports = [int(service["ports"][0].split(":")[0]) for service in compose["services"].values()]
    assert len(set(host_ports)) == len(host_ports)  # Redis and Valkey both listen on 6379 inside
    assert compose["services"]["valkey"]["ports"] == ["6380:6379"]
    assert "redis on port 6379" in files["README.md"] and "valkey on port 6380" in files["README.md"]
