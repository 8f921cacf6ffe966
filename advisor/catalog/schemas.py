"""The seed/export YAML format, validated with marshmallow (one mapping per technology)."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from advisor.engine.constraints import SLUG_RE, FullMatch, OneOf
from advisor.engine.maintenance import MONTH_RE
from advisor.engine.vocabulary import CAPABILITIES, RATING_AXES, RINGS, RULE_KINDS, SLOTS, STATUSES

URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
TEXT_LINE = fields.String(validate=validate.Length(min=1, max=500))

ENTRY_KEYS = (
    "slug",
    "name",
    "aliases",
    "summary",
    "description",
    "homepage",
    "package",
    "version",
    "status",
    "successor",
    "status_note",
    "latest_version",
    "last_release",
    "popularity_rank",
    "ring",
    "slots",
    "ratings",
    "capabilities",
    "pros",
    "cons",
    "best_for",
    "when_to_use",
    "when_to_avoid",
    "rules",
)
# The maintenance facts: what the registry and the curators say of a project's health.
MAINTENANCE_KEYS = ("status", "successor", "status_note", "latest_version", "last_release", "popularity_rank")
SLUG_ERROR = "Slugs are lowercase letters, digits and dashes, starting with a letter or digit."
MONTH_ERROR = "A month is written YYYY-MM, e.g. 2026-10."


class StrictInteger(fields.Integer):
    """A real integer (YAML `true` or `4.5` is an error, not a rating or a rank)."""

    def _validated(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


def _one_of(choices, what: str):
    return OneOf(choices, error=f"'{{input}}' is not a known {what}.")


class RatingsSchema(Schema):
    class Meta:
        unknown = RAISE

    locals().update(
        {
            axis: StrictInteger(required=True, validate=validate.Range(1, 5, error="Ratings go from 1 to 5."))
            for axis in RATING_AXES
        }
    )


class RuleSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=_one_of(RULE_KINDS, "rule kind"))
    targets = fields.List(
        fields.String(validate=FullMatch(SLUG_RE, error="Not a slug.")),
        required=True,
        validate=validate.Length(min=1, max=50),
    )
    slot = fields.String(load_default=None, allow_none=True, validate=_one_of(SLOTS, "slot"))
    when_in = fields.String(load_default=None, allow_none=True, validate=_one_of(SLOTS, "slot"))
    strength = StrictInteger(load_default=2, validate=validate.Range(1, 3, error="Strength is 1 to 3."))
    reason = fields.String(load_default="", validate=validate.Length(max=500))


def _lines():
    return fields.List(TEXT_LINE, load_default=list, validate=validate.Length(max=30))


class TechnologySchema(Schema):
    """One catalog entry. Unknown keys are errors, so that typos never vanish silently."""

    class Meta:
        unknown = RAISE
        ordered = True

    slug = fields.String(required=True, validate=FullMatch(SLUG_RE, error=SLUG_ERROR))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    aliases = fields.List(fields.String(validate=validate.Length(min=1, max=120)), load_default=list)
    summary = fields.String(load_default="", validate=validate.Length(max=280))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    homepage = fields.String(
        load_default=None,
        allow_none=True,
        validate=FullMatch(URL_RE, error="Homepages must be http(s) URLs."),
    )
    package = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    version = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    status = fields.String(load_default="active", validate=_one_of(STATUSES, "status"))
    successor = fields.String(
        load_default=None, allow_none=True, validate=FullMatch(SLUG_RE, error=SLUG_ERROR)
    )
    status_note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    latest_version = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=64)
    )
    last_release = fields.String(load_default=None, allow_none=True)
    popularity_rank = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, error="A popularity rank is 1 or more."),
    )
    # The curators' radar ring; null (the default) lets the radar compute it from the facts above.
    ring = fields.String(load_default=None, allow_none=True, validate=_one_of(RINGS, "radar ring"))
    slots = fields.List(
        fields.String(validate=_one_of(SLOTS, "slot")),
        required=True,
        validate=validate.Length(min=1, error="Every technology fills a slot."),
    )
    ratings = fields.Nested(RatingsSchema, required=True)
    capabilities = fields.List(fields.String(validate=_one_of(CAPABILITIES, "capability")), load_default=list)
    pros = _lines()
    cons = _lines()
    best_for = _lines()
    when_to_use = _lines()
    when_to_avoid = _lines()
    rules = fields.List(fields.Nested(RuleSchema), load_default=list)

    @validates("slots")
    def _distinct_slots(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("A slot is listed twice.")

    @validates("last_release")
    def _month(self, value, **kwargs):
        # fullmatch: a pattern anchored only at the start would let "2026-10x" through.
        if value is not None and not MONTH_RE.fullmatch(value):
            raise ValidationError(MONTH_ERROR)

    @validates_schema
    def _not_its_own_successor(self, data, **kwargs):
        if data.get("successor") is not None and data.get("successor") == data.get("slug"):
            raise ValidationError("A technology cannot be its own successor.", "successor")

    @validates_schema
    def _no_self_conflict(self, data, **kwargs):
        for rule in data.get("rules", []):
            if rule["kind"] == "conflicts" and data.get("slug") in rule["targets"]:
                raise ValidationError("A technology cannot conflict with itself.", "rules")


def canonical(entry: dict) -> dict:
    """An entry with every key, in the export order, lists deduplicated where order does not matter."""
    out = {key: entry.get(key) for key in ENTRY_KEYS}
    out["capabilities"] = sorted(set(out["capabilities"] or []))
    out["ratings"] = {axis: entry["ratings"][axis] for axis in RATING_AXES}
    out["rules"] = [
        {
            "kind": r["kind"],
            "targets": sorted(set(r["targets"])),
            "slot": r.get("slot"),
            "when_in": r.get("when_in"),
            "strength": r.get("strength", 2),
            "reason": r.get("reason", ""),
        }
        for r in entry.get("rules") or []
    ]
    return out
