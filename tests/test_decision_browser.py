"""The decision tools in a real Chromium: compare, re-rank in place, save as a new link, with and
without JavaScript; every new page type through axe, and screenshots at 1280 and 390 pixels."""

from __future__ import annotations

import re

import pytest

from advisor.results.service import create_result
from tests.app_helpers import screenshot
from tests.browser_helpers import Watch, assert_fits, axe_violations
from tests.result_helpers import new_payload, save
from tests.wizard_helpers import CONSTRAINTS

pytestmark = pytest.mark.browser

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect

CALMER = {"maturity": "5", "simplicity": "5", "performance": "0", "typing": "0"}
WIDTHS = {"wide": 1280, "phone": 390}


def _order(page) -> list[str]:
    """The stacks in the order the glance rows show them, by their parts."""
    return [" ".join(row.locator(".chip").all_inner_texts()) for row in page.locator(".glance-row").all()]


def _saved(app) -> str:
    with app.app_context():
        return create_result(CONSTRAINTS).id


def _context(browser, width: int, js: bool = True):
    phone = width < 600
    return browser.new_context(
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        java_script_enabled=js,
    )


def test_compare_rerank_in_place_and_save_as_a_new_link(browser, live_server, app):
    result_id = _saved(app)
    old_url = f"{live_server.url}/r/{result_id}"
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        watch = Watch(page, live_server.url)
        page.goto(old_url)
        original = _order(page)
        assert len(original) >= 3

        page.get_by_role("link", name="Compare side by side").first.click()
        expect(page).to_have_url(f"{old_url}/compare")
        expect(page.locator("table.stacks-compare thead th[scope=col]")).to_have_count(len(original))
        page.go_back()
        expect(page).to_have_url(old_url)

        page.evaluate("window.__samePage = true")  # gone if anything reloads the page
        for axis, level in CALMER.items():
            page.select_option(f"select[name='priorities-{axis}']", level)
        status = page.locator("#whatif-status-container")
        expect(status).to_contain_text("Re-ranked, not saved.")
        expect(page.locator("#glance-heading")).to_have_text("The stacks, re-ranked")
        page.wait_for_load_state("networkidle")
        reranked = _order(page)
        assert reranked != original
        assert page.evaluate("window.__samePage === true")
        expect(page).to_have_url(old_url)
        expect(page.locator("select[name='priorities-maturity']")).to_have_value("5")
        screenshot(page, "decision-whatif-wide")

        status.get_by_role("button", name="Save as new link").click()
        expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
        assert page.url != old_url
        assert _order(page) == reranked
        expect(page.locator(".answers")).to_contain_text("Maturity 5/5")

        page.goto(old_url)
        assert _order(page) == original
        expect(page.locator(".answers")).to_contain_text("Performance 4/5, Typing 3/5")
        watch.assert_clean()
    finally:
        context.close()


def test_the_same_without_javascript_through_form_posts(browser, live_server, app):
    result_id = _saved(app)
    old_url = f"{live_server.url}/r/{result_id}"
    context = _context(browser, 1280, js=False)
    try:
        page = context.new_page()
        watch = Watch(page, live_server.url)
        page.goto(old_url)
        original = _order(page)
        page.get_by_role("link", name="Compare side by side").first.click()
        expect(page.locator("table.stacks-compare")).to_be_visible()
        page.goto(old_url)
        for axis, level in CALMER.items():
            page.select_option(f"select[name='priorities-{axis}']", level)
        page.get_by_role("button", name="Re-rank").click()
        expect(page).to_have_url(re.compile(rf"/r/{result_id}/whatif\?"))
        expect(page.locator("#whatif-status-container")).to_contain_text("Re-ranked, not saved.")
        reranked = _order(page)
        assert reranked != original
        screenshot(page, "decision-nojs-whatif")
        page.get_by_role("button", name="Save as new link").click()
        expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
        assert page.url != old_url and _order(page) == reranked
        page.goto(old_url)
        assert _order(page) == original
        watch.assert_clean()
    finally:
        context.close()


def test_pinning_and_excluding_parts_rerank_too(browser, live_server, app):
    result_id = _saved(app)
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/r/{result_id}")
        top = page.locator("#glance-1 .chip").first.inner_text()
        if page.locator(".whatif-parts[open]").count() == 0:  # open already when the answers pin or avoid
            page.locator(".whatif-parts > summary").click()
        slug = page.locator("#glance-1 .chip").first.get_attribute("href").rsplit("/", 1)[1]
        page.check(f"#avoid-{slug}")
        expect(page.locator("#whatif-status-container")).to_contain_text("Re-ranked, not saved.")
        expect(page.locator("#glance-1 .chip").first).not_to_have_text(top)
        page.check(f"#pin-{slug}")  # pinned and excluded at once: said, and the ranking stays
        expect(page.locator("#whatif-status-container [role=alert]")).to_contain_text(
            "Cannot be both pinned and excluded"
        )
        expect(page.locator("#glance-1 .chip").first).not_to_have_text(top)
    finally:
        context.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_every_new_page_passes_axe_fits_the_screen_and_is_photographed(browser, live_server, app, size):
    width = WIDTHS[size]
    result_id = save(app, new_payload())
    real_id = _saved(app)
    pages = {
        "result": f"/r/{result_id}",
        "compare": f"/r/{result_id}/compare",
        "starter": f"/r/{result_id}/starter/2",
        "technologies": "/compare?t=django&t=fastapi&t=flask",
        "whatif": f"/r/{real_id}/whatif?priorities-maturity=5&priorities-performance=0",
        "landing": "/",
        "catalog-detail": "/catalog/fastapi",
    }
    context = _context(browser, width)
    try:
        page = context.new_page()
        watch = Watch(page, live_server.url)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            assert axe_violations(page) == [], (name, size)
            assert_fits(page, width)
            screenshot(page, f"decision-{name}-{size}")
        watch.assert_clean()
    finally:
        context.close()


def test_glance_details_link_opens_the_stack_and_print_shows_one_stack(browser, live_server, app):
    result_id = save(app, new_payload())
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/r/{result_id}")
        expect(page.locator("#stack-3")).not_to_have_attribute("open", "")
        page.locator("#glance-3").get_by_role("link", name="Details of stack 3").click()
        expect(page.locator("#stack-3")).to_have_attribute("open", "")
        expect(page.locator("#stack-3 .slot").first).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator("#stack-3")).to_be_visible()
        expect(page.locator("#stack-1")).to_be_hidden()
        expect(page.locator(".glance")).to_be_hidden()
        expect(page.locator(".whatif")).to_be_hidden()
        page.goto(f"{live_server.url}/r/{result_id}")  # no stack in the address: the first
        expect(page.locator("#stack-1")).to_be_visible()
        expect(page.locator("#stack-2")).to_be_hidden()
        expect(page.get_by_role("button", name="Print this stack").first).to_be_hidden()  # print media
        page.emulate_media(media="screen")
        expect(page.locator("#stack-1").get_by_role("button", name="Print this stack")).to_be_visible()
    finally:
        context.close()


def test_a_preset_on_the_landing_page_fills_in_the_wizard(browser, live_server, app):
    context = _context(browser, 1280)
    try:
        page = context.new_page()
        watch = Watch(page, live_server.url)
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Start from this: Real-time chat").click()
        expect(page).to_have_url(re.compile(r"/wizard/kind$"))
        expect(page.locator("input[name=project_kind][value=realtime]")).to_be_checked()
        page.get_by_role("button", name="Next").click()
        expect(page.locator("input[name=features][value=websockets]")).to_be_checked()
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="See an example result for Traditional monolith").click()
        expect(page).to_have_url(re.compile(r"/r/[A-Za-z0-9_-]{22}$"))
        expect(page.locator(".glance-row")).not_to_have_count(0)
        expect(page.locator("#glance-1")).to_contain_text("Django")
        watch.assert_clean()
    finally:
        context.close()
