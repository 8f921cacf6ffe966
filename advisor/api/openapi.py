"""The OpenAPI 3 document, built by apispec from the marshmallow schemas the views use.

Slug lists in the constraints get the listed slugs as an `enum`, so the document tells clients (and
schemathesis) which technologies exist in the current catalog version.
"""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request

from advisor.api import schemas
from advisor.catalog.service import snapshot
from advisor.engine.constraints import SLUG_RE

OPENAPI_VERSION = "3.1.0"
RESULT_ID_PATTERN = "^[A-Za-z0-9_-]{1,32}$"  # what get_result() will look up
API_VERSION = "1.0.0"
ERROR = {"$ref": "#/components/responses/Error"}
RATE_LIMITED = {"$ref": "#/components/responses/RateLimited"}


def _json(schema) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _operations() -> list[tuple[str, dict]]:
    result_id = {
        "name": "result_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": RESULT_ID_PATTERN},
    }
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
    return [
        (
            "/recommendations",
            {
                "post": {
                    "operationId": "createRecommendation",
                    "tags": ["recommendations"],
                    "summary": "Recommend stacks for constraints and save the result",
                    "requestBody": {"required": True, **_json(schemas.ConstraintsSchema)},
                    "responses": {
                        "201": {
                            "description": "The saved result",
                            **_json(schemas.ResultSchema),
                            "headers": {
                                "Location": {
                                    "description": "The result's HTML page (/r/<id>)",
                                    "schema": {"type": "string"},
                                }
                            },
                        },
                        "400": ERROR,
                        "413": ERROR,
                        "415": ERROR,
                        "422": ERROR,
                        "429": RATE_LIMITED,
                    },
                }
            },
        ),
        (
            "/recommendations/preview",
            {
                "post": {
                    "operationId": "previewRecommendation",
                    "tags": ["recommendations"],
                    "summary": "Recommend stacks for constraints without saving anything",
                    "requestBody": {"required": True, **_json(schemas.ConstraintsSchema)},
                    "responses": {
                        "200": {
                            "description": "The result, as a 201 would hold it, without id or url",
                            **_json(schemas.PreviewSchema),
                        },
                        "400": ERROR,
                        "413": ERROR,
                        "415": ERROR,
                        "422": ERROR,
                        "429": RATE_LIMITED,
                    },
                }
            },
        ),
        (
            "/recommendations/{result_id}",
            {
                "get": {
                    "operationId": "getRecommendation",
                    "tags": ["recommendations"],
                    "summary": "A saved result, identical to the 201 body, forever",
                    "parameters": [result_id],
                    "responses": {
                        "200": {"description": "The saved result", **_json(schemas.ResultSchema)},
                        "404": ERROR,
                    },
                }
            },
        ),
        (
            "/recommendations/{result_id}/stacks/{rank}/starter",
            {
                "get": {
                    "operationId": "getStarter",
                    "tags": ["recommendations"],
                    "summary": "Starter files for one stack of a saved result",
                    "parameters": [
                        result_id,
                        {
                            "name": "rank",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        },
                    ],
                    "responses": {
                        "200": {"description": "The files", **_json(schemas.StarterSchema)},
                        "404": ERROR,
                    },
                }
            },
        ),
        (
            "/technologies",
            {
                "get": {
                    "operationId": "listTechnologies",
                    "tags": ["catalog"],
                    "summary": "Listed technologies of the catalog (every status but archived)",
                    "parameters": [{"in": "query", "schema": schemas.TechnologyQuerySchema}],
                    "responses": {
                        "200": {
                            "description": "Listed technologies",
                            **_json({"type": "array", "items": schemas.TechnologySummarySchema}),
                        },
                        "422": ERROR,
                    },
                }
            },
        ),
        (
            "/technologies/{slug}",
            {
                "get": {
                    "operationId": "getTechnology",
                    "tags": ["catalog"],
                    "summary": "One listed technology with its maintenance facts",
                    "parameters": [slug],
                    "responses": {
                        "200": {"description": "The technology", **_json(schemas.TechnologySchema)},
                        "404": ERROR,
                    },
                }
            },
        ),
        (
            "/radar",
            {
                "get": {
                    "operationId": "getRadar",
                    "tags": ["radar"],
                    "summary": "The technology radar: the latest edition, an earlier one, or the live radar",
                    "parameters": [{"in": "query", "schema": schemas.RadarQuerySchema}],
                    "responses": {
                        "200": {"description": "The radar", **_json(schemas.RadarSchema)},
                        "404": ERROR,
                        "422": ERROR,
                    },
                }
            },
        ),
        (
            "/radar/editions",
            {
                "get": {
                    "operationId": "listRadarEditions",
                    "tags": ["radar"],
                    "summary": "Every published edition, newest first, with what moved in each",
                    "responses": {"200": {"description": "The editions", **_json(schemas.EditionListSchema)}},
                }
            },
        ),
        (
            "/vocabulary",
            {
                "get": {
                    "operationId": "getVocabulary",
                    "tags": ["catalog"],
                    "summary": "Allowed constraint values, defaults and slots",
                    "responses": {
                        "200": {"description": "The vocabulary", **_json(schemas.VocabularySchema)}
                    },
                }
            },
        ),
        (
            "/openapi.json",
            {
                "get": {
                    "operationId": "getOpenAPI",
                    "tags": ["meta"],
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3 document", **_json({"type": "object"})}},
                }
            },
        ),
    ]


def build_spec(server_url: str, slugs: list[str]) -> dict:
    """The document as a dict, for one server URL and the active slugs."""
    spec = APISpec(
        title="Stack Advisor API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        servers=[{"url": server_url}],
        info={
            "description": "Recommends complete Python backend stacks from a project's "
            'constraints. Errors are `{"errors": {"<field>": ["message"]}}`.'
        },
    )
    spec.components.schema("Error", schema=schemas.ErrorSchema)
    spec.components.schema("Constraints", schema=schemas.ConstraintsSchema)
    spec.components.schema("Result", schema=schemas.ResultSchema)
    spec.components.schema("Preview", schema=schemas.PreviewSchema)
    spec.components.schema("Starter", schema=schemas.StarterSchema)
    spec.components.schema("TechnologySummary", schema=schemas.TechnologySummarySchema)
    spec.components.schema("Technology", schema=schemas.TechnologySchema)
    spec.components.schema("Vocabulary", schema=schemas.VocabularySchema)
    spec.components.schema("Radar", schema=schemas.RadarSchema)
    spec.components.schema("RadarEditions", schema=schemas.EditionListSchema)
    spec.components.response(
        "Error", {"description": "Error, naming the field", **_json(schemas.ErrorSchema)}
    )
    spec.components.response(
        "RateLimited",
        {
            "description": "Too many requests",
            **_json(schemas.ErrorSchema),
            "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
        },
    )
    for path, operations in _operations():
        for operation in operations.values():
            # Any request can be refused whole: a NUL character anywhere, a body too large.
            operation["responses"].setdefault("400", ERROR)
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    _constrain_slugs(document, slugs)
    return document


def _constrain_slugs(document: dict, slugs: list[str]) -> None:
    """Give every slug of the constraints, and the technology path, the current active slugs as enum."""
    constraints = document["components"]["schemas"]["Constraints"]
    for prop in constraints["properties"].values():
        items = prop.get("items", {})
        if prop.get("type") == "array" and items.get("pattern") == SLUG_RE.pattern:
            items["enum"] = slugs
    for parameter in document["paths"]["/technologies/{slug}"]["get"]["parameters"]:
        parameter["schema"]["enum"] = slugs


def openapi_document() -> dict:
    """The document for this host and catalog version (cached per version and host)."""
    catalog = snapshot()
    server_url = request.host_url.rstrip("/") + "/api/v1"
    key = (catalog.version, server_url)
    cached = current_app.extensions.get("advisor_openapi")
    if cached is None or cached[0] != key:
        slugs = sorted(s for s in catalog.techs if catalog.listed(s))
        cached = (key, build_spec(server_url, slugs))
        current_app.extensions["advisor_openapi"] = cached
    return cached[1]
