"""The OpenAPI 3 document, built by apispec from the marshmallow schemas the views use.

Slug lists in the constraints get the listed slugs as an `enum`, so the document tells clients (and
schemathesis) which technologies exist in the current catalog version.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, request

from advisor.api import catalog_schemas, result_schemas, schemas
from advisor.catalog.service import snapshot
from advisor.engine.constraints import SLUG_RE

OPENAPI_VERSION = "3.1.0"
RESULT_ID_PATTERN = "^[A-Za-z0-9_-]{1,32}$"  # what get_result() will look up
API_VERSION = "1.0.0"
ERROR = {"$ref": "#/components/responses/Error"}
RATE_LIMITED = {"$ref": "#/components/responses/RateLimited"}


def _json(schema) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


RESULT_ID = {
    "name": "result_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": RESULT_ID_PATTERN},
}
RANK = {
    "name": "rank",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
BODY_ERRORS = ("400", "413", "415", "422", "429")
LOCATION = {"Location": {"description": "The result's HTML page (/r/<id>)", "schema": {"type": "string"}}}


@dataclass(frozen=True)
class Operation:
    """One documented endpoint: what it answers on success and which errors it may give."""

    path: str
    method: str
    operation_id: str
    tag: str
    summary: str
    success: tuple[str, str, object]  # status, description, schema
    errors: tuple[str, ...] = ()
    parameters: tuple[dict, ...] = ()
    body: object = None
    headers: dict | None = None


OPERATIONS = (
    Operation(
        "/recommendations", "post", "createRecommendation", "recommendations",
        "Recommend stacks for constraints and save the result",
        ("201", "The saved result", result_schemas.ResultSchema), BODY_ERRORS,
        body=schemas.ConstraintsSchema, headers=LOCATION,
    ),
    Operation(
        "/recommendations/preview", "post", "previewRecommendation", "recommendations",
        "Recommend stacks for constraints without saving anything",
        ("200", "The result, as a 201 would hold it, without id or url", result_schemas.PreviewSchema),
        BODY_ERRORS,
        body=schemas.ConstraintsSchema,
    ),
    Operation(
        "/recommendations/{result_id}", "get", "getRecommendation", "recommendations",
        "A saved result, identical to the 201 body, forever",
        ("200", "The saved result", result_schemas.ResultSchema), ("404",), (RESULT_ID,),
    ),
    Operation(
        "/recommendations/{result_id}/stacks/{rank}/starter", "get", "getStarter", "recommendations",
        "Starter files for one stack of a saved result",
        ("200", "The files", result_schemas.StarterSchema), ("404",), (RESULT_ID, RANK),
    ),
    Operation(
        "/technologies", "get", "listTechnologies", "catalog",
        "Listed technologies of the catalog (every status but archived)",
        ("200", "Listed technologies", {"type": "array", "items": catalog_schemas.TechnologySummarySchema}),
        ("422",),
        ({"in": "query", "schema": schemas.TechnologyQuerySchema},),
    ),
    Operation(
        "/technologies/{slug}", "get", "getTechnology", "catalog",
        "One listed technology with its maintenance facts",
        ("200", "The technology", catalog_schemas.TechnologySchema), ("404",), (SLUG,),
    ),
    Operation(
        "/radar", "get", "getRadar", "radar",
        "The technology radar: the latest edition, an earlier one, or the live radar",
        ("200", "The radar", catalog_schemas.RadarSchema), ("404", "422"),
        ({"in": "query", "schema": schemas.RadarQuerySchema},),
    ),
    Operation(
        "/radar/editions", "get", "listRadarEditions", "radar",
        "Every published edition, newest first, with what moved in each",
        ("200", "The editions", catalog_schemas.EditionListSchema),
    ),
    Operation(
        "/vocabulary", "get", "getVocabulary", "catalog",
        "Allowed constraint values, defaults and slots",
        ("200", "The vocabulary", catalog_schemas.VocabularySchema),
    ),
    Operation(
        "/openapi.json", "get", "getOpenAPI", "meta", "This document",
        ("200", "OpenAPI 3 document", {"type": "object"}),
    ),
)  # fmt: skip


def _operation(op: Operation) -> dict:
    """The OpenAPI operation object, fresh each time: apispec and `_constrain_slugs` edit it in place."""
    status, description, schema = op.success
    success = {"description": description, **_json(schema)}
    if op.headers:
        success["headers"] = op.headers
    operation: dict = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary}
    if op.body is not None:
        operation["requestBody"] = {"required": True, **_json(op.body)}
    if op.parameters:
        operation["parameters"] = list(op.parameters)
    errors = {code: RATE_LIMITED if code == "429" else ERROR for code in op.errors}
    operation["responses"] = {status: success, **errors}
    return copy.deepcopy(operation)


def _operations() -> list[tuple[str, dict]]:
    return [(op.path, {op.method: _operation(op)}) for op in OPERATIONS]


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
    spec.components.schema("Result", schema=result_schemas.ResultSchema)
    spec.components.schema("Preview", schema=result_schemas.PreviewSchema)
    spec.components.schema("Starter", schema=result_schemas.StarterSchema)
    spec.components.schema("TechnologySummary", schema=catalog_schemas.TechnologySummarySchema)
    spec.components.schema("Technology", schema=catalog_schemas.TechnologySchema)
    spec.components.schema("Vocabulary", schema=catalog_schemas.VocabularySchema)
    spec.components.schema("Radar", schema=catalog_schemas.RadarSchema)
    spec.components.schema("RadarEditions", schema=catalog_schemas.EditionListSchema)
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
    server_url = request.url_root.rstrip("/") + "/api/v1"  # with the prefix a proxy may set
    key = (catalog.version, server_url)
    cached = current_app.extensions.get("advisor_openapi")
    if cached is None or cached[0] != key:
        slugs = sorted(s for s in catalog.techs if catalog.listed(s))
        cached = (key, build_spec(server_url, slugs))
        current_app.extensions["advisor_openapi"] = cached
    return cached[1]
