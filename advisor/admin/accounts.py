"""Log in and out, change your password, and (admins only) manage curator accounts."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from advisor.admin import auth, bp
from advisor.admin.account_forms import LoginForm, PasswordChangeForm, UserForm
from advisor.admin.fields import ConfirmForm
from advisor.admin.models import User
from advisor.extensions import db

log = logging.getLogger("advisor.admin.accounts")

LOGIN_ERRORS = {
    "failed": (200, "Invalid email or password."),
    "throttled": (429, "Too many login attempts. Wait a minute, then try again."),
    "unavailable": (503, "Logging in is unavailable right now. Please try again in a minute."),
}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; one generic message whatever was wrong, and throttled."""
    next_url = auth.safe_next(request.args.get("next"))
    if current_user.is_authenticated and auth.session_expired() is None:
        return redirect(next_url or url_for("admin.index"))
    form = LoginForm()
    status, error, headers = 200, None, {}
    if form.validate_on_submit():
        outcome = auth.attempt_login(form.email.data, form.password.data)
        if outcome.user is not None:
            auth.start_session(outcome.user, form.password.data)
            return redirect(next_url or url_for("admin.index"), 303)
        key = "throttled" if outcome.throttled else "unavailable" if outcome.unavailable else "failed"
        status, error = LOGIN_ERRORS[key]
        if status in (429, 503):
            headers["Retry-After"] = str(
                auth.throttle().retry_after(form.email.data, request.remote_addr or "")
                if outcome.throttled
                else 30
            )
    return render_template("admin/login.html", form=form, error=error, next_url=next_url), status, headers


@bp.post("/logout")
def logout():
    """End the session here and everywhere else this account is logged in."""
    log.info("logout: %s", current_user.email)
    auth.end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("admin.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change your own password; other sessions of the account end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        if not auth.throttle_allows(user.email):
            form.current.errors.append("Too many attempts. Wait a minute, then try again.")
        elif not user.check_password(form.current.data):
            log.warning("password change refused (wrong current password): %s", user.email)
            form.current.errors.append("That is not your current password.")
        else:
            user.set_password(form.password.data)
            user.rotate_session_token()
            auth.start_session(user, form.password.data)
            log.info("password changed: %s", user.email)
            flash("Your password has been changed. Other sessions have been logged out.", "success")
            return redirect(url_for("admin.index"), 303)
    return render_template("admin/password.html", form=form), 422 if form.errors else 200


@bp.get("/users")
@auth.admin_required
def users():
    """Every curator and admin account."""
    accounts = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("admin/users.html", users=accounts, confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@auth.admin_required
def user_new():
    """Create a curator or an admin account."""
    form = UserForm()
    if form.validate_on_submit():
        user = User(email=form.email.data, role=form.role.data)
        user.set_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        log.info("account created: %s (%s) by %s", user.email, user.role, current_user.email)
        flash(f"Created the {user.role} account {user.email}.", "success")
        return redirect(url_for("admin.users"), 303)
    return render_template("admin/user_new.html", form=form), 422 if form.errors else 200


@bp.post("/users/<int:user_id>/deactivate")
@auth.admin_required
def user_deactivate(user_id: int):
    """Stop an account from logging in; its sessions end at once."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/activate")
@auth.admin_required
def user_activate(user_id: int):
    """Let a deactivated account log in again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.users"), 303)
    user.active = active
    user.rotate_session_token()
    db.session.commit()
    log.info("account %s: %s by %s", "activated" if active else "deactivated", user.email, current_user.email)
    flash(f"{user.email} is now {'active' if active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users"), 303)
