"""The result page as a decision tool: at a glance, the reworked result's fields (and old results
without them), the comparisons, the share card, and the landing page's start points."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from PIL import Image

from advisor.results.presets import PRESETS
from advisor.results.service import create_result
from tests.app_helpers import ROOT
from tests.result_helpers import new_payload, old_payload, save
from tests.wizard_helpers import CONSTRAINTS, HTMX, csrf_token


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def _section(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- at a glance --------------------------------------------------------------------------------


def test_each_stack_is_one_row_at_the_top_with_linked_parts_score_and_trade(app, client):
    result_id = save(app, new_payload())
    html = _html(client, f"/r/{result_id}")
    glance = _section(html, 'id="glance-heading"', 'id="stacks-heading"')
    assert html.index('id="glance-heading"') < html.index('id="stack-1"')  # before any detail
    rows = re.findall(
        r'<li class="glance-row" id="glance-(\d)">(.*?)</li>\s*(?=<li class="glance-row"|</ol>)', glance, re.S
    )
    assert [rank for rank, _ in rows] == ["1", "2", "3"]
    first, second, third = (row for _, row in rows)
    chips = re.findall(r'<a class="chip[^"]*" href="/catalog/([a-z0-9-]+)"', first)
    assert chips == [
        "django",
        "gunicorn",
        "postgresql",
        "psycopg",
        "django-orm",
        "redis",
        "celery",
    ]  # once each
    assert "92.4" in first and "of 100" in first and 'href="#stack-1"' in first
    assert "FastAPI instead of Django: async throughout, no admin" in second
    assert "Flask and MongoDB instead of Django and PostgreSQL" in third
    assert f'href="/r/{result_id}/starter/2"' in second
    assert 'chip-flagged" href="/catalog/motor"' in third and "past its end of life" in third
    assert f'href="/r/{result_id}/compare"' in html


def test_the_score_says_what_it_means(app, client):
    html = _html(client, f"/r/{save(app, new_payload())}")
    assert "Each score is the stack&#39;s fit as a share of the best fit these constraints allow." in html


def test_bars_are_each_parts_own_fit_not_relative_to_the_biggest(app, client):
    html = _html(client, f"/r/{save(app, new_payload())}")
    stack = _section(html, 'id="stack-1"', 'id="stack-2"')
    widths = re.findall(
        r'<rect class="bar-fill" width="([\d.]+)" height="6"/>\s*</svg>\s*'
        r'<span class="fit-label">fits (\d+)%',
        stack,
    )
    assert ("91.0", "91") in widths and ("50.0", "50") in widths  # the biggest is not stretched to 100
    assert ("100.0", "100") in widths  # Django's auth fits fully
    empty = _section(stack, 'class="slot slot-empty"', "</li>")
    assert "Nothing" in empty and "bar-fill" not in empty and "Left empty: PostgreSQL" in empty


def test_reasons_are_grouped_by_kind(app, client):
    stack = _section(_html(client, f"/r/{save(app, new_payload())}"), 'id="stack-1"', 'id="stack-2"')
    builtin = _section(stack, 'class="slot slot-builtin"', "</li>")
    assert "Auth" in builtin and 'class="badge">built into Django</span>' in builtin
    pairs = _section(stack, 'id="pairs-1"', "</section>")
    assert "Celery works well with Redis as its broker" in pairs
    assert "Celery works well with Redis" not in _section(stack, '<ol class="slots">', "</ol>")


def test_all_parts_names_each_technology_once_with_every_slot_it_fills(app, client):
    stack = _section(_html(client, f"/r/{save(app, new_payload())}"), 'id="stack-1"', 'id="stack-2"')
    parts = _text(_section(stack, 'class="parts"', "</p>"))
    assert parts.count("Redis") == 1 and "Redis (cache, message broker)" in parts
    assert "Django (web framework, auth)" in parts


def test_every_stack_offers_other_choices_linked_to_a_comparison(app, client):
    html = _html(client, f"/r/{save(app, new_payload())}")
    first = _section(html, 'id="stack-1"', 'id="stack-2"')
    second = _section(html, 'id="stack-2"', 'id="stack-3"')
    assert "Instead of Django" in first and 'href="/compare?t=django&amp;t=flask"' in first
    assert "also SQLAlchemy as orm" in first
    assert "Instead of FastAPI" in second and 'href="/compare?t=fastapi&amp;t=flask"' in second
    assert "&minus;7.90 points" in second


def test_warnings_and_freshness_flags_name_the_successor(app, client):
    html = _html(client, f"/r/{save(app, new_payload())}")
    warnings = _section(html, 'id="warnings-heading"', "</section>")
    assert "Motor reached its end of life" in warnings and 'href="/catalog/pymongo"' in warnings
    third = _section(html, 'id="stack-3"', "</details>")
    motor = _section(third, 'href="/catalog/motor"', "</li>\n</ul>")
    assert 'Past its end of life; successor: <a href="/catalog/pymongo">PyMongo</a>' in motor
    assert "Last release Oct 2024" in motor and "No release in 18+ months" in motor
    first = _section(html, 'id="stack-1"', 'id="stack-2"')
    assert "Last release Oct 2026" in first
    assert 'title="Fixes only until 6.0."' in first and "In maintenance mode (fixes only)" in first


def test_an_old_result_without_the_new_fields_still_renders(app, client):
    result_id = save(app, old_payload())
    html = _html(client, f"/r/{result_id}")
    assert 'id="glance-3"' in html and "92.4" in html
    assert "Unlike #1: FastAPI as web framework" in html  # computed, as before
    assert "adds up the points" in html  # the old meaning of a score
    assert "fit-label" not in html and 'id="warnings-heading"' not in html  # no fits, no warnings
    first = _section(html, 'id="stack-1"', 'id="stack-2"')
    assert "Instead of Django" in first and 'href="/compare?t=django&amp;t=flask"' in first
    assert "Celery works well with Redis" in _section(first, 'id="pairs-1"', "</section>")
    assert "Redis (cache, message broker)" in _text(_section(first, 'class="parts"', "</p>"))
    assert _html(client, f"/r/{result_id}/compare").count('class="axes-chart"') == 0
    assert client.get(f"/r/{result_id}/card.png").status_code == 200
    assert client.get(f"/r/{result_id}/starter/1").status_code == 200


def test_print_shows_the_chosen_stack_only(client, app):
    html = _html(client, f"/r/{save(app, new_payload())}")
    assert 'data-print-stack="2" hidden>Print this stack</button>' in html  # shown by results.js
    css = (ROOT / "static" / "css" / "results.css").read_text()
    printing = css.split("@media print", 1)[1]
    assert ".glance" in printing and ".side" in printing
    assert ".stack { display: none" in printing and ".stacks .stack:first-of-type" in printing
    assert ".stacks:has(.stack:target) .stack:not(:target) { display: none; }" in printing


# --- comparing the stacks -----------------------------------------------------------------------


def test_the_stacks_side_by_side_in_one_table(app, client):
    result_id = save(app, new_payload())
    response = client.get(f"/r/{result_id}/compare")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=300"
    assert "Set-Cookie" not in response.headers and "csrf" not in html.lower()
    assert html.count("<table") == 1
    head = _section(html, "<thead>", "</thead>")
    assert head.count('<th scope="col">') == 3
    rows = {
        label.strip(): row
        for label, row in re.findall(
            r'<tr class="slot-row[^"]*">\s*<th scope="row">([^<]+)(.*?)</tr>', html, re.S
        )
    }
    assert {"Web framework", "App server", "Database", "Message broker", "Process manager"} <= set(rows)
    framework = rows["Web framework"]
    assert framework.count('class="differs"') == 2 and framework.count('class="diff-mark"') == 2
    assert framework.count("(differs from #1)") == 2  # not by colour alone
    assert rows["Database"].count('class="differs"') == 1  # only MongoDB differs
    assert 'class="slot-row"' in html or 'class="slot-row row-differs"' in html
    assert rows["Process manager"].count("None") == 2


def test_per_priority_fit_is_a_small_svg_chart_with_words(app, client):
    html = _html(client, f"/r/{save(app, new_payload())}/compare")
    charts = re.findall(r'<svg class="axes-chart".*?</svg>', html, re.S)
    assert len(charts) == 3
    first = charts[0]
    assert 'role="img"' in first and 'aria-labelledby="axes-1-title axes-1-desc"' in first
    desc = re.search(r'<desc id="axes-1-desc">([^<]+)</desc>', first).group(1)
    assert "Development speed 90% (you rated it 4/5)" in desc and "Performance 55%" in desc
    assert 'width="112.0"' in first and 'width="61.6"' in first  # maturity 1.0 fills the track, 0.55 half
    assert "<script" not in _section(html, "<main", "</main>")


@pytest.mark.parametrize(
    "url", ["/r/nope123456/compare", "/r/nope123456/starter/1", "/r/nope123456/card.png"]
)
def test_unknown_results_are_404_pages(client, url):
    assert "Page not found" in _html(client, url, 404)


# --- comparing technologies ---------------------------------------------------------------------


def test_two_to_four_technologies_side_by_side(client):
    from tests.engine_helpers import seed_catalog

    html = _html(client, "/compare?t=django&t=fastapi&t=flask")
    assert html.count("<table") == 1 and _section(html, "<thead>", "</thead>").count('scope="col"') == 3
    text = _text(html)
    for words in (
        "Django vs FastAPI vs Flask",
        "Maintenance",
        "Actively maintained",
        "Latest version",
        "Last release",
        "Version range",
        seed_catalog().techs["fastapi"].version,
        "Development speed",
        "Pros",
        "Cons",
        "Rules",
        "Needs one of",
        "Works well with",
    ):
        assert words in text, words
    assert "(the highest)" in html and 'class="rating best"' in html
    assert "OpenAPI schema and interactive docs generated from the code" in text  # FastAPI's pros


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("t=django", 400, "Name two to four technologies"),
        ("t=django&t=django", 400, "this asked for 1"),
        ("t=a1&t=b1&t=c1&t=d1&t=e1", 400, "this asked for 5"),
        ("", 400, "this asked for 0"),
        ("t=django&t=no-such-thing", 404, "no technology called &#39;no-such-thing&#39;"),
        ("t=django&t=%3Cscript%3E", 404, "&lt;script&gt;"),
    ],
)
def test_compare_refuses_too_few_too_many_and_unknown_technologies(client, query, status, words):
    html = _html(client, f"/compare?{query}", status)
    assert words in html and "<script>" not in html


def test_catalog_pages_link_to_comparisons(client):
    html = _html(client, "/catalog/fastapi")
    links = re.findall(r'href="/compare\?t=fastapi&amp;t=([a-z0-9-]+)"', html)
    assert "django" in links and "flask" in links and "fastapi" not in links
    assert client.get(f"/compare?t=fastapi&t={links[0]}").status_code == 200


# --- share card ---------------------------------------------------------------------------------


def test_the_page_points_to_a_large_share_card(app, client):
    result_id = save(app, new_payload())
    html = _html(client, f"/r/{result_id}")
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image == f"http://localhost/r/{result_id}/card.png"
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{image}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert re.search(r'<meta property="og:image:alt" content="Django \+ PostgreSQL \+ Celery: Django, ', html)


def test_the_card_is_a_1200_by_630_png_made_once_and_cached_for_good(app, client):
    result_id = save(app, new_payload())
    response = client.get(f"/r/{result_id}/card.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in response.headers
    again = client.get(f"/r/{result_id}/card.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # Not one flat colour: the title, the chips and the score are drawn.
    assert len(image.convert("RGB").getcolors(1 << 16) or []) > 50


# --- start points -------------------------------------------------------------------------------


def test_the_landing_page_offers_presets_and_example_results(client):
    from advisor.results.presets import PRESETS

    html = _html(client, "/")
    assert len(PRESETS) >= 6 and sum(p.from_seeds for p in PRESETS) == 3
    for preset in PRESETS:
        assert f'href="/wizard/?preset={preset.key}"' in html and preset.title in html
    examples = re.findall(r'href="/r/example/([a-z-]+)"', html)
    assert len(examples) >= 3 and "modern-microservices" in examples
    assert html.count("recommended combination") == 3


def test_a_preset_fills_in_the_wizard_also_without_javascript(client):
    from tests.wizard_helpers import checked_values

    response = client.get("/wizard/?preset=traditional-monolith")
    assert response.status_code == 302 and response.headers["Location"].endswith("/wizard/kind")
    kind = _html(client, "/wizard/kind")
    assert checked_values(kind, "project_kind") == {"web_app"} and "Traditional monolith" in kind
    assert checked_values(_html(client, "/wizard/features"), "features") == {
        "admin_ui",
        "user_accounts",
        "background_jobs",
        "caching",
    }
    assert checked_values(_html(client, "/wizard/deploy"), "must_use") == {"django", "postgresql", "celery"}
    assert "no such start point" in _html(client, "/wizard/?preset=nope", 404)


@pytest.mark.parametrize("key", [p.key for p in PRESETS])
def test_every_preset_gives_stacks_that_honour_it(app, key):
    from advisor.results.presets import BY_KEY

    preset = BY_KEY[key]
    with app.app_context():
        payload = create_result(preset.constraints).payload
    assert len(payload["stacks"]) >= 3
    for slug in preset.constraints.get("must_use", []):
        assert all(slug in s["components"].values() for s in payload["stacks"]), (key, slug)


def test_example_results_are_made_once_per_catalog_and_reused(app, client):
    first = client.get("/r/example/modern-microservices")
    assert first.status_code == 303
    again = client.get("/r/example/modern-microservices")
    assert again.headers["Location"] == first.headers["Location"]
    other = client.get("/r/example/traditional-monolith").headers["Location"]
    assert other != first.headers["Location"]
    result_id = first.headers["Location"].rsplit("/", 1)[1]
    assert len(result_id) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", result_id)
    page = _html(client, f"/r/{result_id}")
    assert "FastAPI" in page and "microservice" in page.lower()
    assert client.get("/r/example/no-such-example").status_code == 404
    from tests.app_helpers import make_app

    stranger = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="another-secret")
    other_id = stranger.test_client().get("/r/example/modern-microservices").headers["Location"]
    assert other_id != first.headers["Location"]  # derived from the app's secret: not guessable


def test_the_saved_page_carries_no_token_and_what_if_saves_through_its_own_form(app, client):
    with app.app_context():
        result_id = create_result(CONSTRAINTS).id
    page = _html(client, f"/r/{result_id}")
    assert "csrf_token" not in page and "Save as new link" not in page
    panel = _section(page, 'id="whatif-heading"', "</section>")
    assert f'<form method="get" action="/r/{result_id}/whatif"' in panel
    assert f'hx-get="/r/{result_id}/whatif"' in panel and 'hx-target="#ranking-container"' in panel
    fragment = client.get(f"/r/{result_id}/whatif?priorities-maturity=5", headers=HTMX).get_data(as_text=True)
    assert "Save as new link" in fragment and 'name="csrf_token"' in fragment
    assert csrf_token(client, f"/r/{result_id}/whatif?priorities-maturity=5")
