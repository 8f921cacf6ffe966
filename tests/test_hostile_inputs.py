"""Hostile input against every endpoint: each row has its expected status, and nothing is ever a 5xx.

Not JSON, wrong types, huge lists, deep nesting, a 2 MB body, unicode (RTL marks, NUL, lone
surrogates, invalid UTF-8), SQL and script fragments. The wizard's form posts get Hypothesis too.
"""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine.vocabulary import CONSTRAINT_KEYS
from advisor.extensions import db
from advisor.results.models import SavedResult
from tests.api_helpers import API

SQL = "rest_api'; DROP TABLE saved_result; --"
SQL_SLUG = "flask' OR '1'='1"
SCRIPT = "<script>alert(1)</script>"
RTL = "rest\u202eipa_"
TWO_MB = b"{" + b" " * (2 * 1024 * 1024) + b"}"
MULTIPART = (
    b'--b0undary\r\nContent-Disposition: form-data; name="f"; filename="a.json"\r\n'
    b"Content-Type: application/json\r\n\r\n" + TWO_MB + b"\r\n--b0undary--\r\n"
)
REC = f"{API}/recommendations"


def _nested(depth: int) -> str:
    return '{"project_kind": ' + "[" * depth + "]" * depth + "}"


def _json(value) -> dict:
    return {"data": json.dumps(value), "content_type": "application/json"}


def _raw(data, content_type: str = "application/json") -> dict:
    return {"data": data, "content_type": content_type}


# (id, method, url, request kwargs, expected status)
API_CASES = [
    # not JSON, or not sent as JSON
    ("plain text", "post", REC, _raw("rest_api", "text/plain"), 415),
    ("form encoded", "post", REC, _raw("project_kind=rest_api", "application/x-www-form-urlencoded"), 415),
    ("multipart", "post", REC, {"data": {"project_kind": "rest_api"}}, 415),
    ("xml", "post", REC, _raw("<project_kind>rest_api</project_kind>", "application/xml"), 415),
    ("not json", "post", REC, _raw("rest_api"), 400),
    ("truncated json", "post", REC, _raw('{"project_kind": "rest_api"'), 400),
    ("empty body", "post", REC, _raw(""), 400),
    ("json with bom", "post", REC, _raw(b'\xef\xbb\xbf{"project_kind": "rest_api"}'), 201),
    ("invalid utf-8", "post", REC, _raw(b'{"project_kind": "\xff\xfe"}'), 400),
    ("NaN", "post", REC, _raw('{"project_kind": "rest_api", "priorities": {"typing": NaN}}'), 400),
    ("Infinity", "post", REC, _raw('{"project_kind": "rest_api", "priorities": {"typing": -Infinity}}'), 400),
    ("5000-digit number", "post", REC, _raw('{"project_kind": ' + "9" * 5000 + "}"), 400),
    # valid JSON, wrong types
    ("null", "post", REC, _json(None), 422),
    ("a list", "post", REC, _json(["rest_api"]), 422),
    ("a string", "post", REC, _json("rest_api"), 422),
    ("a number", "post", REC, _json(42), 422),
    ("kind is a number", "post", REC, _json({"project_kind": 1}), 422),
    ("kind is null", "post", REC, _json({"project_kind": None}), 422),
    ("kind is a list", "post", REC, _json({"project_kind": ["rest_api"]}), 422),
    ("kind is an object", "post", REC, _json({"project_kind": {"$ne": ""}}), 422),
    ("features is a string", "post", REC, _json({"project_kind": "rest_api", "features": "caching"}), 422),
    ("features hold objects", "post", REC, _json({"project_kind": "rest_api", "features": [{}]}), 422),
    ("priorities is a list", "post", REC, _json({"project_kind": "rest_api", "priorities": [5]}), 422),
    (
        "priority as a string",
        "post",
        REC,
        _json({"project_kind": "rest_api", "priorities": {"typing": "5"}}),
        422,
    ),
    (
        "priority as a float",
        "post",
        REC,
        _json({"project_kind": "rest_api", "priorities": {"typing": 4.5}}),
        422,
    ),
    (
        "priority as a bool",
        "post",
        REC,
        _json({"project_kind": "rest_api", "priorities": {"typing": True}}),
        422,
    ),
    (
        "huge priority",
        "post",
        REC,
        _json({"project_kind": "rest_api", "priorities": {"typing": 10**300}}),
        422,
    ),
    (
        "negative priority",
        "post",
        REC,
        _json({"project_kind": "rest_api", "priorities": {"typing": -1}}),
        422,
    ),
    (
        "1e309 priority",
        "post",
        REC,
        _raw('{"project_kind": "rest_api", "priorities": {"typing": 1e309}}'),
        422,
    ),
    ("unknown key", "post", REC, _json({"project_kind": "rest_api", "__proto__": {"admin": True}}), 422),
    ("empty key", "post", REC, _json({"project_kind": "rest_api", "": 1}), 422),
    ("huge key", "post", REC, _json({"project_kind": "rest_api", "k" * 100_000: 1}), 422),
    ("duplicate keys", "post", REC, _raw('{"project_kind": "rest_api", "project_kind": "nope"}'), 422),
    # huge lists and deep nesting
    (
        "huge feature list",
        "post",
        REC,
        _json({"project_kind": "rest_api", "features": ["caching"] * 20_000}),
        422,
    ),
    ("huge slug list", "post", REC, _json({"project_kind": "rest_api", "must_use": ["flask"] * 20_000}), 422),
    (
        "huge list of numbers",
        "post",
        REC,
        _json({"project_kind": "rest_api", "avoid": list(range(30_000))}),
        422,
    ),
    ("nested 50 deep", "post", REC, _raw(_nested(50)), 422),
    ("nested 100000 deep", "post", REC, _raw(_nested(100_000)), 400),
    ("nested objects", "post", REC, _raw('{"priorities": ' + '{"a": ' * 5000 + "1" + "}" * 5001), 400),
    ("2 MB body", "post", REC, _raw(TWO_MB), 413),
    (
        "2 MB form",
        "post",
        REC,
        _raw(b"a=" + b"x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded"),
        415,
    ),
    # unicode
    ("RTL override", "post", REC, _json({"project_kind": RTL}), 422),
    ("NUL in kind", "post", REC, _json({"project_kind": "rest_api\u0000"}), 422),
    ("NUL in slug", "post", REC, _json({"project_kind": "rest_api", "must_use": ["fla\u0000sk"]}), 422),
    ("lone surrogate", "post", REC, _raw('{"project_kind": "\\ud800"}'), 422),
    ("emoji and RTL slug", "post", REC, _json({"project_kind": "rest_api", "avoid": ["🐍\u200f"]}), 422),
    ("fullwidth letters", "post", REC, _json({"project_kind": "ｒｅｓｔ_ａｐｉ"}), 422),
    # SQL and script fragments
    ("SQL in kind", "post", REC, _json({"project_kind": SQL}), 422),
    ("SQL in slug", "post", REC, _json({"project_kind": "rest_api", "must_use": [SQL_SLUG]}), 422),
    ("script in kind", "post", REC, _json({"project_kind": SCRIPT}), 422),
    ("script in feature", "post", REC, _json({"project_kind": "rest_api", "features": [SCRIPT]}), 422),
    ("htmx attribute", "post", REC, _json({"project_kind": "rest_api", "avoid": ['x" hx-get="/admin']}), 422),
    # the other API endpoints
    ("id with SQL", "get", f"{REC}/' OR '1'='1", {}, 404),
    ("id with script", "get", f"{REC}/%3Cscript%3E", {}, 404),
    ("id with NUL", "get", f"{REC}/abc%00def", {}, 400),
    ("id with RTL", "get", f"{REC}/abc%E2%80%AEdef", {}, 404),
    ("very long id", "get", f"{REC}/{'a' * 5000}", {}, 404),
    ("slug with SQL", "get", f"{API}/technologies/flask' OR '1'='1", {}, 404),
    ("slug with NUL", "get", f"{API}/technologies/fla%00sk", {}, 400),
    ("slug with script", "get", f"{API}/technologies/%3Cscript%3E", {}, 404),
    ("slot filter with SQL", "get", f"{API}/technologies?slot=' OR 1=1 --", {}, 422),
    ("slot filter with NUL", "get", f"{API}/technologies?slot=orm%00", {}, 400),
    ("text filter with SQL", "get", f"{API}/technologies?q=' OR 1=1 --", {}, 200),
    ("text filter with script", "get", f"{API}/technologies?q=%3Cscript%3E", {}, 200),
    ("text filter with NUL", "get", f"{API}/technologies?q=%00", {}, 400),
    ("text filter with RTL", "get", f"{API}/technologies?q=%E2%80%AEksalf", {}, 200),
    ("text filter with control character", "get", f"{API}/technologies?q=a%07b", {}, 422),
    ("text filter too long", "get", f"{API}/technologies?q={'x' * 5000}", {}, 422),
    ("repeated filters", "get", f"{API}/technologies?slot=orm&slot=cache&slot[]=x", {}, 200),
    ("vocabulary with junk", "get", f"{API}/vocabulary?{'a=1&' * 500}", {}, 200),
    ("openapi with junk", "get", f"{API}/openapi.json?x=%3C%22", {}, 200),
    ("NUL in an unknown parameter", "get", f"{API}/openapi.json?x=%00", {}, 400),
    ("body on a GET", "get", f"{API}/technologies", _raw(TWO_MB), 200),
]

PAGE_CASES = [
    ("landing with junk query", "get", "/?q=%3Cscript%3E&x=%E2%80%AE", {}, 200),
    ("catalog slug with SQL", "get", "/catalog/flask' OR '1'='1", {}, 404),
    ("catalog slug with NUL", "get", "/catalog/fla%00sk", {}, 400),
    ("catalog slug with RTL", "get", "/catalog/%E2%80%AEksalf", {}, 404),
    ("catalog slug very long", "get", f"/catalog/{'a' * 5000}", {}, 404),
    ("result id with SQL", "get", "/r/' OR '1'='1", {}, 404),
    ("result id with script", "get", "/r/%3Cscript%3E", {}, 404),
    ("result id with NUL", "get", "/r/abc%00", {}, 400),
    ("NUL in a query", "get", "/catalog/?q=a%00b", {}, 400),
    ("NUL in a form field", "post", "/wizard/kind", {"data": {"project_kind": "rest_api\u0000"}}, 400),
    ("NUL in a form key", "post", "/admin/login", {"data": {"em\u0000ail": "x"}}, 400),
    ("traversal", "get", "/static/../../etc/passwd", {}, 404),
    ("encoded traversal", "get", "/static/%2e%2e/%2e%2e/etc/passwd", {}, 404),
    ("post to the landing page", "post", "/", _raw(TWO_MB, "application/x-www-form-urlencoded"), 405),
    ("wizard step with SQL", "get", "/wizard/' OR '1'='1", {}, 404),
    ("wizard step with script", "get", "/wizard/%3Cscript%3E", {}, 404),
    (
        "wizard 2 MB form",
        "post",
        "/wizard/kind",
        _raw(b"project_kind=" + b"x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded"),
        413,
    ),
    (
        "wizard 2 MB upload",
        "post",
        "/wizard/kind",
        _raw(MULTIPART, "multipart/form-data; boundary=b0undary"),
        413,
    ),
    (
        "admin login with SQL",
        "post",
        "/admin/login",
        {"data": {"email": "' OR 1=1 --", "password": SQL}},
        400,
    ),
    (
        "admin 2 MB form",
        "post",
        "/admin/login",
        _raw(b"email=" + b"x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded"),
        413,
    ),
]


def _needs(app, url: str) -> str | None:
    for prefix, endpoint in (("/wizard", "wizard.step"), ("/admin", "admin.login"), ("/r/", "results.show")):
        if url.startswith(prefix) and endpoint not in app.view_functions:
            return f"{endpoint} is not in this build yet"
    return None


def _check(app, client, method, url, kwargs, expected):
    reason = _needs(app, url)
    if reason:
        pytest.skip(reason)
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == expected, (response.status_code, response.data[:300])
    if url.startswith("/api/") and response.status_code >= 400:
        body = response.get_json()
        assert response.mimetype == "application/json" and set(body) == {"errors"}
    if response.mimetype == "text/html":
        assert SCRIPT.encode() not in response.data  # echoed input is escaped, never markup
    return response


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "expected"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES]
)
def test_hostile_api_input(app, client, method, url, kwargs, expected):
    _check(app, client, method, url, kwargs, expected)


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "expected"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES]
)
def test_hostile_page_input(app, client, method, url, kwargs, expected):
    _check(app, client, method, url, kwargs, expected)


@pytest.mark.parametrize("value", [SQL, SCRIPT, RTL, "a\u0000b", "x" * 100_000])
def test_hostile_login_values_get_a_clean_refusal(app, value):
    if "admin.login" not in app.view_functions:
        pytest.skip("admin.login is not in this build yet")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    for form in ({"email": value, "password": value}, {"email": "curator@example.com", "password": value}):
        response = client.post("/admin/login", data=form)
        expected = (400,) if "\u0000" in value else (200, 401, 422, 429)
        assert response.status_code in expected, response.status_code
        assert SCRIPT.encode() not in response.data
    invalid_utf8 = client.post(
        "/admin/login",
        data=b"email=%ED%A0%80&password=%FF%FE",
        content_type="application/x-www-form-urlencoded",
    )
    assert invalid_utf8.status_code in (200, 400, 401, 422, 429)


def test_hostile_input_leaves_the_database_intact(app, client):
    for name, method, url, kwargs, _ in API_CASES:
        if "SQL" in name:
            getattr(client, method)(url, **kwargs)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult)) == 0
    assert client.post(REC, json={"project_kind": "rest_api"}).status_code == 201


def test_error_messages_are_clear_and_bounded(client):
    body = client.post(REC, json={"project_kind": "x" * 200_000}).get_json()
    assert body["errors"]["project_kind"]
    assert client.post(REC, data=_nested(100_000), content_type="application/json").get_json() == {
        "errors": {"_request": ["Malformed JSON: nested too deeply."]}
    }


# --- Hypothesis on the JSON API and the wizard's forms ---------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(CONSTRAINT_KEYS) | st.text(max_size=10), JSON_VALUES, max_size=8))
@pytest.mark.slow
def test_any_json_object_gives_201_or_422(client, body):
    response = client.post(REC, json=body)
    assert response.status_code in (201, 422), response.data[:300]


def _choice_value(choice):
    """WTForms choices are (value, label) tuples or, from 3.3 on, SelectChoice objects."""
    return choice[0] if isinstance(choice, (tuple, list)) else choice.value


def _wizard_fields(app) -> dict[str, list[tuple[str, list[str], bool]]]:
    """Per step: (input name, allowed values, takes several values) for every input of its form."""
    from wtforms import FormField, SelectMultipleField

    from advisor.wizard import steps

    out = {}
    with app.test_request_context():
        for step in steps.STEPS:
            form = steps.make_form(step, formdata=None, meta={"csrf": False})
            fields = []
            for field in form:
                inner = list(field) if isinstance(field, FormField) else [field]
                for sub in inner:
                    values = [str(_choice_value(c)) for c in (getattr(sub, "choices", None) or [])]
                    fields.append((sub.name, values, isinstance(sub, SelectMultipleField)))
            out[step.name] = fields
    return out


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token on the wizard page"
    return match.group(1)


def _value(values: list[str]):
    anything = st.text(max_size=40) | st.sampled_from([SQL, SCRIPT, RTL, "\u0000", "", "0" * 300])
    return st.sampled_from(values) | anything if values else anything


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_wizard_form_post_gives_a_page_with_errors_or_a_result(app, data):
    if "wizard.step" not in app.view_functions:
        pytest.skip("the wizard is not in this build yet")
    client = app.test_client()
    fields = _wizard_fields(app)
    token = _csrf_token(client.get("/wizard/kind").get_data(as_text=True))
    client.post("/wizard/kind", data={"project_kind": "rest_api", "csrf_token": token})
    step = data.draw(st.sampled_from(sorted(fields)), label="step")
    form = {}
    for name, values, multiple in fields[step]:
        if data.draw(st.booleans(), label=f"send {name}"):
            drawn = data.draw(
                st.lists(_value(values), max_size=4) if multiple else _value(values), label=name
            )
            form[name] = drawn
    form["nav"] = data.draw(st.sampled_from(["next", "back", "", SCRIPT]), label="nav")
    htmx = data.draw(st.booleans(), label="htmx")
    # htmx sends the token as a header, a plain form as a field
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    if not htmx:
        form["csrf_token"] = token
    response = client.post(f"/wizard/{step}", data=form, headers=headers)
    nul = any(
        "\u0000" in v for value in form.values() for v in (value if isinstance(value, list) else [value])
    )
    expected = (400,) if nul else (200, 303, 422)
    assert response.status_code in expected, (step, form, response.status_code)
    if response.status_code == 303:
        assert response.headers["Location"].startswith(("/wizard/", "/r/"))
    assert SCRIPT.encode() not in response.data
