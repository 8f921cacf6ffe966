"""One Flask-WTF form per wizard step; field names are the contract's constraint keys."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, FormField, RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import ValidationError

from advisor.engine.constraints import DEFAULTS, MAX_SLUG_LIST
from advisor.engine.vocabulary import PRIORITY_AXES
from advisor.wizard import labels


def _choices(key: str) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label, _ in labels.options(key)]


def _radio(key: str, label: str, message: str, default: str | None = None) -> RadioField:
    return RadioField(label, choices=_choices(key), default=default, invalid_choice_message=message)


def _unknown_technology(count: int) -> str:
    return ("'%(value)s' is not in the catalog." if count == 1
            else "'%(value)s' are not in the catalog.")


class TechnologiesField(SelectMultipleField):
    """A set of catalog slugs, picked from checkboxes; choices are set per request."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, choices=[], invalid_choice_message=_unknown_technology, **kwargs)

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        if self.data and len(set(self.data)) > MAX_SLUG_LIST:
            raise ValidationError(f"Pick at most {MAX_SLUG_LIST} technologies.")


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
        return [name for name, value in vars(cls).items()
                if getattr(value, "field_class", None) is TechnologiesField]


class KindForm(StepForm):
    project_kind = _radio("project_kind", "What are you building?",
                          "Choose the kind of project you are building.")


class FeaturesForm(StepForm):
    features = SelectMultipleField("Features it needs", choices=_choices("features"),
                                   invalid_choice_message="'%(value)s' is not a feature we know.")


class DataForm(StepForm):
    data_model = _radio("data_model", "The shape of your data", "Choose how your data is shaped.",
                        DEFAULTS["data_model"])
    scale = _radio("scale", "Expected scale", "Choose the scale you expect.", DEFAULTS["scale"])
    workload = _radio("workload", "What the app spends its time on",
                      "Choose what the app spends its time on.", DEFAULTS["workload"])


class TeamForm(StepForm):
    team_experience = _radio("team_experience", "Your team's experience",
                             "Choose your team's experience.", DEFAULTS["team_experience"])
    familiar_with = TechnologiesField("Technologies your team already knows")


class _Priorities(Form):
    """The priority axes, each 0 (don't care) to 5; rendered as `priorities-<axis>`."""


for _axis in PRIORITY_AXES:
    setattr(_Priorities, _axis, RadioField(
        labels.PRIORITIES[_axis][0], coerce=int, default=0,
        choices=[SelectChoice(level, text) for level, text in labels.PRIORITY_LEVELS.items()],
        invalid_choice_message="Choose a level from 0 (don't care) to 5 (crucial)."))


class PrioritiesForm(StepForm):
    priorities = FormField(_Priorities, separator="-")


class DeployForm(StepForm):
    deployment = _radio("deployment", "Where it will run", "Choose where the app will run.",
                        DEFAULTS["deployment"])
    must_use = TechnologiesField("Technologies the stack must use")
    avoid = TechnologiesField("Technologies to avoid")

    def validate_avoid(self, field) -> None:
        refuse_overlap(self.must_use, field, "Cannot be both required and avoided")


def refuse_overlap(must_use, avoid, message: str) -> None:
    """A technology ticked in both `must_use` and `avoid` is an error on `avoid`, naming it."""
    both = set(avoid.data or ()) & set(must_use.data or ())
    if both:
        names = {choice.value: choice.label for choice in avoid.choices}
        raise ValidationError(f"{message}: " + ", ".join(sorted(names.get(s, s) for s in both)) + ".")
