"""schemathesis against the app's own OpenAPI document: no 5xx, responses conform to the schema.

In process, each operation is fuzzed with schema-valid (positive) and schema-invalid (negative) data,
a bounded number of examples each (SCHEMATHESIS_EXAMPLES, default 25), with every built-in check.
The operations are driven through `APIOperation.as_strategy()` rather than `schema.parametrize()`,
whose lazy fixture loader does not work with pytest 9 yet. Then the schemathesis command line runs
all its phases (coverage, fuzzing, stateful) with all checks against the app over real HTTP.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
# Valid-looking constraints that no stack can satisfy (must_use: [flask, django-orm]) are a 422 by the
# contract; JSON Schema cannot express catalog clashes, so 422 counts as an accepted answer here.
ACCEPTED = ["2xx", "404", "422"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)

# Slow: fuzzes every documented operation; make check skips it.
pytestmark = pytest.mark.slow
OPERATIONS = [
    ("POST", "/recommendations"),
    ("POST", "/recommendations/preview"),
    ("GET", "/recommendations/{result_id}"),
    ("GET", "/recommendations/{result_id}/stacks/{rank}/starter"),
    ("GET", "/technologies"),
    ("GET", "/technologies/{slug}"),
    ("GET", "/vocabulary"),
    ("GET", "/radar"),
    ("GET", "/radar/editions"),
]
# Operations without parameters or a body have no invalid input to generate.
NO_INPUT = {("GET", "/vocabulary"), ("GET", "/radar/editions")}


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
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def run(case):
        case.call_and_validate()  # every built-in check: no 5xx, status, content type, schema, ...

    run()


@pytest.mark.slow
def test_schemathesis_command_line_finds_nothing(live_server, tmp_path):
    """What a user would run: `schemathesis run <url> --checks all`, every phase, over HTTP."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        f"[checks.positive_data_acceptance]\nexpected-statuses = {ACCEPTED!r}\n".replace("'", '"')
    )
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--no-color",
        "--request-timeout",
        "30",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
