"""Freshness on the catalog and result pages in a real Chromium: last release, status flags with the
successor linked, staleness; axe-core on every page; screenshots at 1280 and 390 pixels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import yaml

from tests.app_helpers import screenshot
from tests.browser_helpers import Watch, assert_fits, axe_violations
from tests.catalog_helpers import export_text

pytestmark = pytest.mark.browser

pw = pytest.importorskip("playwright.sync_api")
expect = pw.expect

WIDTHS = {"wide": 1280, "phone": 390}


@pytest.fixture
def flagged(runner, tmp_path) -> dict[str, dict]:
    """Entries in each state the pages must show, whatever the seeds say today: an end-of-life
    driver with a successor and no release for years, a server in maintenance, an active ORM
    released this month."""
    this_month = datetime.now(UTC).strftime("%Y-%m")
    changes = {
        "motor": {
            "status": "end_of_life",
            "successor": "pymongo",
            "last_release": "2019-03",
            "latest_version": "2.1.0",
            "status_note": "End of life on 14 May 2026.",
        },
        "uwsgi": {
            "status": "maintenance",
            "successor": None,
            "last_release": this_month,
            "latest_version": "2.0.31",
        },
        "sqlalchemy": {
            "status": "active",
            "successor": None,
            "last_release": this_month,
            "latest_version": "2.1.4",
        },
    }
    entries = [
        dict(e, **changes[e["slug"]]) for e in yaml.safe_load(export_text(runner)) if e["slug"] in changes
    ]
    path = tmp_path / "flags.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    assert runner.invoke(args=["catalog", "import", str(path)]).exit_code == 0
    return changes


@contextmanager
def _opened(browser, url: str, width: int) -> Iterator:
    """A page at `url` in a fresh context `width` pixels wide; its console and requests must stay
    clean to the end."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone, has_touch=phone
    )
    try:
        page = context.new_page()
        watch = Watch(page, url.split("/catalog/")[0].split("/r/")[0])
        page.goto(url)
        yield page
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_catalog_index_flags_what_is_old_or_dead(browser, live_server, flagged, size):
    with _opened(browser, f"{live_server.url}/catalog/", WIDTHS[size]) as page:
        month = datetime.now(UTC).strftime("%b %Y")

        motor = page.locator("li", has=page.locator("a[href$='/catalog/motor']"))
        expect(motor.locator(".flag-end_of_life")).to_have_text("End of life")
        expect(motor).to_contain_text("Last release Mar 2019 (v2.1.0)")
        expect(motor.locator(".flag-stale")).to_have_text("Stale: no release since Mar 2019")
        expect(motor.get_by_role("link", name="PyMongo")).to_have_attribute("href", "/catalog/pymongo")

        uwsgi = page.locator("li", has=page.locator("a[href$='/catalog/uwsgi']"))
        expect(uwsgi.locator(".flag-maintenance")).to_have_text("Maintenance")
        expect(uwsgi.locator(".flag-stale")).to_have_count(0)

        orm = page.locator("li", has=page.locator("a[href$='/catalog/sqlalchemy']")).first
        expect(orm).to_contain_text(f"Last release {month} (v2.1.4)")
        expect(orm.locator(".flag")).to_have_count(0)

        # The flags are words, not colours: the text alone says it.
        assert "End of life" in motor.inner_text() and "Stale" in motor.inner_text()
        assert axe_violations(page) == []
        assert_fits(page, WIDTHS[size])
        motor.scroll_into_view_if_needed()
        screenshot(page, f"catalog-index-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_a_detail_page_warns_and_links_the_successor(browser, live_server, flagged, size):
    with _opened(browser, f"{live_server.url}/catalog/motor", WIDTHS[size]) as page:
        expect(page.locator("h1 .flag-end_of_life")).to_have_text("End of life")
        warning = page.locator(".health-warning")
        expect(warning).to_contain_text(
            "End of life: Motor is past its end of life. Consider PyMongo instead."
        )
        today = datetime.now(UTC).date()
        months = (today.year - 2019) * 12 + today.month - 3
        expect(warning).to_contain_text(f"Stale: no release for {months} months (since Mar 2019)")
        facts = page.locator(".health dl")
        expect(facts).to_contain_text("End of life on 14 May 2026.")
        expect(facts).to_contain_text("Mar 2019 (v2.1.0)")
        assert axe_violations(page) == []
        assert_fits(page, WIDTHS[size])
        screenshot(page, f"catalog-detail-motor-{size}")

        warning.get_by_role("link", name="PyMongo").click()
        expect(page).to_have_url(re.compile(r"/catalog/pymongo$"))
        expect(page.locator("h1")).to_contain_text("PyMongo")
        expect(page.locator(".health-warning")).to_have_count(0)

        page.goto(f"{live_server.url}/catalog/uwsgi")
        expect(page.locator(".health-warning")).to_contain_text("Maintenance: uWSGI is in maintenance mode")
        assert axe_violations(page) == []
        screenshot(page, f"catalog-detail-uwsgi-{size}")


def _result(live_server, constraints: dict) -> str:
    import requests

    response = requests.post(f"{live_server.url}/api/v1/recommendations", json=constraints, timeout=30)
    assert response.status_code == 201, response.text[:300]
    return response.headers["Location"]


@pytest.mark.parametrize("size", WIDTHS)
def test_a_result_page_flags_what_is_old_or_dead(browser, live_server, flagged, size):
    """A result keeps Motor only because the project must use it: the page says it is past its end
    of life and links its successor; each part shows its last release and status (Graphene is in
    maintenance in the seeds)."""
    location = _result(
        live_server,
        {
            "project_kind": "rest_api",
            "data_model": "document",
            "features": ["graphql"],
            "must_use": ["motor", "graphene"],
        },
    )
    with _opened(browser, location, WIDTHS[size]) as page:  # Location is absolute
        warnings = page.locator("section.warnings")
        expect(warnings).to_contain_text("Motor is past its end of life")
        expect(warnings.get_by_role("link", name="About PyMongo")).to_have_attribute(
            "href", "/catalog/pymongo"
        )
        top = page.locator("#stack-1")
        if top.get_attribute("open") is None:
            top.locator("summary").first.click()
        expect(top.locator(".flag-end_of_life").first).to_contain_text("Past its end of life")
        expect(top.locator(".flag-maintenance").first).to_contain_text("maintenance")
        expect(top.locator(".flag-release").first).to_contain_text("Last release")
        # The chips of the glance rows mark the parts with a warning in words, not colour alone.
        assert page.locator(".chip-flagged").count() >= 2
        assert axe_violations(page) == []
        assert_fits(page, WIDTHS[size])
        warnings.scroll_into_view_if_needed()
        screenshot(page, f"result-freshness-{size}")
