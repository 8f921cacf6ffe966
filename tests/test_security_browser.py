"""A real Chromium on every kind of page, with the CSP on: zero policy violations, htmx still working."""

from __future__ import annotations

import pytest

from advisor.results.service import create_result
from tests.app_helpers import screenshot

pytestmark = pytest.mark.browser

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording CSP violations from both the DOM event and the console."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.add_init_script(WATCH_CSP)
    page.console_errors = console
    return page


def _violations(page) -> list[str]:
    events = page.evaluate("window.__csp || []")
    console = [m for m in page.console_errors if "Content Security Policy" in m or "Refused to" in m]
    return events + console


def _visit(page, url: str) -> None:
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status < 500, (url, response and response.status)


def test_pages_render_without_csp_violations(app, live_server, watched):
    paths = ["/", "/catalog/", "/catalog/fastapi", "/api/v1/docs", "/no/such/page"]
    if "results.show" in app.view_functions:
        with app.app_context():
            paths.append(f"/r/{create_result({'project_kind': 'rest_api'}).id}")
    if "admin.login" in app.view_functions:
        paths.append("/admin/login")
    if "wizard.step" in app.view_functions:
        paths.append("/wizard/kind")
    for path in paths:
        _visit(watched, live_server.url + path)
        assert _violations(watched) == [], path
        assert watched.evaluate("typeof window.htmx") == "object", path
        assert watched.evaluate("htmx.config.allowEval") is False, path
    screenshot(watched, "security-csp-last-page")


def test_htmx_wizard_step_works_under_the_csp(app, live_server, watched):
    if "wizard.step" not in app.view_functions:
        pytest.skip("the wizard is not in this build yet")
    _visit(watched, f"{live_server.url}/wizard/kind")
    watched.locator("input[name=project_kind]").first.check()
    watched.get_by_role("button", name="Next").click()
    watched.wait_for_url("**/wizard/features")
    watched.wait_for_load_state("networkidle")
    assert _violations(watched) == []
    screenshot(watched, "security-csp-wizard-step-2")
