"""JSON out through orjson: the same JSON as Flask's standard provider, and the same fallbacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask.json.provider import DefaultJSONProvider

from advisor.core.jsonio import OrjsonProvider, dumps_text

VALUES = [
    {"b": 1, "a": [1.5, None, True, "é \u2028 <script>"], "c": {"z": 0.1, "y": -2}},
    {"when": datetime(2026, 11, 23, 12, 0, tzinfo=UTC), "big": 2**70},
    {"nested": [{"x": 1e-7}], "empty": {}},
]


def test_responses_are_the_json_flask_would_send(app):
    ours, theirs = OrjsonProvider(app), DefaultJSONProvider(app)
    for value in VALUES:
        text = ours.dumps(value)
        assert json.loads(text) == json.loads(theirs.dumps(value))
        assert list(json.loads(text)) == sorted(json.loads(text), key=str)  # keys sorted as Flask sorts


def test_app_uses_it_and_big_integers_fall_back(app):
    assert isinstance(app.json, OrjsonProvider)
    with app.app_context():
        assert json.loads(app.json.dumps({"n": 2**70})) == {"n": 2**70}


def test_column_serializer_round_trips():
    for value in ({"a": [1, 2.5, "x", None]}, {"n": 2**70}, [{"é": "ü"}]):
        assert json.loads(dumps_text(value)) == value


def test_jsonify_goes_through_orjson(app, monkeypatch):
    import orjson

    from advisor.core import jsonio

    calls = []
    real = orjson.dumps
    monkeypatch.setattr(jsonio.orjson, "dumps", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    with app.test_request_context():
        from flask import jsonify

        response = jsonify({"b": 1, "a": "é"})
    assert calls and json.loads(response.get_data(as_text=True)) == {"a": "é", "b": 1}
