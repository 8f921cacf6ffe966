"""The radar's query: which edition to show."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from advisor.radar.service import MAX_EDITION


class EditionForm(FlaskForm):
    """`?edition=n`; absent means the latest edition (or the live radar before the first)."""

    class Meta:
        csrf = False

    edition = IntegerField(
        "Edition",
        validators=[
            Optional(),
            NumberRange(1, MAX_EDITION, message="An edition is a whole number, 1 or more."),
        ],
    )

    def error(self) -> str:
        messages = self.edition.errors
        text = messages[0] if messages else "Not a valid edition."
        # WTForms' own message for "abc" or "1.5" says nothing of what is expected.
        return text if "edition" in text else f"Not a valid edition: {text[0].lower()}{text[1:]}"
