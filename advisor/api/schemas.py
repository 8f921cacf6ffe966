"""marshmallow schemas for every body the JSON API takes or gives; the OpenAPI document is built from them.

The request body is the engine's own `ConstraintsSchema`, so the API and the engine can never
disagree about what valid constraints are.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from advisor.engine.constraints import ConstraintsSchema
from advisor.engine.vocabulary import SLOTS

MAX_QUERY_LENGTH = 100
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"

__all__ = ["ConstraintsSchema", "ErrorSchema", "PreviewSchema", "ResultSchema", "StarterSchema", "TechnologyQuerySchema",
           "TechnologySchema", "TechnologySummarySchema", "VocabularySchema"]


class ErrorSchema(Schema):
    """`{"errors": {"<field>": ["message", ...]}}`; `_request` names the request as a whole."""

    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


# --- results ----------------------------------------------------------------------------------

class ReasonSchema(Schema):
    slot = fields.String(required=True)
    technology = fields.String(required=True, allow_none=True,
                               metadata={"description": "null when the slot was left empty"})
    text = fields.String(required=True)
    contribution = fields.Float(required=True)


class TradeoffSchema(Schema):
    technology = fields.String(required=True)
    pros = fields.List(fields.String(), required=True)
    cons = fields.List(fields.String(), required=True)


class StackSchema(Schema):
    rank = fields.Integer(required=True, validate=validate.Range(min=1))
    score = fields.Float(required=True)
    components = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                             metadata={"description": "slot -> technology slug"})
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    tradeoffs = fields.List(fields.Nested(TradeoffSchema), required=True)


class SlotNeedSchema(Schema):
    slot = fields.String(required=True)
    optional = fields.Boolean(required=True)
    why = fields.String(required=True)


class ResultTechnologySchema(Schema):
    name = fields.String(required=True)
    summary = fields.String(required=True)
    version = fields.String(required=True, allow_none=True)


class AlternativeSchema(Schema):
    technology = fields.String(required=True)
    name = fields.String(required=True)
    score = fields.Float(required=True)
    delta = fields.Float(required=True, metadata={"description": "score minus the top stack's score"})
    changes = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), metadata={
        "description": "slot -> technology for the other parts that differ from the top stack "
                       "(empty when only this part is swapped; null: the slot left empty)"})


class SavedConstraintsSchema(ConstraintsSchema):
    """Constraints as saved in a result; its slugs may since have been archived, so no slug enum."""


class ResultSchema(Schema):
    """The contract's result JSON; identical on every read of a saved result."""

    class Meta:
        ordered = True

    id = fields.String(required=True, metadata={"description": "unguessable permalink id"})
    url = fields.String(required=True, metadata={"format": "uri", "description": "the HTML page"})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    catalog_version = fields.Integer(required=True)
    constraints = fields.Nested(SavedConstraintsSchema, required=True, metadata={
        "description": "the normalised constraints, defaults filled in"})
    stacks = fields.List(fields.Nested(StackSchema), required=True)
    slots = fields.List(fields.Nested(SlotNeedSchema))
    technologies = fields.Dict(keys=fields.String(), values=fields.Nested(ResultTechnologySchema))
    alternatives = fields.Dict(keys=fields.String(),
                               values=fields.List(fields.Nested(AlternativeSchema)),
                               metadata={"description": "slot -> runner-up technologies"})


class PreviewSchema(ResultSchema):
    """A result that was worked out but not saved: no id, no permalink, no creation time."""

    class Meta:
        ordered = True
        exclude = ("id", "url", "created_at")


class StarterSchema(Schema):
    """A stack's starter files by name."""

    files = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "pyproject.toml, README.md, docker-compose.yml and .env.example, by name"})


# --- catalog ----------------------------------------------------------------------------------

class TechnologyQuerySchema(Schema):
    """Filters of the technology list; unknown query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    slot = fields.String(validate=validate.OneOf(SLOTS, error="'{input}' is not a known slot."),
                         metadata={"description": "only technologies that can fill this slot"})
    q = fields.String(validate=[validate.Length(max=MAX_QUERY_LENGTH), validate.Regexp(
        NO_CONTROL_CHARACTERS, error="Control characters are not allowed.")],
                      metadata={"description": "text in the slug, name, aliases or summary"})


class RatingsSchema(Schema):
    dev_speed = fields.Integer(required=True)
    performance = fields.Integer(required=True)
    maturity = fields.Integer(required=True)
    flexibility = fields.Integer(required=True)
    simplicity = fields.Integer(required=True)
    typing = fields.Integer(required=True)
    scalability = fields.Integer(required=True)
    ecosystem = fields.Integer(required=True)
    learnability = fields.Integer(required=True)


class TechnologySummarySchema(Schema):
    """One active technology as listed."""

    class Meta:
        ordered = True

    slug = fields.String(required=True)
    name = fields.String(required=True)
    slots = fields.List(fields.String(), required=True)
    status = fields.String(required=True, validate=validate.OneOf(("active", "archived")))
    summary = fields.String(required=True)
    homepage = fields.String(required=True, allow_none=True)
    package = fields.String(required=True, allow_none=True)
    version = fields.String(required=True, allow_none=True)
    capabilities = fields.List(fields.String(), required=True)
    ratings = fields.Nested(RatingsSchema, required=True)
    url = fields.String(required=True, metadata={"format": "uri", "description": "this resource"})


class RuleSchema(Schema):
    kind = fields.String(required=True)
    targets = fields.List(fields.String(), required=True)
    slot = fields.String(required=True, allow_none=True)
    when_in = fields.String(required=True, allow_none=True)
    strength = fields.Integer(required=True)
    reason = fields.String(required=True)


class TechnologySchema(TechnologySummarySchema):
    """One active technology with everything the catalog knows of it."""

    aliases = fields.List(fields.String(), required=True)
    description = fields.String(required=True)
    pros = fields.List(fields.String(), required=True)
    cons = fields.List(fields.String(), required=True)
    best_for = fields.List(fields.String(), required=True)
    when_to_use = fields.List(fields.String(), required=True)
    when_to_avoid = fields.List(fields.String(), required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True)


# --- vocabulary -------------------------------------------------------------------------------

class PriorityScaleSchema(Schema):
    axes = fields.List(fields.String(), required=True)
    minimum = fields.Integer(required=True)
    maximum = fields.Integer(required=True)
    default = fields.Integer(required=True)


class SlotSchema(Schema):
    slot = fields.String(required=True)
    label = fields.String(required=True)
    in_stacks = fields.Boolean(required=True,
                               metadata={"description": "false for catalog-only slots"})


class VocabularySchema(Schema):
    """What clients need to build their own constraints form."""

    class Meta:
        ordered = True

    catalog_version = fields.Integer(required=True)
    required = fields.List(fields.String(), required=True)
    choices = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                          metadata={"description": "single-choice fields and their values"})
    multiple_choices = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                                   required=True,
                                   metadata={"description": "list fields and their allowed items"})
    technology_lists = fields.List(fields.String(), required=True,
                                   metadata={"description": "list fields that take technology slugs"})
    technologies = fields.List(fields.String(), required=True,
                               metadata={"description": "the active technology slugs"})
    max_technologies = fields.Integer(required=True)
    defaults = fields.Dict(required=True)
    priorities = fields.Nested(PriorityScaleSchema, required=True)
    slots = fields.List(fields.Nested(SlotSchema), required=True)
