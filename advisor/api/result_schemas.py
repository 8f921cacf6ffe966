"""marshmallow schemas of what the recommendation endpoints answer: a saved result, a preview and a
stack's starter files."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from advisor.engine.constraints import ConstraintsSchema


class ReasonSchema(Schema):
    class Meta:
        ordered = True

    slot = fields.String(required=True)
    technology = fields.String(
        required=True, allow_none=True, metadata={"description": "null when the slot was left empty"}
    )
    kind = fields.String(
        validate=validate.OneOf(("fit", "builtin", "empty", "pair")),
        metadata={
            "description": "fit: how the part fits its slot; builtin: the part is built into another "
            "part of the stack; empty: an optional slot left empty; pair: two parts that "
            "work well together (absent in results saved before it existed)"
        },
    )
    partner = fields.String(metadata={"description": "the other part of a pair"})
    text = fields.String(required=True)
    contribution = fields.Float(required=True)


class TradeoffSchema(Schema):
    technology = fields.String(required=True)
    pros = fields.List(fields.String(), required=True)
    cons = fields.List(fields.String(), required=True)


class PartSchema(Schema):
    technology = fields.String(required=True)
    slots = fields.List(fields.String(), required=True)


class TradeChangeSchema(Schema):
    slot = fields.String(required=True)
    technology = fields.String(required=True, allow_none=True)
    instead_of = fields.String(required=True, allow_none=True)
    gains = fields.List(fields.String(), required=True)
    losses = fields.List(fields.String(), required=True)


class TradesSchema(Schema):
    versus = fields.Integer(required=True, metadata={"description": "the rank traded against"})
    summary = fields.String(required=True)
    changes = fields.List(fields.Nested(TradeChangeSchema), required=True)


class AlternativeSchema(Schema):
    technology = fields.String(required=True)
    name = fields.String(required=True)
    score = fields.Float(required=True)
    delta = fields.Float(required=True, metadata={"description": "score minus the stack's score"})
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.String(allow_none=True),
        metadata={
            "description": "slot -> technology for the other parts that differ (empty when only this "
            "part is swapped; null: the slot left empty)"
        },
    )


class StackSchema(Schema):
    rank = fields.Integer(required=True, validate=validate.Range(min=1))
    score = fields.Float(
        required=True,
        metadata={"description": "0-100: the stack's fit as a share of the best fit these constraints allow"},
    )
    components = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "slot -> technology slug"},
    )
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    tradeoffs = fields.List(fields.Nested(TradeoffSchema), required=True)
    fits = fields.Dict(
        keys=fields.String(),
        values=fields.Float(allow_none=True),
        metadata={
            "description": "slot -> how well its part fits, 0-1 on an absolute scale (null: left empty)"
        },
    )
    weights = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "slot -> its share of the score, in percent"},
    )
    axes = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        metadata={"description": "priority axis -> the stack's rating on it, 0-1"},
    )
    parts = fields.List(fields.Nested(PartSchema), metadata={"description": "each technology once"})
    trades = fields.Nested(TradesSchema, metadata={"description": "what it trades against #1"})
    instead_of = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(AlternativeSchema)),
        metadata={"description": "slot -> other parts that swap in alone"},
    )


class SlotNeedSchema(Schema):
    slot = fields.String(required=True)
    optional = fields.Boolean(required=True)
    why = fields.String(required=True)


class ResultTechnologySchema(Schema):
    name = fields.String(required=True)
    summary = fields.String(required=True)
    version = fields.String(required=True, allow_none=True)
    status = fields.String()
    successor = fields.String(allow_none=True)
    latest_version = fields.String(allow_none=True)
    last_release = fields.String(allow_none=True)
    stale = fields.Boolean()
    status_note = fields.String(allow_none=True)
    package = fields.String(allow_none=True)


class WarningSchema(Schema):
    technology = fields.String(required=True)
    successor = fields.String(required=True, allow_none=True)
    text = fields.String(required=True)


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
    constraints = fields.Nested(
        SavedConstraintsSchema,
        required=True,
        metadata={"description": "the normalised constraints, defaults filled in"},
    )
    stacks = fields.List(fields.Nested(StackSchema), required=True)
    slots = fields.List(fields.Nested(SlotNeedSchema))
    score_basis = fields.String(metadata={"description": "what a score means, in words"})
    warnings = fields.List(
        fields.Nested(WarningSchema),
        metadata={
            "description": "parts kept only because must_use names them although they are past their "
            "end of life or deprecated"
        },
    )
    technologies = fields.Dict(keys=fields.String(), values=fields.Nested(ResultTechnologySchema))
    alternatives = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(AlternativeSchema)),
        metadata={"description": "slot -> runner-up technologies"},
    )


class PreviewSchema(ResultSchema):
    """A result that was worked out but not saved: no id, no permalink, no creation time."""

    class Meta:
        ordered = True
        exclude = ("id", "url", "created_at")


class StarterSchema(Schema):
    """A stack's starter files by name."""

    files = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "pyproject.toml, README.md, docker-compose.yml and .env.example, by name"},
    )
