"""The technology form: every field of a catalog entry, its ratings and rule subforms, and the error
summary. Account forms are in `advisor.admin.account_forms`, shared field helpers in
`advisor.admin.fields`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from advisor.admin.fields import FullMatch, VersionField
from advisor.catalog.models import Technology
from advisor.catalog.schemas import URL_RE
from advisor.engine.constraints import SLUG_RE
from advisor.engine.maintenance import STATUS_LABELS
from advisor.engine.vocabulary import (
    CAPABILITIES,
    LISTED_STATUSES,
    RATING_AXES,
    RATING_LABELS,
    RING_LABELS,
    RINGS,
    RULE_KINDS,
    SLOT_LABELS,
    SLOTS,
    TRADEOFF_LABELS,
)
from advisor.extensions import db

RULE_KIND_LABELS = {
    "requires": "requires one of",
    "conflicts": "conflicts with",
    "works_well_with": "works well with",
}
SLOT_CHOICES = [SelectChoice(s, SLOT_LABELS.get(s, s)) for s in SLOTS]
OPTIONAL_SLOT_CHOICES = [SelectChoice("", "any slot"), *SLOT_CHOICES]
MAX_LINES = 30
MAX_RULES = 40


class RowList(FieldList):
    """A group of rows (pros, rules) holding at most `max_entries`, the last one left for the spare
    empty row the page adds. More posted rows are a 400: WTForms would drop them silently, and adding
    the spare row to a full list then failed with a 500."""

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        if formdata is not None and len(set(self._extract_indices(self.name, formdata))) >= self.max_entries:
            what = TRADEOFF_LABELS.get(self.name, self.name)
            abort(400, f"Too many {what} rows were sent (at most {self.max_entries - 1}); reload the page.")
        super().process(formdata, data, extra_filters)


def _rating(axis: str):
    return IntegerField(
        RATING_LABELS.get(axis, axis),
        widget=NumberInput(min=1, max=5),
        validators=[
            InputRequired("Give a rating from 1 to 5."),
            NumberRange(1, 5, message="Ratings go from 1 (weak) to 5 (strong)."),
        ],
    )


RatingsForm = type("RatingsForm", (Form,), {axis: _rating(axis) for axis in RATING_AXES})


class RuleForm(Form):
    """One compatibility rule; the targets are picked from the catalog, never typed."""

    kind = SelectField(
        "Kind", choices=[SelectChoice(k, RULE_KIND_LABELS[k]) for k in RULE_KINDS], default="works_well_with"
    )
    targets = SelectMultipleField("Technologies", choices=[], validate_choice=False)
    slot = SelectField("In slot", choices=OPTIONAL_SLOT_CHOICES, default="")
    when_in = SelectField("Only while this fills", choices=OPTIONAL_SLOT_CHOICES, default="")
    strength = SelectField(
        "Strength",
        choices=[SelectChoice(1, "1 (slight)"), SelectChoice(2, "2"), SelectChoice(3, "3 (strong)")],
        coerce=int,
        default=2,
    )
    reason = StringField(
        "Reason shown to users", validators=[Length(max=500, message="Keep the reason under 500 characters.")]
    )

    def is_blank(self) -> bool:
        return not self.targets.data and not (self.reason.data or "").strip()


def _lines(label: str):
    return RowList(
        StringField(label, validators=[Length(max=500, message="Keep each line under 500 characters.")]),
        max_entries=MAX_LINES + 5,
    )


class TechnologyForm(FlaskForm):
    """Every field of a catalog entry. `lock_version` and `base` carry the version it was opened at."""

    slug = StringField(
        "Slug",
        validators=[
            InputRequired("Give the technology a slug."),
            Length(max=64, message="Slugs have at most 64 characters."),
            FullMatch(
                SLUG_RE,
                message="Slugs are lowercase letters, digits and dashes, starting with a letter or digit.",
            ),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    name = StringField(
        "Name",
        validators=[
            InputRequired("Give the technology a name."),
            Length(max=120, message="Names have at most 120 characters."),
        ],
    )
    aliases = StringField(
        "Other names",
        description="Separated by commas.",
        validators=[Length(max=1000, message="Too many aliases.")],
    )
    summary = StringField(
        "Summary",
        description="One line, under 140 characters if you can.",
        validators=[Length(max=280, message="Summaries have at most 280 characters.")],
    )
    description = TextAreaField(
        "Description", validators=[Length(max=5000, message="Descriptions have at most 5000 characters.")]
    )
    homepage = StringField(
        "Homepage",
        validators=[
            Optional(),
            Length(max=300, message="Homepages have at most 300 characters."),
            FullMatch(URL_RE, message="Homepages are http:// or https:// addresses."),
        ],
    )
    package = StringField("PyPI package", validators=[Length(max=120, message="At most 120 characters.")])
    version = StringField(
        "Recommended versions",
        description='PEP 440 style, e.g. ">=2.0,<3".',
        validators=[Length(max=120, message="At most 120 characters.")],
    )
    # Archiving is not a status to pick here: it is the separate archive and restore action.
    status = SelectField(
        "Status", choices=[SelectChoice(s, STATUS_LABELS[s]) for s in LISTED_STATUSES], default="active"
    )
    # The catalog's own validation (shared with imports) checks these; the form only bounds lengths.
    successor = StringField(
        "Successor",
        description="The slug of what replaces it, e.g. pymongo.",
        validators=[Length(max=64, message="Slugs have at most 64 characters.")],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    status_note = TextAreaField(
        "Status note",
        description=('One or two sentences, dated where a fact changed ("end of life on 14 May 2026").'),
        validators=[Length(max=1000, message="Status notes have at most 1000 characters.")],
    )
    latest_version = StringField(
        "Latest version",
        description="The newest release on PyPI.",
        validators=[Length(max=64, message="At most 64 characters.")],
    )
    last_release = StringField(
        "Last release",
        description="The month of that release: YYYY-MM.",
        validators=[Length(max=20, message="A month is written YYYY-MM.")],
    )
    popularity_rank = StringField(
        "Popularity rank",
        description="Rank among the most downloaded PyPI packages.",
        validators=[Length(max=20, message="A rank is a whole number.")],
    )
    ring = SelectField(
        "Radar ring",
        choices=[
            SelectChoice("", "Computed from the facts"),
            *(SelectChoice(r, RING_LABELS[r]) for r in RINGS),
        ],
        default="",
    )
    primary_slot = SelectField(
        "Primary slot",
        choices=[SelectChoice("", "Choose a slot"), *SLOT_CHOICES],
        validators=[InputRequired("Pick the slot this technology fills.")],
    )
    other_slots = SelectMultipleField("Also fills", choices=SLOT_CHOICES, validate_choice=False)
    ratings = FormField(RatingsForm)
    capabilities = SelectMultipleField(
        "Capabilities", choices=[SelectChoice(c) for c in CAPABILITIES], validate_choice=False
    )
    pros = _lines("Pro")
    cons = _lines("Con")
    best_for = _lines("Best for")
    when_to_use = _lines("When to use")
    when_to_avoid = _lines("When to avoid")
    rules = RowList(FormField(RuleForm), max_entries=MAX_RULES + 5)
    lock_version = VersionField()
    base = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: dict[str, list[str]] = {}  # errors of a whole group (pros, rules, entry)

    def validate_status(self, field):
        if field.data not in LISTED_STATUSES:
            raise ValidationError("Pick a status from the list (archiving is a separate action).")

    def validate_ring(self, field):
        if field.data and field.data not in RINGS:
            raise ValidationError("Pick a ring from the list, or let the radar compute it.")

    def validate_primary_slot(self, field):
        if field.data not in SLOTS:
            raise ValidationError("Pick a slot from the list.")

    def validate_other_slots(self, field):
        unknown = [s for s in field.data or [] if s not in SLOTS]
        if unknown:
            raise ValidationError(f"Unknown slot: {', '.join(unknown)}.")

    def validate_capabilities(self, field):
        unknown = [c for c in field.data or [] if c not in CAPABILITIES]
        if unknown:
            raise ValidationError(f"Unknown capability: {', '.join(unknown)}.")

    def validate_rules(self, field):
        if len(self.kept_rules()) > MAX_RULES:
            raise ValidationError(f"At most {MAX_RULES} rules.")

    def kept_rules(self) -> list:
        return [e for e in self.rules if not e.form.is_blank()]

    def lines(self, kind: str) -> list[str]:
        return [(e.data or "").strip() for e in self[kind] if (e.data or "").strip()]


def slug_taken(slug: str) -> bool:
    return db.session.scalar(sa.select(Technology.id).where(Technology.slug == slug)) is not None


def field_errors(form) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error in the form, for the summary at the top."""
    out: list[tuple[str, str, str]] = []

    def walk(fields, prefix: str = ""):
        for fld in fields:
            if isinstance(fld, FieldList):
                walk(fld.entries, prefix)
            elif isinstance(fld, FormField) and fld.name == "ratings":
                walk(fld.form, "Rating: ")
            elif isinstance(fld, FormField):
                walk(fld.form, f"Rule {form.rules.entries.index(fld) + 1}: ")
            elif fld.type not in ("CSRFTokenField", "HiddenField"):
                out.extend((fld.id, prefix + fld.label.text, str(message)) for message in fld.errors)
            elif fld.errors:
                out.extend(("", "Form", str(message)) for message in fld.errors)

    walk(form)
    for group, messages in getattr(form, "problems", {}).items():
        out.extend(
            (f"{group}-container", TRADEOFF_LABELS.get(group, group.capitalize()), m) for m in messages
        )
    return out
