"""marshmallow schemas of what the JSON API reads (the constraints body, query strings) and of the error
body any endpoint may answer. What endpoints answer on success is in `advisor.api.result_schemas` and
`advisor.api.catalog_schemas`; the OpenAPI document is built from all three.

The request body is the engine's own `ConstraintsSchema`, so the API and the engine can never
disagree about what valid constraints are.
"""

from __future__ import annotations

import re

from marshmallow import EXCLUDE, Schema, fields, validate

from advisor.engine.constraints import ConstraintsSchema, FullMatch
from advisor.engine.vocabulary import CAPABILITIES, LISTED_STATUSES, SLOTS
from advisor.radar.service import MAX_EDITION

MAX_QUERY_LENGTH = 100
NO_CONTROL_CHARACTERS = re.compile(r"^[^\x00-\x1f\x7f]*$")

__all__ = ["ConstraintsSchema", "ErrorSchema", "RadarQuerySchema", "TechnologyQuerySchema"]


class SuggestionSchema(Schema):
    text = fields.String(required=True)
    constraints = fields.Dict(required=True, metadata={"description": "whole constraints with a stack"})


class ErrorSchema(Schema):
    """`{"errors": {"<field>": ["message", ...]}}`; `_request` names the request as a whole. A clash
    (valid constraints no stack satisfies) also carries `suggestions`."""

    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema))


# --- query strings -----------------------------------------------------------------------------


class TechnologyQuerySchema(Schema):
    """Filters of the technology list; unknown query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    slot = fields.String(
        validate=validate.OneOf(SLOTS, error="'{input}' is not a known slot."),
        metadata={"description": "only technologies that can fill this slot"},
    )
    q = fields.String(
        validate=[
            validate.Length(max=MAX_QUERY_LENGTH),
            FullMatch(NO_CONTROL_CHARACTERS, error="Control characters are not allowed."),
        ],
        metadata={"description": "words that must each appear in the slug, name, aliases or summary"},
    )
    status = fields.String(
        validate=validate.OneOf(LISTED_STATUSES, error="'{input}' is not a listed status."),
        metadata={"description": "only technologies with this status"},
    )
    capability = fields.String(
        validate=validate.OneOf(CAPABILITIES, error="'{input}' is not a known capability."),
        metadata={"description": "only technologies with this capability"},
    )


class RadarQuerySchema(Schema):
    """Which radar; unknown query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    edition = fields.Integer(
        validate=validate.Range(1, MAX_EDITION, error=("An edition is a whole number from {min} to {max}.")),
        metadata={
            "description": "a published edition (default: the latest, or the live radar before the first)"
        },
    )
