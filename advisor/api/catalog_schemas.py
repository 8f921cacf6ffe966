"""marshmallow schemas of what the catalog endpoints answer: technologies, the radar and its editions,
and the vocabulary of the constraints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from advisor.engine.maintenance import STALE_AFTER_MONTHS
from advisor.engine.vocabulary import QUADRANTS, RATING_AXES, RINGS, STATUSES
from advisor.radar.rings import MOVES

# One integer field per rating axis of the vocabulary.
RatingsSchema = Schema.from_dict(
    {axis: fields.Integer(required=True) for axis in RATING_AXES}, name="RatingsSchema"
)


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


# --- radar ---------------------------------------------------------------------------------------


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
