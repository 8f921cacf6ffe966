"""One Flask-WTF form per wizard step; field names are the contract's constraint keys."""

from __future__ import annotations

import json

from flask_wtf import FlaskForm
from wtforms import Form, FormField, HiddenField, RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import ValidationError

from advisor.catalog.service import snapshot
from advisor.core.forms import refuse_overlap
from advisor.engine import ConstraintError, vocabulary
from advisor.engine import validate_constraints as check_constraints
from advisor.engine.constraints import DEFAULTS, MAX_SLUG_LIST
from advisor.engine.vocabulary import PRIORITY_AXES


def _choices(key: str) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label, _ in vocabulary.options(key)]


def _radio(key: str, label: str, message: str, default: str | None = None) -> RadioField:
    return RadioField(label, choices=_choices(key), default=default, invalid_choice_message=message)


def _unknown_technology(count: int) -> str:
    return "'%(value)s' is not in the catalog." if count == 1 else "'%(value)s' are not in the catalog."


class SetField(SelectMultipleField):
    """Checkboxes whose answer is a set: a value posted twice counts once (29 copies of one feature
    are that feature), and more values than `most` (default: as many as there are choices) are
    refused with `too_many` before any of them is looked up or quoted back."""

    def __init__(self, label=None, most: int | None = None, too_many: str = "", **kwargs):
        super().__init__(label, **kwargs)
        self.most, self.too_many = most, too_many

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form) -> None:
        most = self.most if self.most is not None else len(self.choices)
        if self.data and len(self.data) > most:
            raise ValidationError(self.too_many)
        super().pre_validate(form)


class TechnologiesField(SetField):
    """A set of catalog slugs, picked from checkboxes; choices are set per request."""

    def __init__(self, label=None, **kwargs):
        super().__init__(
            label,
            most=MAX_SLUG_LIST,
            too_many=f"Pick at most {MAX_SLUG_LIST} technologies.",
            choices=[],
            invalid_choice_message=_unknown_technology,
            **kwargs,
        )


class StepForm(FlaskForm):
    """A wizard step: `answers()` gives the constraint keys it sets, ready for the engine."""

    def answers(self) -> dict:
        return {name: self[name].data for name in self.field_names()}

    def valid_answers(self) -> dict:
        """The answers of the fields that passed validation (to keep what can be kept on Back)."""
        return {name: value for name, value in self.answers().items() if not self[name].errors}

    def set_technology_choices(self, choices: list[tuple[str, str]]) -> None:
        for name in self.technology_field_names():
            self[name].choices = [SelectChoice(slug, label) for slug, label in choices]

    @classmethod
    def field_names(cls) -> list[str]:
        """The constraint keys this step sets, in form order."""
        return [name for name, value in vars(cls).items() if hasattr(value, "field_class")]

    @classmethod
    def technology_field_names(cls) -> list[str]:
        return [
            name
            for name, value in vars(cls).items()
            if getattr(value, "field_class", None) is TechnologiesField
        ]


class KindForm(StepForm):
    project_kind = _radio(
        "project_kind", "What are you building?", "Choose the kind of project you are building."
    )


class FeaturesForm(StepForm):
    features = SetField(
        "Features it needs",
        choices=_choices("features"),
        too_many="Pick features from the list.",
        invalid_choice_message="'%(value)s' is not a feature we know.",
    )


class DataForm(StepForm):
    data_model = _radio(
        "data_model", "The shape of your data", "Choose how your data is shaped.", DEFAULTS["data_model"]
    )
    scale = _radio("scale", "Expected scale", "Choose the scale you expect.", DEFAULTS["scale"])
    workload = _radio(
        "workload",
        "What the app spends its time on",
        "Choose what the app spends its time on.",
        DEFAULTS["workload"],
    )


class TeamForm(StepForm):
    team_experience = _radio(
        "team_experience",
        "Your team's experience",
        "Choose your team's experience.",
        DEFAULTS["team_experience"],
    )
    familiar_with = TechnologiesField("Technologies your team already knows")


class _Priorities(Form):
    """The priority axes, each 0 (don't care) to 5; rendered as `priorities-<axis>`."""


for _axis in PRIORITY_AXES:
    setattr(
        _Priorities,
        _axis,
        RadioField(
            vocabulary.RATING_LABELS[_axis],
            coerce=int,
            default=0,
            choices=[SelectChoice(level, text) for level, text in vocabulary.PRIORITY_LEVELS.items()],
            invalid_choice_message="Choose a level from 0 (don't care) to 5 (crucial).",
        ),
    )


class PrioritiesForm(StepForm):
    priorities = FormField(_Priorities, separator="-")


class DeployForm(StepForm):
    deployment = _radio(
        "deployment", "Where it will run", "Choose where the app will run.", DEFAULTS["deployment"]
    )
    must_use = TechnologiesField("Technologies the stack must use")
    avoid = TechnologiesField("Technologies to avoid")

    def validate_avoid(self, field) -> None:
        refuse_overlap(self.must_use, field, "Cannot be both required and avoided")


class ConstraintsField(HiddenField):
    """Whole constraints JSON in a hidden input: what a suggested fix of a clash would post."""

    def _value(self) -> str:
        return json.dumps(self.data, sort_keys=True, separators=(",", ":")) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        try:
            self.data = json.loads(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError("The fix's constraints are not valid JSON.") from None


class FixForm(FlaskForm):
    """One way out of a clash. The constraints come back from the browser, so they are checked
    again here (shape and vocabulary) and by the engine (whether a stack satisfies them)."""

    constraints = ConstraintsField()

    def validate_constraints(self, field) -> None:
        if field.process_errors:  # not JSON at all: said already
            return
        if field.data is None:
            raise ValidationError("The fix carries no constraints.")
        # Every slug the catalog has ever had passes here: one archived since the fix was offered is
        # a fix that no longer works (the engine says so on the wizard's page), not a forged one.
        try:
            field.data = check_constraints(field.data, snapshot().techs.keys())
        except ConstraintError as err:
            raise ValidationError(
                " ".join(
                    message if key == "_schema" else f"{key}: {message}"
                    for key, messages in err.errors.items()
                    for message in messages
                )
            ) from None
