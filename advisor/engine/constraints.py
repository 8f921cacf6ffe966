"""Validating and normalising constraints (the contract's constraints JSON) with marshmallow."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from advisor.engine import vocabulary as v

# Always used whole (`FullMatch`, `fullmatch`): with `match`, "$" also accepts a trailing newline.
# The anchors stay for the OpenAPI document, whose patterns are ECMAScript's.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_SLUG_LIST = 30
# Error answers stay small whatever was sent: a few item errors per list, the start of a bad value,
# about 3 KB of messages in all (a 250 KB body of bad items once gave an 11 MB answer).
MAX_ITEM_ERRORS = 5
SHOWN_CHARACTERS = 40
MAX_ERROR_CHARACTERS = 3000

DEFAULTS = {
    "features": [],
    "data_model": "relational",
    "scale": "small",
    "workload": "mixed",
    "team_experience": "intermediate",
    "familiar_with": [],
    "deployment": "containers",
    "must_use": [],
    "avoid": [],
}


class ConstraintError(ValueError):
    """Constraints that are invalid or that no stack can satisfy; `errors` maps field to messages and
    `suggestions` holds whole corrected constraints that do have a stack (a clash's way out)."""

    def __init__(self, errors: Mapping[str, list[str]], suggestions: list[dict] | None = None):
        super().__init__("; ".join(f"{k}: {', '.join(m)}" for k, m in errors.items()))
        self.errors = dict(errors)
        self.suggestions = list(suggestions or [])


class StrictInteger(fields.Integer):
    """An integer that refuses booleans and floats (JSON `true` and `4.5` are not priorities)."""

    def _validated(self, value: Any):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._validated(value)


def shown(value: Any) -> str:
    """The start of a value, for quoting in a message (a structure is summed up, never printed whole)."""
    text = value if isinstance(value, str) else reprlib.repr(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


class FullMatch(validate.Validator):
    """Like `validate.Regexp`, over the whole value."""

    def __init__(self, regex: re.Pattern[str], error: str) -> None:
        self.regex, self.error = regex, error

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self.error or "Not valid.")
        return value


class OneOf(validate.OneOf):
    """`validate.OneOf` quoting only the start of a bad value."""

    def _format_error(self, value: Any) -> str:
        return super()._format_error(shown(value))


class BoundedList(fields.List):
    """A list whose length is checked before its items, whose item errors are capped, and which
    names the allowed values once for all its items (not once per bad item)."""

    def __init__(
        self, inner: fields.Field, *, max_length: int, too_long: str, allowed: tuple[str, ...] = (), **kwargs
    ):
        super().__init__(inner, **kwargs)
        self.max_length, self.too_long, self.allowed = max_length, too_long, allowed

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (list, tuple)) and len(value) > self.max_length:
            raise ValidationError(self.too_long)
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as err:
            if not isinstance(err.messages, dict):
                raise
            lines = [
                f"item {index + 1}: {message}"
                for index, messages in sorted(err.messages.items())
                for message in messages
            ]
            kept = lines[:MAX_ITEM_ERRORS]
            if len(lines) > len(kept):
                kept.append(f"… and {len(lines) - len(kept)} more.")
            if self.allowed:
                kept.append("Allowed: " + ", ".join(self.allowed) + ".")
            raise ValidationError(kept) from None


def _choice(choices: tuple[str, ...], **kwargs) -> fields.String:
    error = "'{input}' is not one of: " + ", ".join(choices) + "."
    return fields.String(validate=OneOf(choices, error=error), **kwargs)


def _slug_list() -> fields.List:
    slug = fields.String(validate=FullMatch(SLUG_RE, error="Not a technology slug."))
    return BoundedList(
        slug, load_default=list, max_length=MAX_SLUG_LIST, too_long=f"At most {MAX_SLUG_LIST} technologies."
    )


class PrioritiesSchema(Schema):
    """Priority axes, each 0 (don't care) to 5."""

    class Meta:
        unknown = RAISE

    locals().update(
        {axis: StrictInteger(load_default=0, validate=validate.Range(0, 5)) for axis in v.PRIORITY_AXES}
    )


class ConstraintsSchema(Schema):
    """The constraints JSON; slugs are checked against the catalog given to the constructor."""

    class Meta:
        unknown = RAISE

    project_kind = _choice(v.PROJECT_KINDS, required=True)
    features = BoundedList(
        fields.String(validate=OneOf(v.FEATURES, error="'{input}' is not a feature.")),
        load_default=list,
        max_length=len(v.FEATURES) * 2,
        too_long=f"At most {len(v.FEATURES) * 2} features.",
        allowed=v.FEATURES,
    )
    data_model = _choice(v.DATA_MODELS, load_default=DEFAULTS["data_model"])
    scale = _choice(v.SCALES, load_default=DEFAULTS["scale"])
    workload = _choice(v.WORKLOADS, load_default=DEFAULTS["workload"])
    team_experience = _choice(v.TEAM_EXPERIENCE, load_default=DEFAULTS["team_experience"])
    familiar_with = _slug_list()
    priorities = fields.Nested(PrioritiesSchema, load_default=lambda: PrioritiesSchema().load({}))
    deployment = _choice(v.DEPLOYMENTS, load_default=DEFAULTS["deployment"])
    must_use = _slug_list()
    avoid = _slug_list()

    def __init__(self, known_slugs: frozenset[str] | set[str] = frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.known_slugs = known_slugs

    @validates_schema
    def _slugs_exist(self, data: dict, **kwargs) -> None:
        errors: dict[str, list[str]] = {}
        for key in v.TECHNOLOGY_LISTS:
            unknown = sorted({s for s in data.get(key, []) if s not in self.known_slugs})
            if unknown:
                errors[key] = [f"Unknown technology: {s}." for s in unknown]
        both = sorted(set(data.get("must_use", [])) & set(data.get("avoid", [])))
        if both:
            errors.setdefault("must_use", []).append("Both required and avoided: " + ", ".join(both) + ".")
        if errors:
            raise ValidationError(errors)


def validate_constraints(raw: Any, known_slugs: set[str] | frozenset[str]) -> dict:
    """Validate raw constraints; return them normalised (defaults filled, lists sorted, deduplicated)."""
    if not isinstance(raw, Mapping):
        raise ConstraintError({"_schema": ["Constraints must be a JSON object."]})
    try:
        data = ConstraintsSchema(known_slugs=known_slugs).load(raw)
    except ValidationError as err:
        raise ConstraintError(_flatten(err.normalized_messages())) from None
    feature_order = {f: i for i, f in enumerate(v.FEATURES)}
    data["features"] = sorted(set(data["features"]), key=feature_order.__getitem__)
    for key in v.TECHNOLOGY_LISTS:
        data[key] = sorted(set(data[key]))
    data["priorities"] = {axis: data["priorities"][axis] for axis in v.PRIORITY_AXES}
    return {key: data[key] for key in v.CONSTRAINT_KEYS}


def _flatten(messages: Mapping) -> dict[str, list[str]]:
    """Turn marshmallow's nested messages into {"field": ["message", ...]}, naming sub-fields, fields
    in name order, in about MAX_ERROR_CHARACTERS of JSON at most (the rest is counted under
    "_schema"). Values quoted in messages are already cut short (`shown`)."""
    out: dict[str, list[str]] = {}
    budget, left_out = MAX_ERROR_CHARACTERS, 0
    for key, value in sorted(messages.items(), key=lambda item: str(item[0])):
        name = shown(key)
        for line in _lines(value):
            cost = len(line) + 4 + (0 if name in out else len(name) + 6)  # with JSON's quotes and commas
            if cost > budget:
                left_out += 1
                continue
            out.setdefault(name, []).append(line)
            budget -= cost
    if left_out:
        out.setdefault("_schema", []).append(f"… and {left_out} more problems.")
    return out


def _lines(value: Any, prefix: str = ""):
    if isinstance(value, Mapping):
        for key, sub in value.items():
            label = f"item {key + 1}: " if isinstance(key, int) else f"{shown(key)}: "
            yield from _lines(sub, prefix + label)
    elif isinstance(value, list):
        for item in value:
            yield from _lines(item, prefix)
    else:
        yield prefix + str(value)
