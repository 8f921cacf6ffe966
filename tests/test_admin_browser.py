"""The issue's acceptance journeys in a real Chromium: edit and save, conflicts, escaping, throttling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.admin_helpers import ADMIN_HEAVY, PASSWORD, make_user, tech_row
from tests.app_helpers import LiveServer, make_app, screenshot

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, password: str = PASSWORD, start: str = "/admin/"):
    page.goto(base + start)
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Log in").click()


def watch_console(page) -> list[str]:
    """Console errors and CSP reports of a page, to assert that there are none."""
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: messages.append(str(e)))
    # Missing files count, except the favicon browsers ask for on their own.
    page.on(
        "response",
        lambda r: (
            messages.append(f"{r.status} {r.url}")
            if r.status == 404 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return messages


def save_result(app, constraints=ADMIN_HEAVY):
    from advisor.results.service import create_result

    with app.app_context():
        saved = create_result(constraints)
        return saved.id, saved.payload


def _matching(app, text: str) -> int:
    """How many technologies the list's search finds for `text` (name or slug)."""
    import sqlalchemy as sa

    from advisor.catalog.models import Technology
    from advisor.extensions import db

    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Technology)
            .where(sa.or_(sa.func.lower(Technology.name).contains(text), Technology.slug.contains(text)))
        )


def test_edit_ratings_and_pros_then_audit_new_result_and_old_permalink(app, live_server, page):
    make_user(app, "curator@example.org")
    old_id, old_payload = save_result(app)
    errors = watch_console(page)
    base = live_server.url

    page.goto(base + "/admin/technologies/django/edit")
    assert page.url.startswith(base + "/admin/login")
    assert "Django" not in page.content()
    page.fill("#email", "curator@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/admin/technologies/django/edit")

    # Search as you type (htmx) from the list.
    page.goto(base + "/admin/")
    screenshot(page, "admin-list")
    page.fill("#q", "djang")
    expect(page.locator("#tech-table-container tbody tr")).to_have_count(_matching(app, "djang"))
    assert page.locator("#tech-table-container").get_by_role("link", name="Django", exact=True).is_visible()
    assert "q=djang" in page.url
    page.locator("#tech-table-container").get_by_role("link", name="Django", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/technologies/django/edit$"))

    # Ratings, and a pro added and another removed with htmx. "Add a line" puts the cursor in the
    # empty spare line; once that holds text, it adds a new one.
    page.fill("#ratings-dev_speed", "4")
    pros = page.locator("#pros-container input[type=text]")
    count = pros.count()
    add = page.locator("#pros-container").get_by_role("button", name="+ Add a line")
    add.click()
    expect(pros.last).to_be_focused()
    page.keyboard.type("curators keep this catalog honest")
    add.click()
    expect(pros).to_have_count(count + 1)
    expect(pros.last).to_be_focused()
    removed_text = pros.first.input_value()
    page.locator("#pros-container .row-remove").first.click()
    expect(pros).to_have_count(count)
    assert page.locator("#pros-container input[type=text]").first.input_value() != removed_text
    screenshot(page, "admin-edit")

    # Preview (htmx) shows the impact without saving.
    page.get_by_role("button", name="Preview impact").first.click()
    page.wait_for_selector("#preview-container table")
    assert "reference answers would change" in page.locator("#preview-container").inner_text()
    assert tech_row(app, "django")[0]["ratings"]["dev_speed"] == 5

    page.get_by_role("button", name="Save changes").first.click()
    page.wait_for_selector(".flash-success")
    assert "Saved Django" in page.locator(".flash-success").inner_text()
    entry, _ = tech_row(app, "django")
    assert entry["ratings"]["dev_speed"] == 4
    assert "curators keep this catalog honest" in entry["pros"] and removed_text not in entry["pros"]

    # The audit shows who changed what.
    page.get_by_role("link", name="History").click()
    history = page.locator(".audit-entry").first.inner_text()
    assert "curator@example.org" in history and "edit" in history
    assert "curators keep this catalog honest" in history and removed_text in history
    assert re.search(r"Development speed: 5\s*→\s*4", history)
    screenshot(page, "admin-history")

    # A new recommendation reflects the edit; the older permalink does not change.
    new_id, new_payload = save_result(app)
    assert any(
        "curators keep this catalog honest" in t["pros"]
        for s in new_payload["stacks"]
        for t in s["tradeoffs"]
    )
    from advisor.results.service import get_result

    with app.app_context():
        assert get_result(old_id).payload == old_payload
    if "results.show" in app.view_functions:
        page.goto(f"{base}/r/{old_id}")
        assert "curators keep this catalog honest" not in page.content()
        page.goto(f"{base}/r/{new_id}")
        assert "curators keep this catalog honest" in page.content()
    assert not errors, errors


def test_two_curators_edit_the_same_entry_and_nothing_is_lost(app, live_server, browser):
    make_user(app, "first@example.org")
    make_user(app, "second@example.org")
    base = live_server.url
    first_ctx, second_ctx = browser.new_context(), browser.new_context()
    try:
        first, second = first_ctx.new_page(), second_ctx.new_page()
        log_in(first, base, "first@example.org", start="/admin/technologies/flask/edit")
        log_in(second, base, "second@example.org", start="/admin/technologies/flask/edit")
        first.wait_for_url(re.compile(r".*/flask/edit$"))
        second.wait_for_url(re.compile(r".*/flask/edit$"))

        first.fill("#summary", "Summary from the first curator")
        first.get_by_role("button", name="Save changes").first.click()
        first.wait_for_selector(".flash-success")

        second.fill("#ratings-performance", "4")
        second.locator("#cons-container input[type=text]").last.fill("a con from the second curator")
        second.get_by_role("button", name="Save changes").first.click()
        heading = second.locator("h1")
        assert "Someone else saved Flask while you were editing" in heading.inner_text()
        table = second.locator(".conflict-table").inner_text()
        assert "Summary from the first curator" in table and "a con from the second curator" in table
        screenshot(second, "admin-conflict")
        entry, _ = tech_row(app, "flask")
        assert entry["summary"] == "Summary from the first curator"
        assert "a con from the second curator" not in entry["cons"]

        second.get_by_role("button", name="Merge and review").click()
        assert "Merged." in second.locator(".notice").inner_text()
        assert second.input_value("#summary") == "Summary from the first curator"
        assert second.input_value("#ratings-performance") == "4"
        second.get_by_role("button", name="Save changes").first.click()
        second.wait_for_selector(".flash-success")
        entry, _ = tech_row(app, "flask")
        assert entry["summary"] == "Summary from the first curator"
        assert entry["ratings"]["performance"] == 4
        assert "a con from the second curator" in entry["cons"]
    finally:
        first_ctx.close()
        second_ctx.close()


def test_script_typed_into_a_pro_is_shown_as_text(app, live_server, page):
    make_user(app, "curator@example.org")
    errors = watch_console(page)
    base = live_server.url
    log_in(page, base, "curator@example.org", start="/admin/technologies/django/edit")
    page.wait_for_url(re.compile(r".*/django/edit$"))
    hostile = ["<script>window.__xss = 1</script>", '<img src=x onerror="window.__xss = 2">']
    rows = page.locator("#pros-container input[type=text]")
    for text in hostile:
        count = rows.count()
        rows.last.fill(text)
        page.locator("#pros-container").get_by_role("button", name="+ Add a line").click()
        expect(rows).to_have_count(count + 1)
    page.get_by_role("button", name="Save changes").first.click()
    page.wait_for_selector(".flash-success")
    values = page.eval_on_selector_all("#pros-container input", "els => els.map(e => e.value)")
    assert all(text in values for text in hostile)
    page.goto(base + "/admin/technologies/django/history")
    assert hostile[0] in page.locator(".audit-entry").first.inner_text()
    result_id, _ = save_result(app)
    if "results.show" in app.view_functions:
        page.goto(f"{base}/r/{result_id}")
        # Pros sit in a closed "Pros and cons" disclosure: text in the page, one click from view.
        assert hostile[0] in page.locator("body").text_content()
    page.goto(base + "/catalog/django")
    assert hostile[0] in page.locator("body").inner_text()
    assert page.evaluate("window.__xss") is None
    assert not [e for e in errors if "__xss" in e]


def test_the_form_works_without_javascript(app, live_server, browser):
    make_user(app, "curator@example.org")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server.url, "curator@example.org", start="/admin/technologies/rq/edit")
        page.wait_for_url(re.compile(r".*/rq/edit$"))
        page.fill("#name", "RQ (typed before adding a row)")
        page.locator("#best_for-container").get_by_role("button", name="+ Add a line").click()
        assert page.input_value("#name") == "RQ (typed before adding a row)"
        rows = page.locator("#best_for-container input[type=text]")
        rows.nth(rows.count() - 2).fill("first new line")
        rows.last.fill("second new line")
        page.get_by_role("button", name="Save changes").first.click()
        assert "Saved RQ" in page.locator(".flash-success").inner_text()
        entry, _ = tech_row(app, "rq")
        assert entry["name"] == "RQ (typed before adding a row)"
        assert entry["best_for"][-2:] == ["first new line", "second new line"]
    finally:
        context.close()


def test_wrong_passwords_throttle_the_login(db_path, browser):
    app = make_app(f"sqlite:///{db_path}", RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    make_user(app, "curator@example.org")
    context = browser.new_context()
    try:
        with LiveServer(app) as server:
            page = context.new_page()
            for _ in range(3):
                log_in(page, server.url, "curator@example.org", password="not the password!")
                assert "Invalid email or password." in page.locator(".form-error").inner_text()
            log_in(page, server.url, "curator@example.org")
            assert "Too many login attempts" in page.locator(".form-error").inner_text()
            assert "/admin/login" in page.url
            screenshot(page, "admin-login-throttled")
    finally:
        context.close()
