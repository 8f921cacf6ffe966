"""New passwords (OWASP ASVS 4.0 level 2, section 2.1): at least 12 characters once runs of spaces
count as one, not a common or breached-looking password, not containing the email; any character
and long passphrases welcome; the same rules in the CLI, the password change and user creation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from advisor.admin.models import User
from advisor.admin.passwords import password_problems
from advisor.extensions import db
from tests.admin_helpers import PASSWORD, token

EMAIL = "new.curator@example.org"
REFUSED = [
    ("password1234", "common"),
    (" " * 12, "at least 12"),
    ("qwertyuiop123", "common"),
    ("abcdefghijkl", "guess"),
    ("xxxxxxxxxxxxxxxx", "guess"),
    (EMAIL, "email"),
    (f"my {EMAIL.upper()} pass!", "email"),
    ("a" + " " * 10 + "b", "at least 12"),
    ("short", "at least 12"),
]
ACCEPTED = [
    "correct horse battery staple",
    "a fairly long pass phrase 42",
    "Tr0ub4dor&3xyz",
    "zq8#Lm2!vR9p",
    "passphrase with ünïcode and 🐍 emoji",
    # 150 characters: length is welcome (judged on its first 72 for guessability)
    "when the northern trains run late we read old maps of harbours, count gulls on the pier, "
    "and argue about which lighthouse keeper kept the best tea",
]


@pytest.mark.parametrize(
    ("password", "word"), REFUSED, ids=[w + "-" + str(i) for i, (_, w) in enumerate(REFUSED)]
)
def test_weak_passwords_are_refused_with_a_clear_reason(password, word):
    problems = password_problems(password, EMAIL)
    assert problems and any(word in p.lower() for p in problems), problems


@pytest.mark.parametrize("password", ACCEPTED)
def test_strong_passwords_are_accepted(password):
    assert password_problems(password, EMAIL) == []


@pytest.mark.parametrize(("password", "word"), REFUSED[:6] + REFUSED[7:8])
def test_the_cli_refuses_weak_passwords(app, runner, password, word):
    result = runner.invoke(args=["curator", "create", EMAIL, "--password-stdin"], input=password + "\n")
    assert result.exit_code != 0
    assert word in result.output.lower(), result.output
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == EMAIL)) is None


def test_the_cli_accepts_a_strong_password(app, runner):
    result = runner.invoke(
        args=["curator", "create", EMAIL, "--password-stdin"], input="a fairly long pass phrase 42\n"
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("password", "word"), [("password1234", "common"), ("curator@example.org!!", "email")]
)
def test_changing_to_a_weak_password_is_refused(app, curator_client, password, word):
    csrf = token(curator_client, "/admin/account/password")
    response = curator_client.post(
        "/admin/account/password",
        data={"csrf_token": csrf, "current": PASSWORD, "password": password, "confirm": password},
    )
    assert response.status_code == 422
    assert word in response.text.lower()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "curator@example.org"))
        assert user.check_password(PASSWORD)


def _new_curator(admin_client, password: str):
    return admin_client.post(
        "/admin/users/new",
        data={
            "csrf_token": token(admin_client, "/admin/users/new"),
            "email": EMAIL,
            "role": "curator",
            "password": password,
            "confirm": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "word"), [("password1234", "common"), (f"{EMAIL}2024", "email"), (" " * 12, "at least 12")]
)
def test_creating_a_user_with_a_weak_password_is_refused(app, admin_client, password, word):
    response = _new_curator(admin_client, password)
    assert response.status_code == 422
    assert word in response.text.lower()
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == EMAIL)) is None


def test_creating_a_user_with_a_strong_password_works(app, admin_client):
    response = _new_curator(admin_client, "a fairly long pass phrase 42")
    assert response.status_code == 303


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_password_page_explains_a_refusal_in_the_browser(app, live_server, browser, width):
    from tests.admin_helpers import make_user
    from tests.app_helpers import screenshot

    make_user(app, "curator@example.org")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        base = live_server.url
        page.goto(base + "/admin/login")
        page.fill("#email", "curator@example.org")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(base + "/admin/")
        page.goto(base + "/admin/account/password")
        page.fill("#current", PASSWORD)
        page.fill("#password", "password1234")
        page.fill("#confirm", "password1234")
        page.get_by_role("button", name="Change password").click()
        error = page.get_by_text("This password is too easy to guess", exact=False).first
        assert error.is_visible()
        assert "very common password" in page.content()
        screenshot(page, f"admin-password-refused-{width}")
    finally:
        context.close()
