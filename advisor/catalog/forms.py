"""The catalog page's search and filters: a GET form, so every search has a URL to share."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Regexp

from advisor.catalog.browse import Filters
from advisor.engine.maintenance import STATUS_LABELS
from advisor.engine.vocabulary import CAPABILITIES, CAPABILITY_LABELS, LISTED_STATUSES, SLOT_LABELS, SLOTS

MAX_QUERY = 100


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CatalogSearchForm(FlaskForm):
    """`q`, `slot`, `status` and `capability`; an empty value filters nothing."""

    class Meta:
        csrf = False

    q = SearchField(
        "Search",
        filters=[_strip],
        validators=[
            Length(max=MAX_QUERY, message=f"Search for at most {MAX_QUERY} characters."),
            Regexp(r"^[^\x00-\x1f\x7f]*$", message="Control characters cannot be searched for."),
        ],
    )
    slot = SelectField(
        "Fills",
        choices=[SelectChoice("", "any slot"), *(SelectChoice(s, SLOT_LABELS.get(s, s)) for s in SLOTS)],
        default="",
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "any status"),
            *(SelectChoice(s, STATUS_LABELS[s]) for s in LISTED_STATUSES),
        ],
        default="",
    )
    capability = SelectField(
        "Capability",
        choices=[
            SelectChoice("", "any capability"),
            *(
                SelectChoice(c, CAPABILITY_LABELS[c])
                for c in sorted(CAPABILITIES, key=CAPABILITY_LABELS.__getitem__)
            ),
        ],
        default="",
    )

    def filters(self) -> Filters:
        return Filters(
            q=self.q.data or "",
            slot=self.slot.data or "",
            status=self.status.data or "",
            capability=self.capability.data or "",
        )
