"""Hostile sizes and shapes: small errors for huge lists (no amplification), chunked bodies over the
limit, full-string pattern matches (no trailing newline slips through), duplicate wizard answers."""

from __future__ import annotations

import io
import json
import time

import pytest

from advisor.engine import vocabulary as v
from tests.api_helpers import API, assert_error_shape
from tests.wizard_helpers import ANSWERS, csrf_token, post_step

REC = f"{API}/recommendations"
SMALL = 4096  # "a few KB": every error body stays under this


def _post(client, body) -> tuple[float, object]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    started = time.perf_counter()
    response = client.post(REC, data=data, content_type="application/json")
    return time.perf_counter() - started, response


# --- error amplification -----------------------------------------------------------------------


def test_fifty_thousand_bad_features_give_a_small_fast_422(client):
    """250 KB of ["x", ...] used to give an 11 MB error in over a second: every item repeated the
    allowed values. The length is checked first, so the answer is one line."""
    body = b'{"project_kind": "rest_api", "features": [' + b", ".join([b'"x"'] * 50_000) + b"]}"
    assert len(body) < 256 * 1024
    took, response = _post(client, body)
    errors = assert_error_shape(response, 422, "features")["errors"]
    assert len(response.data) < 1024, len(response.data)
    assert errors["features"] == [f"At most {len(v.FEATURES) * 2} features."]
    assert took < 2.0, took  # generous: the machine may be busy; the size is the real check


@pytest.mark.parametrize("field", ["familiar_with", "must_use", "avoid"])
def test_huge_technology_lists_are_refused_by_length_first(client, field):
    _, response = _post(client, {"project_kind": "rest_api", field: ["x"] * 40_000})
    errors = assert_error_shape(response, 422, field)["errors"]
    assert errors[field] == ["At most 30 technologies."]
    assert len(response.data) < 1024


def test_allowed_values_are_said_once_per_field(client):
    bad = ["nope", "also-nope", "websocket", "graph_ql"]
    _, response = _post(client, {"project_kind": "rest_api", "features": ["caching", *bad]})
    messages = assert_error_shape(response, 422, "features")["errors"]["features"]
    assert response.text.count("admin_ui") == 1  # the list of allowed values, once
    for index, value in enumerate(bad, start=2):
        assert any(m.startswith(f"item {index}: ") and repr(value) in m for m in messages), messages


def test_many_bad_items_are_summed_up_after_a_few(client):
    features = [f"bad-{i}" for i in range(len(v.FEATURES) * 2)]
    _, response = _post(client, {"project_kind": "rest_api", "features": features})
    messages = assert_error_shape(response, 422, "features")["errors"]["features"]
    assert len(messages) <= 12, messages
    assert any("more" in m for m in messages), messages
    assert len(response.data) < SMALL


@pytest.mark.parametrize(
    "body",
    [
        {"project_kind": "rest_api", **{f"u{i}": 1 for i in range(15_000)}},
        {"project_kind": "rest_api", "priorities": {f"p{i}": 1 for i in range(15_000)}},
        {"project_kind": "x" * 200_000},
        {"project_kind": "rest_api", "k" * 200_000: 1},
        {"project_kind": "rest_api", "priorities": {"p" * 200_000: 1}},
    ],
    ids=[
        "15000 unknown fields",
        "15000 unknown priorities",
        "200 KB value",
        "200 KB key",
        "200 KB nested key",
    ],
)
def test_every_error_body_stays_small(client, body):
    took, response = _post(client, body)
    assert_error_shape(response, 422)
    assert len(response.data) < SMALL, len(response.data)
    assert took < 2.0, took  # generous: the machine may be busy; the size is the real check


def test_a_capped_error_still_names_the_first_problems(client):
    _, response = _post(client, {"project_kind": "rest_api", **{f"unknown_{i}": 1 for i in range(500)}})
    errors = assert_error_shape(response, 422)["errors"]
    assert errors["unknown_0"] == ["Unknown field."]
    assert any("more" in m for messages in errors.values() for m in messages), errors


# --- chunked bodies ----------------------------------------------------------------------------


def _chunked(client, body: bytes):
    return client.post(
        REC,
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )


def test_a_chunked_body_over_the_limit_is_413(client):
    response = _chunked(client, b'{"project_kind": "rest_api"}' + b" " * (320 * 1024))
    assert_error_shape(response, 413, "_request")


def test_a_chunked_body_within_the_limit_is_read_whole(client):
    response = _chunked(client, b'{"project_kind": "rest_api"}' + b" " * (200 * 1024))
    assert response.status_code == 201, response.text[:300]


# --- full matches ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["familiar_with", "must_use", "avoid"])
def test_a_slug_with_a_trailing_newline_is_not_a_slug(client, field):
    _, response = _post(client, {"project_kind": "rest_api", field: ["flask\n"]})
    messages = assert_error_shape(response, 422, field)["errors"][field]
    assert messages == ["item 1: Not a technology slug."], messages


def test_the_api_finds_no_technology_for_a_slug_with_a_newline(client):
    assert client.get(f"{API}/technologies/flask").status_code == 200
    assert client.get(f"{API}/technologies/flask%0A").status_code == 404


def test_a_query_with_a_trailing_control_character_is_refused(client):
    response = client.get(f"{API}/technologies?q=flask%0A")
    assert_error_shape(response, 422, "q")


def test_request_ids_with_a_trailing_newline_are_replaced(app):
    from advisor.core.security import REQUEST_ID_RE, request_id

    with app.test_request_context(headers={"X-Request-ID": "abc"}):
        assert request_id() == "abc"
    with app.test_request_context(environ_base={"HTTP_X_REQUEST_ID": "abc\n"}):
        assert request_id() != "abc\n" and REQUEST_ID_RE.fullmatch(request_id())


# --- wizard ------------------------------------------------------------------------------------


def _features_step(client, features: list[str]):
    token = csrf_token(client)
    assert post_step(client, "kind", ANSWERS["kind"], token).status_code == 303
    return post_step(client, "features", {"features": features}, token)


def test_the_wizard_takes_29_copies_of_one_feature_as_one(client):
    response = _features_step(client, ["caching"] * 29)
    assert response.status_code == 303
    with client.session_transaction() as session:
        assert session["wizard"]["features"] == ["caching"]


def test_the_wizard_finishes_after_duplicate_features(client):
    token = csrf_token(client)
    for name, data in ANSWERS.items():
        data = (
            {"features": ["caching"] * 29 + ["caching", "background_jobs"] * 3}
            if name == "features"
            else data
        )
        response = post_step(client, name, data, token)
        assert response.status_code == 303, (name, response.status_code)
    assert response.headers["Location"].startswith("/r/")


def test_the_wizard_refuses_a_flood_of_unknown_features_on_the_step_briefly(client):
    response = _features_step(client, [f"bad-{i}" for i in range(5000)])
    assert response.status_code == 422
    assert "bad-4999" not in response.text  # not every value echoed back
    assert len(response.data) < 60_000
