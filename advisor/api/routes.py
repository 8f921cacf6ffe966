"""The JSON API views: thin wrappers around the results and catalog services."""

from __future__ import annotations

import json

from flask import jsonify, render_template, request
from marshmallow import ValidationError

from advisor.api import bp
from advisor.api.catalog_schemas import (
    EditionListSchema,
    RadarSchema,
    TechnologySchema,
    TechnologySummarySchema,
    VocabularySchema,
)
from advisor.api.openapi import openapi_document
from advisor.api.schemas import RadarQuerySchema, TechnologyQuerySchema
from advisor.api.service import (
    edition_list,
    get_technology,
    list_technologies,
    permalink,
    radar_json,
    vocabulary,
)
from advisor.catalog.browse import Filters
from advisor.catalog.service import current_version
from advisor.core.errors import REQUEST_FIELD
from advisor.core.security import cors_read, limit_result_creation
from advisor.engine import ConstraintError
from advisor.radar.service import current_radar, edition_radar
from advisor.results.service import create_result, get_result, preview_result, result_json
from advisor.results.starter import starter_files, starter_stack


class ApiError(Exception):
    """An error answered as `{"errors": {field: [messages]}}` with `status`; a clash also carries
    `suggestions`, whole constraints that have a stack."""

    def __init__(self, status: int, errors: dict[str, list[str]], suggestions: list[dict] | None = None):
        super().__init__(status, errors)
        self.status, self.errors, self.suggestions = status, errors, suggestions


@bp.errorhandler(ApiError)
def _api_error(err: ApiError):
    if err.suggestions:
        return jsonify(errors=err.errors, suggestions=err.suggestions), err.status
    return jsonify(errors=err.errors), err.status


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def json_body():
    """The request body as JSON: 415 for another content type, 400 when malformed, 413 when too large."""
    if not request.is_json:
        kind = request.mimetype or "no content type"
        raise ApiError(415, {REQUEST_FIELD: [f"Send the body as application/json, not {kind}."]})
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise ApiError(400, {REQUEST_FIELD: ["Malformed JSON: nested too deeply."]}) from None
    except ValueError as err:
        raise ApiError(400, {REQUEST_FIELD: [f"Malformed JSON: {err}"]}) from None


def _saved_json(saved) -> dict:
    """The stored payload is already in ResultSchema's shape (a test holds the two together), so
    it is sent as it is rather than re-dumped field by field on every request."""
    return result_json(saved, permalink(saved.id))


@bp.post("/recommendations")
@limit_result_creation
def create_recommendation():
    """Recommend stacks for the constraints in the body, save them, answer 201 with the result."""
    try:
        saved = create_result(json_body())
    except ConstraintError as err:
        raise _unsatisfiable(err) from None
    body = _saved_json(saved)
    return jsonify(body), 201, {"Location": body["url"]}


@bp.post("/recommendations/preview")
@limit_result_creation
def preview_recommendation():
    """Recommend stacks for the constraints in the body without saving anything: 200 with the result."""
    try:
        return jsonify(preview_result(json_body()))
    except ConstraintError as err:
        raise _unsatisfiable(err) from None


def _unsatisfiable(err: ConstraintError) -> ApiError:
    """Invalid or unsatisfiable constraints, answered alike by creation and preview (a clash with
    the engine's ways out)."""
    return ApiError(422, err.errors, err.suggestions)


# Ids have at least 10 characters (the contract), so /recommendations/preview is never taken for one:
# a GET there is a 405 that allows POST only, not a lookup of a result called "preview".
@bp.get("/recommendations/<string(minlength=10):result_id>")
@cors_read
def recommendation(result_id: str):
    """A saved result, exactly as it was answered when created."""
    saved = get_result(result_id)
    if saved is None:
        raise ApiError(404, {"id": ["No saved result has this id."]})
    return jsonify(_saved_json(saved))


@bp.get("/recommendations/<result_id>/stacks/<int:rank>/starter")
@cors_read
def starter(result_id: str, rank: int):
    """The starter files of one stack of a saved result: `{"files": {name: text}}`."""
    saved = get_result(result_id)
    if saved is None:
        raise ApiError(404, {"id": ["No saved result has this id."]})
    stack = starter_stack(saved, rank)
    if stack is None:
        count = len(saved.payload.get("stacks", []))
        raise ApiError(404, {"rank": [f"This result has stacks 1 to {count}."]})
    return jsonify(files=starter_files(saved, stack))


@bp.get("/technologies")
@cors_read
def technologies():
    """Listed technologies, filtered by ?q=, ?slot=, ?status= and ?capability=."""
    try:
        args = TechnologyQuerySchema().load(request.args)
    except ValidationError as err:
        raise ApiError(422, err.messages) from None
    items = TechnologySummarySchema(many=True).dump(list_technologies(Filters(**args)))
    return jsonify(items), 200, {"X-Catalog-Version": str(current_version())}


@bp.get("/technologies/<slug>")
@cors_read
def technology(slug: str):
    """One listed technology."""
    entry = get_technology(slug)
    if entry is None:
        raise ApiError(404, {"slug": ["No listed technology has this slug."]})
    return jsonify(TechnologySchema().dump(entry))


@bp.get("/radar")
@cors_read
def radar():
    """The radar: the latest edition, ?edition=n, or the live radar before the first edition."""
    try:
        args = RadarQuerySchema().load(request.args)
    except ValidationError as err:
        raise ApiError(422, err.messages) from None
    number = args.get("edition")
    radar = current_radar() if number is None else edition_radar(number)
    if radar is None:
        raise ApiError(404, {"edition": [f"No edition {number} has been published."]})
    return jsonify(RadarSchema().dump(radar_json(radar)))


@bp.get("/radar/editions")
@cors_read
def radar_editions():
    """Every published edition, newest first, with what moved in each."""
    return jsonify(EditionListSchema().dump({"editions": edition_list()}))


@bp.get("/vocabulary")
@cors_read
def vocabulary_view():
    """The allowed constraint values and the slots, for clients that build their own forms."""
    return jsonify(VocabularySchema().dump(vocabulary()))


@bp.get("/openapi.json")
@cors_read
def openapi():
    """The OpenAPI 3 description of this API, generated from the schemas above."""
    return jsonify(openapi_document())


@bp.get("/docs")
def docs():
    """A short human-readable guide to the API."""
    return render_template("api/docs.html", spec=openapi_document())
