"""The radar, the catalog search and the technology pages in a real Chromium: blips are links a
keyboard reaches with a visible focus, search updates as you type (and works without JavaScript),
no console errors, axe finds nothing, nothing scrolls sideways; screenshots at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.admin_helpers import make_user
from tests.app_helpers import LiveServer, screenshot
from tests.browser_helpers import Watch, assert_fits, axe_violations
from tests.radar_helpers import change_catalog, entry_like, publish

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.fixture
def moved_app(app, tmp_path):
    """Two editions: in the second Litestar moved up, Celery down, and a newcomer came in."""
    runner = app.test_cli_runner()
    publish(runner)
    newcomer = entry_like(runner, "quart", slug="fresh-framework", name="Fresh Framework")
    change_catalog(
        runner, tmp_path, {"litestar": {"ring": "adopt"}, "celery": {"ring": "hold"}}, new=[newcomer]
    )
    publish(runner)
    return app


def _page(browser, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    return context, context.new_page()


def _check(page, watch: Watch, width: int, name: str) -> None:
    assert axe_violations(page) == []
    assert_fits(page, width)
    screenshot(page, f"{name}-{width}")
    watch.assert_clean()


def test_radar_blips_are_links_reachable_by_keyboard(browser, moved_app):
    with LiveServer(moved_app) as server:
        for width in WIDTHS:
            context, page = _page(browser, width)
            watch = Watch(page, server.url)
            page.goto(server.url + "/radar")
            blips = page.eval_on_selector_all(
                "svg.radar-svg a.blip",
                "els => els.map(e => [e.id, e.getAttribute('href'), e.querySelector('title').textContent])",
            )
            rows = page.locator(".radar-table tbody tr").count()
            assert len(blips) == rows > 100
            for blip_id, href, title in blips:
                assert href == "/catalog/" + blip_id.removeprefix("blip-")
                assert re.match(r"^\d+\. .+: (Adopt|Trial|Assess|Hold), ", title)
            moved = {
                b[0]: b[2] for b in blips if b[0] in ("blip-litestar", "blip-celery", "blip-fresh-framework")
            }
            assert moved["blip-litestar"].endswith("up from trial")
            assert moved["blip-celery"].endswith("down from adopt")
            assert moved["blip-fresh-framework"].endswith("new")

            # From the link before the drawing, Tab reaches the first blip, then the next one.
            page.locator(".skip-drawing").focus()
            page.keyboard.press("Tab")
            focused = page.evaluate("""() => {
                const a = document.activeElement, ring = a.querySelector('.focus-ring');
                return [a.id, a instanceof SVGElement, getComputedStyle(ring).stroke,
                        getComputedStyle(ring).fill];
            }""")
            assert focused[0] == blips[0][0] and focused[1] is True
            assert focused[2] not in ("none", "") and focused[3] not in ("none", "")  # visible focus
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == blips[1][0]
            _check(page, watch, width, "radar")
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(re.escape(blips[1][1]) + "$"))
            context.close()


def test_catalog_search_updates_as_you_type(browser, live_server):
    for width in WIDTHS:
        context, page = _page(browser, width)
        watch = Watch(page, live_server.url)
        page.goto(live_server.url + "/catalog")
        total = int(re.search(r"All (\d+)", page.locator("#result-count").inner_text()).group(1))
        page.locator("#q").press_sequentially("postgres", delay=20)
        expect(page.locator("#result-count")).to_have_text(f"4 of {total} technologies match.")
        results = page.locator("#results-container a[href^='/catalog/']")
        hrefs = set(results.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
        assert {"/catalog/postgresql", "/catalog/asyncpg", "/catalog/psycopg", "/catalog/psycopg2"} <= hrefs
        assert "/catalog/celery" not in hrefs
        assert "q=postgres" in page.url
        assert page.evaluate("document.activeElement.id") == "q"  # typing goes on
        _check(page, watch, width, "catalog-search")

        page.locator("#q").fill("")
        page.select_option("#slot", "task_queue")
        expect(page.locator("#result-count")).to_have_text(re.compile(r"^8 of \d+ technologies match"))
        assert page.locator("#results-container [id^='slot-']").all_inner_texts() == ["Task queue"]
        page.locator("#q").press_sequentially("cobol", delay=20)
        expect(page.locator(".empty-state")).to_contain_text("No technology matches the words “cobol”")
        watch.assert_clean()
        context.close()


def test_catalog_search_works_without_javascript(browser, live_server):
    context, page = _page(browser, 1280, java_script_enabled=False)
    page.goto(live_server.url + "/")
    page.fill("#landing-q", "postgres")
    page.get_by_role("button", name="Search the catalog").click()
    expect(page.locator("#result-count")).to_contain_text("4 of")
    page.select_option("#slot", "db_driver")
    page.get_by_role("button", name="Search", exact=True).click()
    assert re.search(r"q=postgres.*slot=db_driver", page.url)
    assert page.locator("#results-container [id^='slot-']").all_inner_texts() == ["Database driver"]
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/catalog/redis", "technology"),
        ("/catalog/litestar", "technology-moved"),
        ("/radar/editions", "editions"),
        ("/radar?edition=1", "radar-edition-1"),
        ("/", "landing"),
    ],
)
def test_pages_pass_axe_and_fit(browser, moved_app, path, name):
    with LiveServer(moved_app) as server:
        for width in WIDTHS:
            context, page = _page(browser, width)
            watch = Watch(page, server.url)
            page.goto(server.url + path)
            _check(page, watch, width, name)
            context.close()


def test_admin_publishes_an_edition_in_the_browser(browser, moved_app):
    make_user(moved_app, "curator@example.org")
    with LiveServer(moved_app) as server:
        for width in WIDTHS:
            context, page = _page(browser, width)
            watch = Watch(page, server.url)
            page.goto(server.url + "/admin/login")
            page.fill("#email", "curator@example.org")
            page.fill("#password", "correct horse battery staple")
            page.get_by_role("button", name="Log in").click()
            page.goto(server.url + "/admin/radar")
            _check(page, watch, width, "admin-radar")
            page.get_by_role("link", name=re.compile(r"Prepare edition \d")).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                re.compile(r"Publish radar edition \d\?")
            )
            _check(page, watch, width, "admin-radar-publish")
            page.get_by_role("button", name=re.compile(r"Publish edition \d")).click()
            expect(page.locator(".flash-success")).to_contain_text("Published radar edition")
            watch.assert_clean()
            context.close()
