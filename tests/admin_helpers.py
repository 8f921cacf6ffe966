"""Helpers for the curator admin tests: accounts, logging in, reading forms like a browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import sqlalchemy as sa

from advisor.extensions import db

PASSWORD = "correct horse battery staple"
# Answers whose top stack leans on admin and accounts parts (Django and its own pieces).
ADMIN_HEAVY = {
    "project_kind": "web_app",
    "features": ["admin_ui", "user_accounts"],
    "data_model": "relational",
    "scale": "small",
    "team_experience": "beginner",
    "priorities": {"dev_speed": 5, "maturity": 4},
}

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def make_user(app, email: str, role: str = "curator", password: str = PASSWORD, active: bool = True):
    from advisor.admin.models import User

    with app.app_context():
        user = User(email=email, role=role, active=active)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None, **kwargs):
    page = client.get("/admin/login")
    url = "/admin/login" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url, data={"email": email, "password": password, "csrf_token": csrf_from(page.text)}, **kwargs
    )


def token(client, url: str | None = None) -> str:
    """A CSRF token for the client's session (from the login page, or the list once logged in)."""
    if url is not None:
        return csrf_from(client.get(url).text)
    page = client.get("/admin/login")
    return csrf_from(page.text if page.status_code == 200 else client.get("/admin/").text)


class _FormReader(HTMLParser):
    """Collects what a browser would submit for one form (by id): successful controls only."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.pairs = form_id, False, []
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""
        self._option_value: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.pairs.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select":
            self._select, self._options = (a.get("name"), "multiple" in a), []
        elif tag == "option" and self._select:
            self._option_value, self._option_selected = a.get("value"), "selected" in a
            self._text = ""
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._select:
            value = self._option_value if self._option_value is not None else self._text.strip()
            self._options.append((value, self._option_selected))
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [v for v, s in self._options if s]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.pairs.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The HTML parser drops one newline right after <textarea>; CRLF counts as one.
            text = self._text.replace("\r\n", "\n")
            text = text[1:] if text.startswith("\n") else text
            self.pairs.append((self._textarea, text))
            self._textarea = None
        elif tag == "form":
            self.inside = False


def read_form(html: str, form_id: str = "tech-form") -> list[tuple[str, str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.pairs


def replace(pairs, name: str, value: str) -> list[tuple[str, str]]:
    """Set a single-valued field (the first with that name)."""
    out, done = [], False
    for key, old in pairs:
        if key == name and not done:
            out.append((key, value))
            done = True
        elif key != name:
            out.append((key, old))
    if not done:
        out.append((name, value))
    return out


def field_names(pairs, prefix: str) -> list[str]:
    return [k for k, _ in pairs if k.startswith(prefix)]


def post_pairs(client, url: str, pairs, **kwargs):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(pairs), **kwargs)


def tech_row(app, slug: str):
    from advisor.catalog.models import Technology
    from advisor.catalog.service import to_entry

    with app.app_context():
        tech = db.session.scalar(sa.select(Technology).where(Technology.slug == slug))
        return (to_entry(tech), tech.lock_version) if tech else (None, None)


def audit_rows(app, slug: str | None = None):
    from advisor.catalog.models import AuditEntry

    with app.app_context():
        query = sa.select(AuditEntry).order_by(AuditEntry.id)
        if slug:
            query = query.where(AuditEntry.slug == slug)
        return [(a.actor, a.action, a.slug, a.catalog_version, a.changes) for a in db.session.scalars(query)]
