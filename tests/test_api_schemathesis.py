"""schemathesis against the app's own OpenAPI document: no 5xx, responses conform to the schema.

Each operation is fuzzed with schema-valid (positive) and schema-invalid (negative) data, a bounded
number of examples each (SCHEMATHESIS_EXAMPLES, default 25). The operations are driven through
`APIOperation.as_strategy()` rather than `schema.parametrize()`, whose lazy fixture loader does not
work with pytest 9 yet.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               positive_data_acceptance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
# Valid-looking constraints that no stack can satisfy (must_use: [flask, django-orm]) are a 422 by the
# contract; JSON Schema cannot express catalog clashes, so 422 counts as an accepted answer here.
CONFIG = schemathesis.Config.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]}},
})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, positive_data_acceptance,
          negative_data_rejection]
OPERATIONS = [
    ("POST", "/recommendations"),
    ("GET", "/recommendations/{result_id}"),
    ("GET", "/technologies"),
    ("GET", "/technologies/{slug}"),
    ("GET", "/vocabulary"),
]
# Operations without parameters or a body have no invalid input to generate.
NO_INPUT = {("GET", "/vocabulary")}


def _load(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


def test_every_documented_operation_is_fuzzed(app):
    """Every operation but the document itself (which schemathesis leaves out) is in OPERATIONS."""
    documented = {(op.ok().method.upper(), op.ok().path) for op in _load(app).get_all_operations()}
    assert documented == set(OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda v: str(v))
def test_api_conforms_to_its_openapi(app, method, path, mode):
    if mode is GenerationMode.NEGATIVE and (method, path) in NO_INPUT:
        pytest.skip("no parameters or body to make invalid")
    operation = _load(app).find_operation_by_path(method, path)
    assert operation is not None

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()
