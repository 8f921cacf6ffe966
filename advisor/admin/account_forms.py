"""Flask-WTF forms for logging in, managing curators and changing one's password."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from advisor.admin.fields import FullMatch
from advisor.admin.models import ROLES, User
from advisor.admin.passwords import password_problems
from advisor.extensions import db

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email_field(label: str = "Email", autocomplete: str = "username"):
    return EmailField(
        label,
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
        validators=[
            InputRequired("Enter an email address."),
            Length(max=254, message="That email is too long."),
            FullMatch(EMAIL_RE, message="Enter an email address like name@example.org."),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )


def _strong_password(form, field) -> None:
    """The password rules of advisor.admin.passwords, for the account being created or changed."""
    email = form.email.data if "email" in form else getattr(current_user, "email", None)
    for problem in password_problems(field.data or "", email):
        raise ValidationError(problem)


def _new_password_fields():
    password = PasswordField(
        "Password",
        render_kw={"autocomplete": "new-password"},
        validators=[InputRequired("Choose a password."), _strong_password],
    )
    confirm = PasswordField(
        "Password again",
        render_kw={"autocomplete": "new-password"},
        validators=[
            InputRequired("Type the password again."),
            EqualTo("password", message="The two passwords are not the same."),
        ],
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        render_kw={"autocomplete": "current-password"},
        validators=[InputRequired("Enter your password.")],
    )


class UserForm(FlaskForm):
    """An admin creates a curator or another admin."""

    email = _email_field(autocomplete="off")
    role = SelectField(
        "Role",
        choices=[
            SelectChoice("curator", "Curator: edits the catalog"),
            SelectChoice("admin", "Admin: also manages curators"),
        ],
        validators=[InputRequired()],
    )
    password, confirm = _new_password_fields()

    def validate_role(self, field):
        if field.data not in ROLES:
            raise ValidationError("Pick a role from the list.")

    def validate_email(self, field):
        if db.session.scalar(sa.select(User.id).where(User.email == field.data)):
            raise ValidationError("There is already an account with this email.")


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password",
        render_kw={"autocomplete": "current-password"},
        validators=[InputRequired("Enter your current password.")],
    )
    password, confirm = _new_password_fields()
