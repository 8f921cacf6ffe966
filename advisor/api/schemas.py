"""marshmallow schemas for every body the JSON API takes or gives; the OpenAPI document is built from them.

The request body is the engine's own `ConstraintsSchema`, so the API and the engine can never
disagree about what valid constraints are.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from advisor.engine.constraints import ConstraintsSchema
from advisor.engine.maintenance import STALE_AFTER_MONTHS
from advisor.engine.vocabulary import CAPABILITIES, LISTED_STATUSES, QUADRANTS, RINGS, SLOTS, STATUSES
from advisor.radar.rings import MOVES
from advisor.radar.service import MAX_EDITION

MAX_QUERY_LENGTH = 100
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"

__all__ = ["ConstraintsSchema", "EditionListSchema", "ErrorSchema", "RadarQuerySchema", "RadarSchema",
           "ResultSchema", "TechnologyQuerySchema", "TechnologySchema", "TechnologySummarySchema",
           "VocabularySchema"]


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


# --- catalog ----------------------------------------------------------------------------------

class TechnologyQuerySchema(Schema):
    """Filters of the technology list; unknown query parameters are ignored."""

    class Meta:
        unknown = EXCLUDE

    slot = fields.String(validate=validate.OneOf(SLOTS, error="'{input}' is not a known slot."),
                         metadata={"description": "only technologies that can fill this slot"})
    q = fields.String(validate=[validate.Length(max=MAX_QUERY_LENGTH), validate.Regexp(
        NO_CONTROL_CHARACTERS, error="Control characters are not allowed.")],
                      metadata={"description": "words that must each appear in the slug, name, "
                                               "aliases or summary"})
    status = fields.String(validate=validate.OneOf(
        LISTED_STATUSES, error="'{input}' is not a listed status."),
        metadata={"description": "only technologies with this status"})
    capability = fields.String(validate=validate.OneOf(
        CAPABILITIES, error="'{input}' is not a known capability."),
        metadata={"description": "only technologies with this capability"})


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
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "active; maintenance (fixes only); deprecated (a successor exists); "
                       "end_of_life (no support); archived (hidden from new results)"})
    successor = fields.String(required=True, allow_none=True,
                              metadata={"description": "slug of the technology that replaces it"})
    status_note = fields.String(required=True, allow_none=True,
                                metadata={"description": "the curators' dated note on its status"})
    latest_version = fields.String(required=True, allow_none=True,
                                   metadata={"description": "the newest release on PyPI"})
    last_release = fields.String(required=True, allow_none=True, metadata={
        "description": "the month of that release, YYYY-MM", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})
    popularity_rank = fields.Integer(required=True, allow_none=True, metadata={
        "minimum": 1, "description": "its rank among the most downloaded PyPI packages"})
    stale = fields.Boolean(required=True, metadata={
        "description": f"no release for {STALE_AFTER_MONTHS} months or more (as of today)"})
    ring = fields.String(required=True, allow_none=True, validate=validate.OneOf(RINGS), metadata={
        "description": "the radar ring the curators set; null: the radar computes it from the facts"})
    radar = fields.Nested(PlacementSchema, required=True, metadata={
        "description": "where the live radar places it today (a published edition may differ)"})
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

    edition = fields.Integer(validate=validate.Range(1, MAX_EDITION, error=(
        "An edition is a whole number from {min} to {max}.")), metadata={
        "description": "a published edition (default: the latest, or the live radar before the first)"})


class RadarEntrySchema(Schema):
    class Meta:
        ordered = True

    slug = fields.String(required=True)
    name = fields.String(required=True)
    quadrant = fields.String(required=True, validate=validate.OneOf(QUADRANTS))
    ring = fields.String(required=True, validate=validate.OneOf(RINGS))
    moved = fields.String(required=True, allow_none=True, validate=validate.OneOf(MOVES), metadata={
        "description": "in: new since the previous edition; up: toward adopt; down: toward hold; "
                       "null: not moved (and always null in the first edition and the live radar)"})
    previous_ring = fields.String(required=True, allow_none=True, validate=validate.OneOf(RINGS),
                                  metadata={"description": "its ring in the previous edition"})
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

    edition = fields.Integer(required=True, allow_none=True, metadata={
        "description": "the edition's number; null: the live radar, computed now, before any edition"})
    published_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    catalog_version = fields.Integer(required=True)
    previous_edition = fields.Integer(required=True, allow_none=True)
    rule = fields.List(fields.String(), required=True, metadata={"description": "how rings are computed"})
    entries = fields.List(fields.Nested(RadarEntrySchema), required=True)
    left = fields.List(fields.Nested(LeftEntrySchema), required=True, metadata={
        "description": "entries of the previous edition that this one no longer holds"})


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
    editions = fields.List(fields.Nested(EditionSummarySchema), required=True,
                           metadata={"description": "newest first"})


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
                               metadata={"description": "the listed technology slugs (any status but archived)"})
    max_technologies = fields.Integer(required=True)
    defaults = fields.Dict(required=True)
    priorities = fields.Nested(PriorityScaleSchema, required=True)
    slots = fields.List(fields.Nested(SlotSchema), required=True)
