"""Form pieces every admin screen shares: page numbers and version markers read safely (a damaged
one is a 400, never a 500), a regular expression matched against the whole value, and the form of
buttons that only need the CSRF token."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import Regexp, ValidationError

MAX_PAGE = 1_000_000


def page_number(args) -> int:
    """The `page` query argument (1 when absent); anything that is not a page is a 400 naming it
    (a page of 2**63 used to reach the database as an OFFSET it could not hold)."""
    raw = args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 7 and 1 <= int(raw) <= MAX_PAGE):
        abort(400, f"page: page numbers go from 1 to {MAX_PAGE:,}.")
    return int(raw)


def version_number(text: str | None) -> int | None:
    """A form's version marker as a number, None when there is none; a damaged one is a 400 (int() of
    5,000 digits raised a 500)."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        abort(400, "lock_version: the form's version marker is damaged; reload the page and edit again.")
    return int(text)


class VersionField(HiddenField):
    """The catalog version a form was opened at (optimistic locking)."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        version_number(self.data)


class FullMatch(Regexp):
    """WTForms' Regexp over the whole value: with `match`, "$" also accepts a trailing newline."""

    def __call__(self, form, field):
        if self.regex.fullmatch(field.data or "") is None:
            raise ValidationError(self.message)


class ConfirmForm(FlaskForm):
    """Buttons that only need the CSRF token (logout, archive, deactivate)."""
