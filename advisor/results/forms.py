"""Forms of the result pages."""

from flask_wtf import FlaskForm
from wtforms import Form, FormField, SelectChoice, SelectField, SelectMultipleField

from advisor.core.forms import refuse_overlap
from advisor.engine import vocabulary
from advisor.engine.vocabulary import PRIORITY_AXES

_NOT_A_PART = "'%(value)s' is not a part of these stacks."


class RerunForm(FlaskForm):
    """Re-running a result takes no input; the form carries the CSRF token."""


class _Levels(Form):
    """The six priority axes, 0 (don't care) to 5; named `priorities-<axis>` as in the wizard."""


for _axis in PRIORITY_AXES:
    setattr(
        _Levels,
        _axis,
        SelectField(
            vocabulary.RATING_LABELS[_axis],
            coerce=int,
            default=0,
            choices=[
                SelectChoice(level, f"{level} · {text}") for level, text in vocabulary.PRIORITY_LEVELS.items()
            ],
            invalid_choice_message="Choose a level from 0 (don't care) to 5 (crucial).",
        ),
    )


class WhatIfForm(FlaskForm):
    """A result's answers with other priorities, and its parts pinned (must use) or excluded (avoid).

    Re-ranking is a GET without a token (it changes nothing); saving posts the same fields with one.
    """

    priorities = FormField(_Levels, separator="-")
    must_use = SelectMultipleField("Pin", choices=[], invalid_choice_message=_NOT_A_PART)
    avoid = SelectMultipleField("Exclude", choices=[], invalid_choice_message=_NOT_A_PART)

    def set_parts(self, parts: list[dict]) -> None:
        for field in (self.must_use, self.avoid):
            field.choices = [SelectChoice(p["slug"], p["name"]) for p in parts]

    def validate_avoid(self, field) -> None:
        refuse_overlap(self.must_use, field, "Cannot be both pinned and excluded")

    def constraints(self, saved: dict) -> dict:
        """The saved answers with this form's priorities, pins and exclusions."""
        return {
            **saved,
            "priorities": dict(self.priorities.data),
            "must_use": list(self.must_use.data),
            "avoid": list(self.avoid.data),
        }
