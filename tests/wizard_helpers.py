"""Helpers for the wizard and result tests: CSRF tokens, posting steps, counting queries."""

from __future__ import annotations

import html as html_lib
import json
import re
from contextlib import contextmanager

import sqlalchemy as sa

from advisor.catalog.models import Technology
from advisor.catalog.service import bump_version
from advisor.extensions import db
from advisor.results.models import SavedResult

TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
HTMX = {"HX-Request": "true"}

# One answer for every step, as the browser would post them.
ANSWERS = {
    "kind": {"project_kind": "rest_api"},
    "features": {"features": ["background_jobs", "caching"]},
    "data": {"data_model": "relational", "scale": "medium", "workload": "io_bound"},
    "team": {"team_experience": "intermediate", "familiar_with": ["flask"]},
    "priorities": {"priorities-performance": "4", "priorities-typing": "3"},
    "deploy": {"deployment": "containers", "must_use": [], "avoid": ["django"]},
}
# The same answers as constraints JSON.
CONSTRAINTS = {
    "project_kind": "rest_api",
    "features": ["background_jobs", "caching"],
    "data_model": "relational",
    "scale": "medium",
    "workload": "io_bound",
    "team_experience": "intermediate",
    "familiar_with": ["flask"],
    "priorities": {"performance": 4, "typing": 3},
    "deployment": "containers",
    "avoid": ["django"],
}
STEP_NAMES = list(ANSWERS)
# A last step that no stack satisfies: Flask cannot run the Django ORM.
CLASH = {"deployment": "paas", "must_use": ["flask", "django-orm"]}


def csrf_token(client, url: str = "/wizard/kind") -> str:
    """The session's CSRF token, read from a page's form."""
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    match = TOKEN_RE.search(html)
    assert match, f"no csrf_token on {url}"
    return match.group(1) or match.group(2)


def post_step(client, name: str, data: dict, token: str, htmx: bool = False, **kwargs):
    headers = {**HTMX, "X-CSRFToken": token} if htmx else {}
    body = {**data} if htmx else {**data, "csrf_token": token}
    return client.post(f"/wizard/{name}", data=body, headers=headers, **kwargs)


def answer_all(client, htmx: bool = False, answers: dict | None = None):
    """Walk every step; returns the last response (a redirect to the result, or an error page)."""
    token = csrf_token(client)
    response = None
    for name, data in (answers or ANSWERS).items():
        response = post_step(client, name, data, token, htmx=htmx)
        expected = (200,) if htmx else (303,)
        assert response.status_code in expected, (name, response.status_code)
    return response


def result_id_from(response, htmx: bool = False) -> str:
    location = response.headers["HX-Redirect"] if htmx else response.headers["Location"]
    match = re.search(r"/r/([A-Za-z0-9_-]+)$", location)
    assert match, location
    return match.group(1)


def saved_count(app) -> int:
    """How many results are saved."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(SavedResult))


def edit_technology(app, slug: str, **values) -> None:
    """Change a technology's columns as a curator's edit would: one new catalog version."""
    with app.app_context():
        db.session.execute(sa.update(Technology).where(Technology.slug == slug).values(**values))
        bump_version()
        db.session.commit()


@contextmanager
def count_queries(app):
    """Collect every SQL statement the app's engine runs inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


def reads(statements: list[str]) -> list[str]:
    """Statements that are queries, not SQLite's transaction bookkeeping (BEGIN IMMEDIATE)."""
    return [s for s in statements if not s.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def checked_values(html: str, name: str) -> set[str]:
    """Values of the checked inputs called `name` in a page."""
    values = set()
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and re.search(r"\schecked\b", tag):
            values.add(re.search(r'value="([^"]*)"', tag).group(1))
    return values


def fix_forms(html: str) -> list[dict]:
    """The one-click fixes a clash page offers: each form's action, button text, constraints (parsed
    from the hidden field), what-it-changes line and whether it carries a CSRF token."""
    fixes = []
    for form in re.findall(r'<li class="fix">\s*(<form.*?</form>)', html, re.S):
        value = re.search(r'<input[^>]*name="constraints"[^>]*value="([^"]*)"', form).group(1)
        fixes.append(
            {
                "action": re.search(r'action="([^"]+)"', form).group(1),
                "text": html_lib.unescape(re.search(r"<button[^>]*>(.*?)</button>", form, re.S).group(1)),
                "constraints": json.loads(html_lib.unescape(value)),
                "changes": html_lib.unescape(
                    re.sub(
                        r"<[^>]+>",
                        "",
                        re.search(r'<p class="fix-changes"[^>]*>(.*?)</p>', form, re.S).group(1),
                    )
                ).strip(),
                "csrf": bool(TOKEN_RE.search(form)),
            }
        )
    return fixes
