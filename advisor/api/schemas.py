"""marshmallow schemas for every body the JSON API takes or gives; the OpenAPI document is built from them.

The request body is the engine's own `ConstraintsSchema`, so the API and the engine can never
disagree about what valid constraints are.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from advisor.engine.constraints import ConstraintsSchema, FullMatch
from advisor.engine.maintenance import STALE_AFTER_MONTHS
from advisor.engine.vocabulary import (
    CAPABILITIES,
    LISTED_STATUSES,
    QUADRANTS,
    RATING_AXES,
    RINGS,
    SLOTS,
    STATUSES,
)
from advisor.radar.rings import MOVES
from advisor.radar.service import MAX_EDITION

MAX_QUERY_LENGTH = 100
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"

__all__ = [
    "ConstraintsSchema",
    "EditionListSchema",
    "ErrorSchema",
    "PreviewSchema",
    "RadarQuerySchema",
    "RadarSchema",
    "ResultSchema",
    "StarterSchema",
    "TechnologyQuerySchema",
    "TechnologySchema",
    "TechnologySummarySchema",
    "VocabularySchema",
]


class SuggestionSchema(Schema):
    text = fields.String(required=True)
    constraints = fields.Dict(required=True, metadata={"description": "whole constraints with a stack"})


class ErrorSchema(Schema):
    """`{"errors": {"<field>": ["message", ...]}}`; `_request` names the request as a whole. A clash
    (valid constraints no stack satisfies) also carries `suggestions`."""

    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    suggestions = fields.List(fields.Nested(SuggestionSchema))


# --- results ----------------------------------------------------------------------------------


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


# --- catalog ----------------------------------------------------------------------------------


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


class RatingsSchema(Schema):
    locals().update({axis: fields.Integer(required=True) for axis in RATING_AXES})


class PlacementSchema(Schema):
    ring = fields.String(required=True, validate=validate.OneOf(RINGS))
    quadrant = fields.String(required=True, validate=validate.OneOf(QUADRANTS))
    source = fields.String(required=True, validate=validate.OneOf(("curator", "computed")))
    reason = fields.String(required=True)


class TechnologySummarySchema(Schema):
    """One listed technology (any status but archived) with its maintenance facts."""

    class Meta:
        ordered = True

    slug = fields.String(required=True)
    name = fields.String(required=True)
    slots = fields.List(fields.String(), required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "active; maintenance (fixes only); deprecated (a successor exists); "
            "end_of_life (no support); archived (hidden from new results)"
        },
    )
    successor = fields.String(
        required=True, allow_none=True, metadata={"description": "slug of the technology that replaces it"}
    )
    status_note = fields.String(
        required=True, allow_none=True, metadata={"description": "the curators' dated note on its status"}
    )
    latest_version = fields.String(
        required=True, allow_none=True, metadata={"description": "the newest release on PyPI"}
    )
    last_release = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "the month of that release, YYYY-MM", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
    )
    popularity_rank = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"minimum": 1, "description": "its rank among the most downloaded PyPI packages"},
    )
    stale = fields.Boolean(
        required=True,
        metadata={"description": f"no release for {STALE_AFTER_MONTHS} months or more (as of today)"},
    )
    ring = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(RINGS),
        metadata={
            "description": "the radar ring the curators set; null: the radar computes it from the facts"
        },
    )
    radar = fields.Nested(
        PlacementSchema,
        required=True,
        metadata={"description": "where the live radar places it today (a published edition may differ)"},
    )
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
    """One listed technology with everything the catalog knows of it."""

    aliases = fields.List(fields.String(), required=True)
    description = fields.String(required=True)
    pros = fields.List(fields.String(), required=True)
    cons = fields.List(fields.String(), required=True)
    best_for = fields.List(fields.String(), required=True)
    when_to_use = fields.List(fields.String(), required=True)
    when_to_avoid = fields.List(fields.String(), required=True)
    rules = fields.List(fields.Nested(RuleSchema), required=True)


# --- radar ------------------------------------------------------------------------------------


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


class RadarEntrySchema(Schema):
    class Meta:
        ordered = True

    slug = fields.String(required=True)
    name = fields.String(required=True)
    quadrant = fields.String(required=True, validate=validate.OneOf(QUADRANTS))
    ring = fields.String(required=True, validate=validate.OneOf(RINGS))
    moved = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(MOVES),
        metadata={
            "description": "in: new since the previous edition; up: toward adopt; down: toward hold; "
            "null: not moved (and always null in the first edition and the live radar)"
        },
    )
    previous_ring = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(RINGS),
        metadata={"description": "its ring in the previous edition"},
    )
    source = fields.String(required=True, validate=validate.OneOf(("curator", "computed")))
    reason = fields.String(required=True)
    number = fields.Integer(required=True, metadata={"description": "the blip's number on the drawing"})
    url = fields.String(required=True, metadata={"format": "uri", "description": "its technology resource"})


class LeftEntrySchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    quadrant = fields.String(required=True, validate=validate.OneOf(QUADRANTS))
    ring = fields.String(required=True, validate=validate.OneOf(RINGS))


class RadarSchema(Schema):
    """One radar: a published edition, or the live one (`edition` null) before any is published."""

    class Meta:
        ordered = True

    edition = fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": "the edition's number; null: the live radar, computed now, before any edition"
        },
    )
    published_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    catalog_version = fields.Integer(required=True)
    previous_edition = fields.Integer(required=True, allow_none=True)
    rule = fields.List(fields.String(), required=True, metadata={"description": "how rings are computed"})
    entries = fields.List(fields.Nested(RadarEntrySchema), required=True)
    left = fields.List(
        fields.Nested(LeftEntrySchema),
        required=True,
        metadata={"description": "entries of the previous edition that this one no longer holds"},
    )


class MovesSchema(Schema):
    class Meta:
        ordered = True

    locals().update({kind: fields.List(fields.String(), required=True) for kind in MOVES})


class EditionSummarySchema(Schema):
    class Meta:
        ordered = True

    edition = fields.Integer(required=True)
    published_at = fields.String(required=True, metadata={"format": "date-time"})
    catalog_version = fields.Integer(required=True)
    technologies = fields.Integer(required=True)
    moved = fields.Nested(MovesSchema, required=True, metadata={"description": "slugs by move"})
    left = fields.List(fields.String(), required=True)
    url = fields.String(required=True, metadata={"format": "uri"})


class EditionListSchema(Schema):
    editions = fields.List(
        fields.Nested(EditionSummarySchema), required=True, metadata={"description": "newest first"}
    )


# --- vocabulary -------------------------------------------------------------------------------


class PriorityScaleSchema(Schema):
    axes = fields.List(fields.String(), required=True)
    minimum = fields.Integer(required=True)
    maximum = fields.Integer(required=True)
    default = fields.Integer(required=True)


class SlotSchema(Schema):
    slot = fields.String(required=True)
    label = fields.String(required=True)
    in_stacks = fields.Boolean(required=True, metadata={"description": "false for catalog-only slots"})


class VocabularySchema(Schema):
    """What clients need to build their own constraints form."""

    class Meta:
        ordered = True

    catalog_version = fields.Integer(required=True)
    required = fields.List(fields.String(), required=True)
    choices = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "single-choice fields and their values"},
    )
    multiple_choices = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "list fields and their allowed items"},
    )
    technology_lists = fields.List(
        fields.String(), required=True, metadata={"description": "list fields that take technology slugs"}
    )
    technologies = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the listed technology slugs (any status but archived)"},
    )
    max_technologies = fields.Integer(required=True)
    defaults = fields.Dict(required=True)
    priorities = fields.Nested(PriorityScaleSchema, required=True)
    slots = fields.List(fields.Nested(SlotSchema), required=True)
