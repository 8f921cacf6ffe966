"""JSON out through orjson: the app's JSON responses and the database's JSON columns.

A result is serialised twice when it is created (the row's JSON column, the 201 body); the standard
library's encoder made that about a tenth of a creation. Output is the same JSON, without the
standard encoder's spaces and with non-ASCII characters as UTF-8 rather than escapes.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

# Dates, dataclasses and the rest go through Flask's own `default`, exactly as before.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _encode(obj: Any, option: int, default: Any = None) -> bytes | None:
    """orjson's bytes for `obj`, or None for what orjson refuses (integers beyond 64 bits).

    Non-string keys (which the standard encoder turns into strings) need orjson's slower path, a
    third slower on a result; only a document that has them is encoded a second time to take it.
    The output is the same either way.
    """
    try:
        return orjson.dumps(obj, default=default, option=option)
    except TypeError:
        pass
    try:
        return orjson.dumps(obj, default=default, option=option | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return None


def dumps_text(obj: Any) -> str:
    """For SQLAlchemy's `json_serializer`."""
    data = _encode(obj, 0)
    return json.dumps(obj) if data is None else data.decode()


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson's encoder; keys sorted as Flask sorts them."""

    def _orjson(self, obj: Any, kwargs: dict) -> bytes | None:
        """orjson's bytes when the call asks for what orjson writes (compact separators), else None:
        pretty printing (debug) or a custom encoder class keeps the standard encoder."""
        if kwargs.get("indent") or kwargs.get("cls") or kwargs.get("separators") not in (None, (",", ":")):
            return None
        option = _OPTIONS | (orjson.OPT_SORT_KEYS if kwargs.get("sort_keys", self.sort_keys) else 0)
        return _encode(obj, option, self.default)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        data = self._orjson(obj, kwargs)
        return super().dumps(obj, **kwargs) if data is None else data.decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """`jsonify`: the body is orjson's bytes as they are, without the round trip through a str
        of the whole document that Flask's `response` takes (a result is about 75 kB)."""
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        data = self._orjson(self._prepare_response_obj(args, kwargs), {"separators": (",", ":")})
        if data is None:
            return super().response(*args, **kwargs)
        return self._app.response_class(data + b"\n", mimetype=self.mimetype)
