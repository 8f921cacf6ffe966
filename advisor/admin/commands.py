"""Flask CLI: `flask --app advisor curator create EMAIL`."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from advisor.admin.models import User
from advisor.admin.passwords import password_problems
from advisor.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(curator_cli)


curator_cli = AppGroup("curator", help="Manage curator accounts.")


@curator_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Also allowed to manage curators.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_curator(email: str, admin: bool, password_stdin: bool) -> None:
    """Create a curator; the password comes from a prompt or stdin."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = password_problems(password, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    if db.session.scalar(sa.select(User).where(User.email == email)):
        raise click.ClickException(f"{email} already exists")
    user = User(email=email, role="admin" if admin else "curator")
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {user.role} {email}")
