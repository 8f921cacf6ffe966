"""The main user journey in a real Chromium: wizard, result, permalink, sharing, editing, re-run.

Screenshots of every step and of the result page land in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
import yaml

from advisor.extensions import db
from advisor.results.models import SavedResult
from advisor.results.service import create_result
from tests.app_helpers import screenshot
from tests.browser_helpers import axe_violations
from tests.wizard_helpers import CONSTRAINTS

pytestmark = pytest.mark.browser

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect

HEADINGS = {
    "kind": "What are you building?",
    "features": "Which features does it need?",
    "data": "Data, scale and workload",
    "team": "Your team",
    "priorities": "What matters most to you?",
    "deploy": "Deployment, must-use and avoid",
}


def _watch_csp(page) -> list[str]:
    """Collect Content-Security-Policy violations (the app's CSP forbids inline script and style)."""
    violations: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.on("console", lambda m: violations.append(m.text) if m.text.startswith("CSP violation") else None)
    return violations


def _on_step(page, name: str) -> None:
    expect(page).to_have_url(re.compile(rf"/wizard/{name}$"))
    expect(page.locator("h1")).to_have_text(HEADINGS[name])


def _next(page, name: str, button: str = "Next") -> None:
    page.get_by_role("button", name=button).click()
    if name:
        _on_step(page, name)


def _pick(page, field: str, slug: str, js: bool) -> None:
    """Tick a technology; with JavaScript through the picker's filter, as a person would."""
    if js:
        boxes = page.locator(f"#{field}-options-container input[name='{field}']")
        before = boxes.count()
        search = page.locator(f"#{field}-q")
        search.fill(slug)
        try:
            expect(boxes).not_to_have_count(before)  # the filtered list has been swapped in
        except AssertionError:
            # On a loaded machine the first input event can beat htmx's processing of the
            # freshly swapped step; type it again, as a person would.
            search.fill("")
            search.fill(slug)
            expect(boxes).not_to_have_count(before, timeout=10000)
        page.locator(f"#{field}-options-container input[value='{slug}']").check()
    else:
        page.check(f"input[name='{field}'][value='{slug}']")


def _answer_everything(page, base: str, js: bool = True, shots: str | None = None) -> str:
    """Walk the wizard with the shared answers; returns the result's URL."""
    page.goto(base + "/")
    page.get_by_role("link", name="Start the wizard").click()
    _on_step(page, "kind")
    if shots:
        screenshot(page, f"{shots}-1-kind")
    page.check("input[name=project_kind][value=rest_api]")
    _next(page, "features")
    page.check("input[name=features][value=background_jobs]")
    page.check("input[name=features][value=caching]")
    if shots:
        screenshot(page, f"{shots}-2-features")
    _next(page, "data")
    page.check("input[name=scale][value=medium]")
    page.check("input[name=workload][value=io_bound]")
    if shots:
        screenshot(page, f"{shots}-3-data")
    _next(page, "team")
    _pick(page, "familiar_with", "flask", js)
    if js:
        expect(page.locator("#familiar_with-selected")).to_have_text("Selected: Flask")
    if shots:
        screenshot(page, f"{shots}-4-team")
    _next(page, "priorities")
    page.check("input[name='priorities-performance'][value='4']")
    page.check("input[name='priorities-typing'][value='3']")
    if shots:
        screenshot(page, f"{shots}-5-priorities")
    _next(page, "deploy")
    _pick(page, "avoid", "django", js)
    if shots:
        screenshot(page, f"{shots}-6-deploy")
    _next(page, "", button="See recommendations")
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
    return page.url


def _stacks(page) -> list[str]:
    """Each stack's rank, parts and score as shown."""
    rows = []
    for stack in page.locator("details.stack").all():
        rank = stack.locator(".rank").inner_text()
        parts = stack.locator(".parts").text_content().strip()
        score = stack.locator(".stack-score").text_content().strip()
        rows.append(f"{rank} {parts} {score}")
    return rows


def _saved(app, constraints=CONSTRAINTS) -> str:
    with app.app_context():
        return create_result(constraints).id


def _stored(app, url: str) -> SavedResult:
    """The saved result behind a permalink."""
    with app.app_context():
        return db.session.get(SavedResult, url.rsplit("/", 1)[1])


def test_whole_wizard_to_a_result_and_the_permalink_in_a_fresh_browser(browser, live_server, page, app):
    violations = _watch_csp(page)
    url = _answer_everything(page, live_server.url, shots="wizard")
    stacks = len(_stored(app, url).payload["stacks"])
    assert stacks >= 2
    expect(page.locator("details.stack")).to_have_count(stacks)
    expect(page.locator("details.stack[open]")).to_have_count(1)
    expect(page.locator("#stack-1 .slot").first).to_be_visible()
    expect(page.locator("#stack-2 .slot").first).to_be_hidden()
    page.locator("#stack-2 > summary").click()
    expect(page.locator("#stack-2 .slot").first).to_be_visible()
    expect(page.locator(".answers")).to_contain_text("Performance 4/5, Typing 3/5")
    screenshot(page, "result")
    shown = _stacks(page)
    assert "Django" not in shown[0]  # avoided
    assert violations == []

    fresh = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(url)
        assert _stacks(other) == shown
        expect(other.locator("h1")).to_have_text(page.locator("h1").inner_text())
    finally:
        fresh.close()


def test_focus_moves_to_each_new_step(live_server, page):
    page.goto(live_server.url + "/wizard/")
    page.check("input[name=project_kind][value=web_app]")
    page.keyboard.press("Enter")  # Enter submits forward: Next comes first in the form
    _on_step(page, "features")
    expect(page.locator("h1")).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Step 2 of 6: Features"))


def test_back_and_reload_mid_wizard_land_on_the_right_step(live_server, page):
    page.goto(live_server.url + "/wizard/")
    page.check("input[name=project_kind][value=realtime]")
    _next(page, "features")
    page.check("input[name=features][value=websockets]")
    _next(page, "data")
    page.check("input[name=data_model][value=document]")
    _next(page, "team")

    page.go_back()
    _on_step(page, "data")
    expect(page.locator("input[name=data_model][value=document]")).to_be_checked()
    page.reload()
    _on_step(page, "data")
    expect(page.locator("input[name=data_model][value=document]")).to_be_checked()
    page.go_back()
    _on_step(page, "features")
    expect(page.locator("input[name=features][value=websockets]")).to_be_checked()
    page.go_forward()
    _on_step(page, "data")
    page.reload()
    _on_step(page, "data")
    page.get_by_role("button", name="Back").click()  # the form's Back keeps this step's answers
    _on_step(page, "features")
    page.get_by_role("link", name="Data and scale").click()
    _on_step(page, "data")
    expect(page.locator("input[name=data_model][value=document]")).to_be_checked()


def test_invalid_step_shows_the_error_inline_and_keeps_the_other_answers(live_server, page):
    page.goto(live_server.url + "/wizard/")
    _next(page, "kind")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Choose the kind of project you are building.")
    expect(summary).to_be_focused()
    expect(page.locator("#project_kind-error")).to_be_visible()
    screenshot(page, "wizard-error-kind")

    page.check("input[name=project_kind][value=web_app]")
    _next(page, "features")
    page.check("input[name=features][value=admin_ui]")
    _next(page, "data")
    _next(page, "team")
    _next(page, "priorities")
    page.check("input[name='priorities-maturity'][value='5']")
    _next(page, "deploy")
    page.check("input[name=deployment][value=paas]")
    _pick(page, "must_use", "flask", js=True)
    _pick(page, "must_use", "django-orm", js=True)
    page.get_by_role("button", name="See recommendations").click()
    error = page.locator("#must_use-error")
    expect(error).to_contain_text("flask and django-orm cannot be in one stack")
    expect(page).to_have_url(re.compile(r"/wizard/deploy$"))
    expect(page.locator("input[name=deployment][value=paas]")).to_be_checked()
    expect(page.locator("input[name=must_use][value=flask]")).to_be_checked()
    expect(page.locator("input[name=must_use][value=django-orm]")).to_be_checked()
    screenshot(page, "wizard-error-clash")
    page.get_by_role("button", name="Back").click()
    _on_step(page, "priorities")
    expect(page.locator("input[name='priorities-maturity'][value='5']")).to_be_checked()
    page.get_by_role("link", name="Features").click()
    _on_step(page, "features")
    expect(page.locator("input[name=features][value=admin_ui]")).to_be_checked()


def test_the_same_journey_without_javascript_ends_on_the_same_result(browser, live_server, page):
    with_js = _answer_everything(page, live_server.url)
    expected = _stacks(page)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    try:
        plain = context.new_page()
        without_js = _answer_everything(plain, live_server.url, js=False, shots="nojs")
        assert without_js != with_js  # a new permalink ...
        assert _stacks(plain) == expected  # ... with the same stacks
        expect(plain.locator(".copy-link")).to_be_hidden()
        expect(plain.locator("#permalink")).to_have_value(without_js)
        screenshot(plain, "nojs-result")
    finally:
        context.close()


def test_without_javascript_errors_are_shown_and_the_pickers_are_plain_checkboxes(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/wizard/kind")
        page.get_by_role("button", name="Next").click()
        expect(page.locator("#project_kind-error")).to_be_visible()
        page.check("input[name=project_kind][value=rest_api]")
        page.get_by_role("button", name="Next").click()
        page.goto(live_server.url + "/wizard/team")
        expect(page.locator("#familiar_with-q")).to_be_hidden()
        assert page.locator("input[name=familiar_with]").count() > 100
    finally:
        context.close()


def test_picker_filter_narrows_the_list_and_keeps_what_is_ticked(live_server, page):
    page.goto(live_server.url + "/wizard/")
    page.check("input[name=project_kind][value=rest_api]")
    _next(page, "features")
    page.goto(live_server.url + "/wizard/team")
    boxes = page.locator("#familiar_with-options-container input[name=familiar_with]")
    total = boxes.count()
    page.check("input[name=familiar_with][value=fastapi]")
    page.fill("#familiar_with-q", "postgres")
    page.keyboard.press("Enter")  # filters; does not submit the step
    expect(page.locator("#familiar_with-options-container input[value=postgresql]")).to_be_visible()
    expect(boxes).not_to_have_count(total)
    assert boxes.count() < 15
    expect(page.locator("input[name=familiar_with][value=fastapi]")).to_be_checked()
    _on_step(page, "team")
    page.check("input[name=familiar_with][value=postgresql]")
    expect(page.locator("#familiar_with-selected")).to_have_text("Selected: FastAPI, PostgreSQL")
    page.fill("#familiar_with-q", "")
    expect(boxes).to_have_count(total)
    _next(page, "priorities")
    page.goto(live_server.url + "/wizard/team")
    expect(page.locator("input[name=familiar_with]:checked")).to_have_count(2)


def test_copy_link_confirms_and_puts_the_permalink_on_the_clipboard(browser, live_server, app):
    result_id = _saved(app)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/r/{result_id}")
        page.get_by_role("button", name="Copy link").click()
        expect(page.locator("[data-copy-status]")).to_have_text(re.compile("Link copied"))
        assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/r/{result_id}"
    finally:
        context.close()


def test_print_stylesheet_hides_the_controls(live_server, page, app):
    result_id = _saved(app)
    page.goto(f"{live_server.url}/r/{result_id}")
    page.emulate_media(media="print")
    expect(page.locator(".share")).to_be_hidden()
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator("details.stack").first).to_be_visible()


def test_edit_answers_opens_the_wizard_prefilled(live_server, page, app):
    result_id = _saved(app)
    page.goto(f"{live_server.url}/r/{result_id}")
    page.locator(".share").get_by_role("link", name="Edit answers").click()
    _on_step(page, "kind")
    expect(page.locator("input[name=project_kind][value=rest_api]")).to_be_checked()
    expect(page.locator(".notice")).to_contain_text("answers behind your earlier result")
    page.get_by_role("link", name="Data and scale").click()
    _on_step(page, "data")
    expect(page.locator("input[name=scale][value=medium]")).to_be_checked()
    page.get_by_role("link", name="Deployment").click()
    _on_step(page, "deploy")
    expect(page.locator("input[name=avoid][value=django]")).to_be_checked()
    expect(page.locator("#avoid-selected")).to_have_text("Selected: Django")


def test_catalog_change_note_and_rerun_make_a_new_permalink(live_server, page, app, runner, tmp_path):
    result_id = _saved(app)
    old_url = f"{live_server.url}/r/{result_id}"
    page.goto(old_url)
    expect(page.locator(".catalog-changed")).to_have_count(0)
    before = _stacks(page)

    path = tmp_path / "catalog.yaml"
    assert runner.invoke(args=["catalog", "export", str(path)]).exit_code == 0
    entries = yaml.safe_load(path.read_text())
    for entry in entries:
        if entry["slug"] == "fastapi":
            entry["summary"] = "FastAPI, as a curator now puts it."
    path.write_text(yaml.safe_dump(entries, sort_keys=False))
    assert runner.invoke(args=["catalog", "import", str(path)]).exit_code == 0

    # The page said it stays fresh for five minutes, so the browser may show its copy until then
    # (Chromium does on a same-URL navigation): a reload asks the server again.
    page.reload()
    note = page.locator(".catalog-changed")
    expect(note).to_contain_text("The catalog has changed since this result was made")
    button = note.get_by_role("button", name="Re-run on the current catalog")  # fetched by htmx
    expect(button).to_be_visible()
    screenshot(page, "result-catalog-changed")
    button.click()
    expect(page).not_to_have_url(old_url)
    expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
    expect(page.locator(".result-meta")).to_contain_text("catalog version 2")
    expect(page.locator(".catalog-changed")).to_have_count(0)

    page.goto(old_url)
    expect(page.locator(".result-meta")).to_contain_text("catalog version 1")
    assert _stacks(page) == before


def test_phone_sized_screens_get_a_clean_layout(browser, live_server, app):
    result_id = _saved(app)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/wizard/")
        page.check("input[name=project_kind][value=rest_api]")
        _next(page, "features")
        page.goto(live_server.url + "/wizard/priorities")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "phone-wizard-priorities")
        page.goto(live_server.url + "/wizard/deploy")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "phone-wizard-deploy")
        page.goto(f"{live_server.url}/r/{result_id}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "phone-result")
    finally:
        context.close()


# --- a clash and its one-click fixes ---------------------------------------------------------------


def _walk_to_clash(page, base: str, js: bool) -> str:
    """Answer every step, the last with two parts that cannot share a stack (Flask, Django's ORM);
    returns the HTML the server answered the last step with."""
    page.goto(base + "/wizard/")
    page.check("input[name=project_kind][value=web_app]")
    _next(page, "features")
    page.check("input[name=features][value=user_accounts]")
    _next(page, "data")
    _next(page, "team")
    _next(page, "priorities")
    _next(page, "deploy")
    page.check("input[name=deployment][value=paas]")
    _pick(page, "must_use", "flask", js)
    _pick(page, "must_use", "django-orm", js)
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.get_by_role("button", name="See recommendations").click()
    expect(page.locator(".error-summary")).to_contain_text("flask and django-orm cannot be in one stack")
    return answered.value.text()


def _fix_replacing_the_orm(page):
    """The offered fix that keeps Flask and swaps Django's ORM for another."""
    fixes = page.locator(".fix")
    expect(fixes.first).to_be_visible()
    assert fixes.count() >= 2
    button = page.get_by_role("button", name=re.compile(r"^Use .+ instead of Django ORM$"))
    expect(button).to_be_visible()
    return button


WIDTHS = ((1280, 900), (390, 844))


def _check_clash_page(page, name: str) -> None:
    """No axe violations and no sideways scrolling, at a desktop and a phone width; screenshots."""
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})


def _check_as_without_javascript(browser, url: str, html: str, name: str) -> None:
    """axe needs JavaScript (its checks wait on timers), so the markup a browser without it got is
    served again at the same URL to a context that blocks every script of the site: the page renders
    as it did without JavaScript, and axe (sent through the DevTools protocol) can still run."""
    context = browser.new_context()
    try:
        mirror = context.new_page()
        mirror.route("**/*.js", lambda route: route.abort())
        mirror.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        mirror.goto(url)
        assert mirror.evaluate("document.documentElement.classList.contains('js')") is False
        _check_clash_page(mirror, name)
    finally:
        context.close()


def test_a_clash_offers_fixes_and_one_click_leads_to_a_result(browser, live_server, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        violations = _watch_csp(page)
        _walk_to_clash(page, live_server.url, js=True)
        expect(page.locator(".error-summary")).to_be_focused()
        expect(page.get_by_role("heading", name="Ways forward")).to_be_visible()
        button = _fix_replacing_the_orm(page)
        chosen = re.match(r"Use (.+) instead of", button.inner_text()).group(1)
        changes = page.locator("#" + button.get_attribute("aria-describedby"))
        expect(changes).to_have_text(f"Must use: adds {chosen}, removes Django ORM")
        _check_clash_page(page, "wizard-clash-fixes")
        button.click()
        expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
        expect(page.locator(".answers")).to_contain_text(f"Flask, {chosen}")
        assert "django-orm" not in _stored(app, page.url).constraints["must_use"]
        expect(page.locator("details.stack").first).to_contain_text(chosen)
        screenshot(page, "wizard-clash-fixed-result")
        # The fix is now the wizard's answers.
        page.goto(live_server.url + "/wizard/deploy")
        expect(page.locator("input[name=must_use][value=django-orm]")).not_to_be_checked()
        expect(page.locator("#must_use-selected")).to_have_text(f"Selected: Flask, {chosen}")
        assert violations == []
    finally:
        context.close()


def test_without_javascript_a_fix_is_a_plain_form_that_leads_to_a_result(browser, live_server, app):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        html = _walk_to_clash(page, live_server.url, js=False)
        expect(page).to_have_url(re.compile(r"/wizard/deploy$"))
        button = _fix_replacing_the_orm(page)
        chosen = re.match(r"Use (.+) instead of", button.inner_text()).group(1)
        _check_as_without_javascript(browser, page.url, html, "nojs-wizard-clash-fixes")
        button.click()
        expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
        assert "django-orm" not in _stored(app, page.url).constraints["must_use"]
        expect(page.locator(".answers")).to_contain_text(f"Flask, {chosen}")
        screenshot(page, "nojs-wizard-clash-fixed-result")
    finally:
        context.close()
