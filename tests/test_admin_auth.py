"""Curator accounts: login, throttling, sessions, logout, password change and account management."""

from __future__ import annotations

import logging
import os
import time

import pytest
import sqlalchemy as sa

from advisor.admin.models import MIN_PASSWORD_LENGTH, User
from advisor.extensions import db
from tests.admin_helpers import (
    PASSWORD,
    csrf_from,
    login,
    make_user,
    token,
)
from tests.app_helpers import make_app


def _user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


# --- passwords ----------------------------------------------------------------------------------


def test_production_hashes_use_the_librarys_argon2id_defaults():
    """The tests hash cheaply (conftest); what the app itself uses is argon2's RFC 9106 profile."""
    from argon2 import DEFAULT_MEMORY_COST, DEFAULT_TIME_COST

    import advisor.admin.models as models

    assert models._DUMMY_HASH.startswith(f"$argon2id$v=19$m={DEFAULT_MEMORY_COST},t={DEFAULT_TIME_COST},")


def test_passwords_are_argon2id_hashes(app):
    make_user(app, "hash@example.org")
    user = _user(app, "hash@example.org")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")


def test_cli_creates_a_curator_who_can_log_in(app, client):
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(
            args=["curator", "create", "Cli@Example.org", "--password-stdin"], input=PASSWORD + "\n"
        )
        short = runner.invoke(
            args=["curator", "create", "short@example.org", "--password-stdin"], input="too short\n"
        )
    assert result.exit_code == 0, result.output
    assert short.exit_code != 0 and str(MIN_PASSWORD_LENGTH) in short.output
    assert login(client, "cli@example.org").status_code == 303


# --- login --------------------------------------------------------------------------------------


def test_login_page_has_the_contract_fields(client):
    page = client.get("/admin/login")
    assert page.status_code == 200
    for name in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert name in page.text
    assert 'hx-history="false"' in page.text


@pytest.mark.parametrize(
    "email, password",
    [
        ("curator@example.org", "wrong password here"),
        ("nobody@example.org", PASSWORD),
        ("inactive@example.org", PASSWORD),
    ],
)
def test_login_failures_share_one_generic_message(app, client, email, password):
    make_user(app, "curator@example.org")
    make_user(app, "inactive@example.org", active=False)
    response = login(client, email, password)
    assert response.status_code == 200
    assert "Invalid email or password." in response.text
    assert "not found" not in response.text.lower() and "deactivated" not in response.text.lower()
    assert client.get("/admin/").status_code == 302


def test_login_renews_the_session_and_logout_ends_it(app, client):
    make_user(app, "curator@example.org")
    client.get("/admin/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
        old_csrf = before.get("csrf_token")
    assert login(client, "curator@example.org").status_code == 303
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != old_csrf
        assert after.permanent
        stolen = dict(after)
    assert client.get("/admin/").status_code == 200

    response = client.post("/admin/logout", data={"csrf_token": token(client)})
    assert response.status_code == 303 and response.location.endswith("/admin/login")
    assert client.get("/admin/").status_code == 302
    # A copy of the old cookie is worthless after logout: the session token was rotated.
    with client.session_transaction() as replay:
        replay.update(stolen)
    assert client.get("/admin/").status_code == 302


def test_logout_needs_post(curator_client):
    assert curator_client.get("/admin/logout").status_code == 405
    assert curator_client.get("/admin/").status_code == 200


def test_session_lifetime_is_hours_and_cookie_flags(app, client):
    make_user(app, "curator@example.org")
    assert app.permanent_session_lifetime.total_seconds() <= 12 * 3600
    response = login(client, "curator@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session with the configured lifetime
    assert "remember_token" not in "".join(response.headers.getlist("Set-Cookie"))


def test_idle_sessions_end(curator_client):
    with curator_client.session_transaction() as sess:
        sess["seen_at"] = int(time.time()) - 31 * 60
    response = curator_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.location
    assert "inactivity" in curator_client.get(response.location).text
    assert curator_client.get("/admin/").status_code == 302


def test_sessions_end_after_the_absolute_lifetime(app, curator_client):
    with curator_client.session_transaction() as sess:
        sess["login_at"] = int(time.time() - app.permanent_session_lifetime.total_seconds() - 60)
    assert curator_client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/admin/audit", "/admin/audit"),
        ("/admin/technologies/django/edit?x=1", "/admin/technologies/django/edit?x=1"),
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/\\evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),  # harmless: stays percent-encoded
        ("/\r\nSet-Cookie: x=1", "/admin/"),  # raw control characters: refused
    ],
)
def test_next_only_goes_to_same_site_paths(app, client, target, expected):
    from urllib.parse import quote

    make_user(app, "curator@example.org")
    response = login(client, "curator@example.org", next_url=quote(target, safe=""))
    assert response.status_code == 303
    assert response.location == expected


def test_anonymous_redirect_carries_next(client):
    response = client.get("/admin/audit?page=2")
    assert response.status_code == 302
    assert response.location == "/admin/login?next=/admin/audit?page%3D2"


def test_logins_are_logged_without_passwords(app, client, caplog):
    make_user(app, "curator@example.org")
    with caplog.at_level(logging.INFO, logger="advisor.admin"):
        login(client, "curator@example.org", "a wrong password 123")
        login(client, "curator@example.org")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "login failed: curator@example.org" in text
    assert "login succeeded: curator@example.org" in text
    assert PASSWORD not in text and "a wrong password 123" not in text


# --- throttling ---------------------------------------------------------------------------------


def _limited_app(db_path, **extra):
    return make_app(f"sqlite:///{db_path}", RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute", **extra)


def test_wrong_passwords_throttle_the_account(db_path):
    app = _limited_app(db_path)
    make_user(app, "curator@example.org")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "curator@example.org", "wrong password 000").status_code == 200
    throttled = login(client, "curator@example.org")  # even the right password now waits
    assert throttled.status_code == 429
    assert "Too many login attempts" in throttled.text
    assert int(throttled.headers["Retry-After"]) > 0
    assert client.get("/admin/").status_code == 302
    # Another address cannot keep guessing this account either.
    other = app.test_client()
    other_response = login(other, "curator@example.org", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_response.status_code == 429


def test_one_address_is_throttled_across_accounts(db_path):
    app = _limited_app(db_path)
    client = app.test_client()
    for n in range(3):
        assert login(client, f"guess{n}@example.org", "wrong password 000").status_code == 200
    assert login(client, "another@example.org", "wrong password 000").status_code == 429


def test_success_clears_the_account_counter(db_path):
    app = _limited_app(db_path)
    make_user(app, "curator@example.org")
    client = app.test_client()
    for _ in range(2):
        login(client, "curator@example.org", "wrong password 000", environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert login(client, "curator@example.org", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 303
    fresh = app.test_client()
    for _ in range(2):
        assert (
            login(
                fresh, "curator@example.org", "wrong password 000", environ_base={"REMOTE_ADDR": "10.0.0.2"}
            ).status_code
            == 200
        )


def test_login_fails_closed_when_the_limiter_storage_is_down(db_path):
    app = _limited_app(db_path, LOGIN_RATE_LIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    make_user(app, "curator@example.org")
    client = app.test_client()
    response = login(client, "curator@example.org")
    assert response.status_code == 503
    assert "unavailable" in response.text
    assert client.get("/admin/").status_code == 302


def test_throttle_counters_are_shared_through_redis(db_path):
    from tests.api_helpers import reachable

    # Its own database when the run names one: a flush by another run's copy of this test would
    # clear the counters mid-test.
    url = os.environ.get("ADVISOR_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    if not reachable(url):
        pytest.skip("no Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url(url).flushdb()
    first = _limited_app(db_path, LOGIN_RATE_LIMIT_STORAGE_URI=url)
    second = _limited_app(db_path, LOGIN_RATE_LIMIT_STORAGE_URI=url)  # another worker
    make_user(first, "curator@example.org")
    for _ in range(2):
        login(first.test_client(), "curator@example.org", "wrong password 000")
    login(second.test_client(), "curator@example.org", "wrong password 000")
    assert login(first.test_client(), "curator@example.org").status_code == 429
    redis.Redis.from_url(url).flushdb()


# --- password change ----------------------------------------------------------------------------


def _change_password(client, current: str, new: str):
    return client.post(
        "/admin/account/password",
        data={
            "csrf_token": token(client, "/admin/account/password"),
            "current": current,
            "password": new,
            "confirm": new,
        },
    )


def test_password_change_checks_the_current_one_and_ends_other_sessions(app, curator_client):
    other = app.test_client()
    assert login(other, "curator@example.org").status_code == 303
    wrong = _change_password(curator_client, "not my password", "a brand new passphrase")
    assert wrong.status_code == 422 and "not your current password" in wrong.text
    short = _change_password(curator_client, PASSWORD, "short")
    assert short.status_code == 422 and "at least 12 characters" in short.text
    done = _change_password(curator_client, PASSWORD, "a brand new passphrase")
    assert done.status_code == 303
    assert curator_client.get("/admin/").status_code == 200  # this session continues
    assert other.get("/admin/").status_code == 302  # the other one ended
    assert login(app.test_client(), "curator@example.org", "a brand new passphrase").status_code == 303


# --- managing curators (admins only) ------------------------------------------------------------


def test_admin_creates_a_curator(app, admin_client):
    page = admin_client.get("/admin/users/new")
    response = admin_client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_from(page.text),
            "email": " New.Curator@Example.org ",
            "role": "curator",
            "password": "long enough passphrase",
            "confirm": "long enough passphrase",
        },
    )
    assert response.status_code == 303
    user = _user(app, "new.curator@example.org")
    assert user is not None and user.role == "curator" and user.password_hash.startswith("$argon2id$")
    assert "new.curator@example.org" in admin_client.get("/admin/users").text


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {
                "email": "not-an-email",
                "password": "long enough passphrase",
                "confirm": "long enough passphrase",
            },
            "Enter an email address",
        ),
        ({"email": "x@example.org", "password": "short", "confirm": "short"}, "at least 12 characters"),
        (
            {
                "email": "x@example.org",
                "password": "long enough passphrase",
                "confirm": "different passphrase",
            },
            "not the same",
        ),
        (
            {
                "email": "admin@example.org",
                "password": "long enough passphrase",
                "confirm": "long enough passphrase",
            },
            "already an account",
        ),
    ],
)
def test_account_form_errors_are_inline_and_keep_input(admin_client, data, message):
    page = admin_client.get("/admin/users/new")
    response = admin_client.post(
        "/admin/users/new", data={"csrf_token": csrf_from(page.text), "role": "curator", **data}
    )
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{data["email"]}"' in response.text


def test_deactivating_a_curator_ends_their_session(app, admin_client):
    make_user(app, "curator@example.org")
    curator = app.test_client()
    assert login(curator, "curator@example.org").status_code == 303
    user_id = _user(app, "curator@example.org").id
    response = admin_client.post(
        f"/admin/users/{user_id}/deactivate", data={"csrf_token": token(admin_client)}
    )
    assert response.status_code == 303
    assert curator.get("/admin/").status_code == 302
    assert "Invalid email or password." in login(app.test_client(), "curator@example.org").text
    admin_client.post(f"/admin/users/{user_id}/activate", data={"csrf_token": token(admin_client)})
    assert login(app.test_client(), "curator@example.org").status_code == 303


def test_admins_cannot_deactivate_themselves(app, admin_client):
    me = _user(app, "admin@example.org").id
    response = admin_client.post(
        f"/admin/users/{me}/deactivate", data={"csrf_token": token(admin_client)}, follow_redirects=True
    )
    assert "cannot deactivate your own account" in response.text
    assert _user(app, "admin@example.org").active


def test_curators_do_not_see_account_management(curator_client):
    page = curator_client.get("/admin/")
    assert 'href="/admin/users"' not in page.text
    assert curator_client.get("/admin/users").status_code == 403
