"""JSON out through orjson: the app's JSON responses and the database's JSON columns.

A result is serialised twice when it is created (the row's JSON column, the 201 body); the standard
library's encoder made that about a tenth of a creation. Output is the same JSON, without the
standard encoder's spaces and with non-ASCII characters as UTF-8 rather than escapes.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

# Dates, dataclasses and the rest go through Flask's own `default`, exactly as before.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def dumps_text(obj: Any) -> str:
    """For SQLAlchemy's `json_serializer`."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # what orjson refuses (integers beyond 64 bits): the standard encoder
        return json.dumps(obj)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson's encoder; keys sorted as Flask sorts them."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        # `jsonify` asks for compact separators, which is what orjson writes; pretty printing (debug)
        # or a custom encoder class keeps the standard encoder.
        if kwargs.get("indent") or kwargs.get("cls") or kwargs.get("separators") not in (None, (",", ":")):
            return super().dumps(obj, **kwargs)
        option = _OPTIONS | orjson.OPT_NON_STR_KEYS
        if kwargs.get("sort_keys", self.sort_keys):
            option |= orjson.OPT_SORT_KEYS
        try:
            return orjson.dumps(obj, default=self.default, option=option).decode()
        except TypeError:  # what orjson refuses (integers beyond 64 bits): the standard encoder
            return super().dumps(obj, **kwargs)
