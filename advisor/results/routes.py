"""The result page behind a permalink, and re-running its answers on the current catalog.

A saved result never changes, so its page is cached publicly and revalidated by ETag. The page does
not touch the session (no CSRF token in it) so that one cached copy is right for everyone; the
re-run button, which needs a token, lives at its own URL and is fetched into the page by htmx.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, make_response, redirect, render_template, request, session, url_for

from advisor.catalog.service import published_version, snapshot
from advisor.core.cache import app_cache
from advisor.core.database import reads_only
from advisor.core.errors import error_response
from advisor.core.security import limit_result_creation
from advisor.engine import ConstraintError
from advisor.engine.vocabulary import SLOT_LABELS
from advisor.results import bp
from advisor.results.forms import RerunForm
from advisor.results.service import create_result, get_result
from advisor.wizard import labels

# A result whose catalog has since changed will always have changed: its page is final.
FINAL_MAX_AGE = 365 * 24 * 3600
# Until then a browser rechecks every few minutes, so the "catalog changed" note shows up.
FRESH_MAX_AGE = 300
NAME_SLOTS = ("framework", "database", "task_queue", "orm", "cache", "broker", "ml_library")
TEMPLATES = ("base.html", "results/show.html", "results/_rerun.html")
# The template's indentation was a quarter of the page. A run of white space that holds a line break
# renders like one line break (the page has no <pre>, <textarea> or white-space: pre), so this
# changes no rendered text. Bump PAGE_FORMAT when what is done to the rendered page changes.
_INDENTS = re.compile(r"\n\s+")
PAGE_FORMAT = 2


@bp.get("/<result_id>")
def show(result_id: str):
    """A saved result as a page; 304 when the browser already holds this version of it."""
    pages = app_cache("result_pages", 256)
    page = pages.get((result_id, published_version(), request.host_url))
    if page is None:
        with reads_only():
            saved = get_result(result_id)
            if saved is None:
                return _not_found()
            page = _render(saved, snapshot())
        pages.put((result_id, page.version, request.host_url), page)
    gzipped = request.accept_encodings["gzip"] > 0
    etag = page.etag + "-gz" if gzipped else page.etag  # strong tags differ per encoding
    if request.if_none_match.contains_weak(etag):  # proxies may weaken it (gzip)
        response = _cacheable(make_response("", 304), etag, page.changed)
    else:
        response = _cacheable(make_response(page.gzipped if gzipped else page.body), etag, page.changed)
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.last_modified = page.last_modified
    response.vary.add("Accept-Encoding")
    return response


@dataclass(frozen=True)
class _Page:
    """A result page as sent: UTF-8 bytes, their gzip, and what the headers need.

    Pages are cached per process by result, catalog version and host. A saved result never changes
    and is never deleted, so its page only depends on whether the catalog has moved on since (the
    note) and on the host (absolute URLs); a hit needs no database read beyond the catalog version,
    and no rendering, encoding or compression.
    """

    version: int  # the catalog version it was rendered against
    changed: bool
    etag: str
    last_modified: datetime
    body: bytes
    gzipped: bytes


def _render(saved, catalog) -> _Page:
    changed = catalog.version != saved.catalog_version
    html = render_template("results/show.html", page=present(saved, catalog), saved=saved,
                           changed=changed, current_version=catalog.version)
    body = _INDENTS.sub("\n", html).encode()
    # The page holds no secret (no session, no CSRF token), so compressing it leaks nothing (BREACH);
    # done once per cached page, so the best level costs nothing per request.
    return _Page(catalog.version, changed, _etag(saved, changed), _utc(saved.created_at), body,
                 gzip.compress(body, 9, mtime=0))


@bp.route("/<result_id>/rerun", methods=["GET", "POST"])
@limit_result_creation
def rerun(result_id: str):
    """Offer (GET) or run (POST) this result's answers on the current catalog: a new permalink."""
    saved = get_result(result_id)
    if saved is None:
        return _not_found()
    form = RerunForm()
    errors: dict = {}
    if form.validate_on_submit():
        try:
            fresh = create_result(saved.constraints)
        except ConstraintError as err:
            errors = err.errors
        else:
            return _redirect(url_for(".show", result_id=sa.inspect(fresh).identity[0]))
    changed = snapshot().version != saved.catalog_version
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    body = render_template("results/_rerun.html" if partial else "results/rerun.html",
                           saved=saved, form=form, changed=changed, errors=errors)
    response = make_response(body, 422 if errors and not partial else 200)
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response


def _redirect(url: str):
    if request.htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def _not_found():
    return error_response(404, "There is no result at this address. Results are kept forever, so "
                               "the link may be mistyped or cut short.")


# --- caching ----------------------------------------------------------------------------------

def _etag(saved, changed: bool) -> str:
    """Changes only when the page would: another result, the note appearing, or new templates."""
    raw = f"{saved.id}:{saved.catalog_version}:{int(changed)}:{_templates_digest()}:{PAGE_FORMAT}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _templates_digest() -> str:
    cached = current_app.extensions.get("results_templates_digest")
    if cached is None:
        digest = hashlib.sha256()
        for name in TEMPLATES:
            source, _, _ = current_app.jinja_loader.get_source(current_app.jinja_env, name)
            digest.update(source.encode())
        cached = current_app.extensions["results_templates_digest"] = digest.hexdigest()[:16]
    return cached


def _cacheable(response, etag: str, changed: bool):
    response.set_etag(etag)
    if current_app.session_interface.should_set_cookie(current_app, session):
        # Something put a cookie on this response: never let a shared cache keep it.
        response.headers["Cache-Control"] = "private, no-cache"
    elif changed:
        response.headers["Cache-Control"] = f"public, max-age={FINAL_MAX_AGE}, immutable"
    else:
        response.headers["Cache-Control"] = f"public, max-age={FRESH_MAX_AGE}"
    return response


def _utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- what the page shows ----------------------------------------------------------------------

def present(saved, catalog) -> dict:
    """The saved payload arranged for the template: rows per slot, bars, alternatives, answers."""
    payload = saved.payload
    techs = payload.get("technologies", {})
    names = {slug: t.name for slug, t in catalog.techs.items()}
    names.update({slug: t["name"] for slug, t in techs.items()})
    why = {s["slot"]: s["why"] for s in payload.get("slots", [])}
    stacks = [_stack(stack, techs, why) for stack in payload.get("stacks", [])]
    biggest = max((abs(r["points"]) for s in stacks for r in s["rows"] + s["pairs"]), default=1) or 1
    for stack in stacks:
        for row in stack["rows"] + stack["pairs"]:
            row["bar"] = round(100 * abs(row["points"]) / biggest, 1)
    alternatives = {slot: sorted(rows, key=lambda r: -r["delta"])
                    for slot, rows in payload.get("alternatives", {}).items()}
    if stacks:
        for row in stacks[0]["rows"]:
            row["alternatives"] = alternatives.get(row["slot"], [])
        for stack in stacks[1:]:
            stack["changes"] = _changes(stacks[0]["components"], stack["components"], techs)
    return {"stacks": stacks, "answers": _answers(saved.constraints, names),
            "kind": labels.label("project_kind", saved.constraints.get("project_kind", "")),
            "title": stacks[0]["name"] if stacks else "No stack"}


def _stack(stack: dict, techs: dict, why: dict) -> dict:
    tradeoffs = {t["technology"]: t for t in stack.get("tradeoffs", [])}
    rows, pairs, seen = [], [], set()
    for reason in stack.get("reasons", []):
        slot, slug = reason["slot"], reason.get("technology")
        entry = {"slot": slot, "points": reason["contribution"], "text": reason["text"]}
        if slot in seen:  # the engine lists one reason per slot first, then how pairs fit
            pairs.append(entry)
            continue
        seen.add(slot)
        tech = techs.get(slug, {}) if slug else {}
        entry.update(slug=slug, name=tech.get("name", slug), summary=tech.get("summary", ""),
                     version=tech.get("version"), why=why.get(slot, ""),
                     pros=tradeoffs.get(slug, {}).get("pros", []),
                     cons=tradeoffs.get(slug, {}).get("cons", []), alternatives=[])
        rows.append(entry)
    components = stack.get("components", {})
    key_slots = [s for s in NAME_SLOTS if s in components][:3] or list(components)[:3]
    return {"rank": stack["rank"], "score": stack["score"], "rows": rows, "pairs": pairs,
            "components": components, "changes": [],
            "name": " + ".join(techs.get(components[s], {}).get("name", components[s]) for s in key_slots),
            "parts": [techs.get(slug, {}).get("name", slug) for slug in components.values()]}


def _changes(top: dict, other: dict, techs: dict) -> list[str]:
    """How a stack differs from the first, in slot order: "Redis as message broker", "no cache"."""
    def name(slug: str) -> str:
        return techs.get(slug, {}).get("name", slug)

    lines = []
    for slot in dict.fromkeys([*top, *other]):
        label = SLOT_LABELS.get(slot, slot).lower()
        if slot not in other:
            lines.append(f"no {label}")
        elif top.get(slot) != other[slot]:
            lines.append(f"{name(other[slot])} as {label}")
    return lines


def _answers(c: dict, names: dict) -> list[tuple[str, str]]:
    """The constraints as (question, answer) lines, in words."""
    def techs(key: str) -> str:
        return ", ".join(names.get(s, s) for s in c.get(key, [])) or "None"

    priorities = [f"{labels.label('priorities', axis)} {level}/5"
                  for axis, level in (c.get("priorities") or {}).items() if level]
    return [
        ("Project", labels.label("project_kind", c.get("project_kind", ""))),
        ("Features", ", ".join(labels.label("features", f) for f in c.get("features", [])) or "None"),
        ("Data", labels.label("data_model", c.get("data_model", ""))),
        ("Scale", labels.label("scale", c.get("scale", ""))),
        ("Workload", labels.label("workload", c.get("workload", ""))),
        ("Team experience", labels.label("team_experience", c.get("team_experience", ""))),
        ("Team knows", techs("familiar_with")),
        ("Priorities", ", ".join(priorities) or "No preference"),
        ("Deployment", labels.label("deployment", c.get("deployment", ""))),
        ("Must use", techs("must_use")),
        ("Avoid", techs("avoid")),
    ]
