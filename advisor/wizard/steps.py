"""The wizard's steps, the answers kept between them, and the catalog choices the pickers offer.

Answers live in the signed session cookie, so Back, reload and a browser without JavaScript all
see the same answers; they are stored in the constraints JSON's own shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, session

from advisor.catalog.service import snapshot
from advisor.engine.vocabulary import CONSTRAINT_KEYS, LISTED_STATUSES, SLOT_LABELS, SLOTS
from advisor.wizard import forms

SESSION_KEY = "wizard"


@dataclass(frozen=True)
class Step:
    name: str
    title: str  # short, for the progress list
    heading: str  # the step's question
    form: type[forms.StepForm]
    intro: str = ""

    @property
    def number(self) -> int:
        return STEPS.index(self) + 1

    @property
    def is_first(self) -> bool:
        return self is STEPS[0]

    @property
    def is_last(self) -> bool:
        return self is STEPS[-1]

    @property
    def previous(self) -> Step | None:
        return None if self.is_first else STEPS[self.number - 2]

    @property
    def next(self) -> Step | None:
        return None if self.is_last else STEPS[self.number]


STEPS: list[Step] = [
    Step(
        "kind",
        "Project",
        "What are you building?",
        forms.KindForm,
        "Pick the one that describes the project best.",
    ),
    Step(
        "features",
        "Features",
        "Which features does it need?",
        forms.FeaturesForm,
        "Tick all that apply; leave them all empty if none do.",
    ),
    Step("data", "Data and scale", "Data, scale and workload", forms.DataForm),
    Step(
        "team",
        "Team",
        "Your team",
        forms.TeamForm,
        "Technologies your team already knows get a head start in the ranking.",
    ),
    Step(
        "priorities",
        "Priorities",
        "What matters most to you?",
        forms.PrioritiesForm,
        "Rate each quality from 0 (don't care) to 5 (crucial).",
    ),
    Step("deploy", "Deployment", "Deployment, must-use and avoid", forms.DeployForm),
]
BY_NAME = {step.name: step for step in STEPS}
FIELD_STEP = {name: step for step in STEPS for name in step.form.field_names()}


# --- answers kept in the session ---------------------------------------------------------------


def answers() -> dict:
    """The answers given so far (a copy)."""
    return dict(session.get(SESSION_KEY) or {})


def save(values: dict) -> None:
    session[SESSION_KEY] = {**answers(), **values}


def load(constraints: dict) -> None:
    """Replace the answers with a saved result's constraints (for "Edit answers")."""
    session[SESSION_KEY] = {key: constraints[key] for key in CONSTRAINT_KEYS if key in constraints}


def clear() -> None:
    session.pop(SESSION_KEY, None)


def reachable(step: Step) -> bool:
    """Later steps need the one required answer, the project kind."""
    return step.is_first or "project_kind" in answers()


def constraints() -> dict:
    """The answers as constraints JSON for the engine."""
    return {key: value for key, value in answers().items() if key in CONSTRAINT_KEYS}


# --- technologies the pickers offer ------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    slug: str
    name: str
    summary: str
    slot: str
    haystack: str


def technology_choices() -> list[Choice]:
    """Listed technologies (any status but archived), each once, under its primary slot; cached
    per request."""
    if "wizard_choices" not in g:
        catalog = snapshot()
        order = {slot: i for i, slot in enumerate(SLOTS)}
        choices = []
        for tech in catalog.techs.values():
            if tech.status not in LISTED_STATUSES:
                continue
            slot = tech.slots[0] if tech.slots else "extensions"
            label = SLOT_LABELS.get(slot, slot)
            haystack = " ".join((tech.slug, tech.name, label, *tech.slots, tech.summary)).lower()
            choices.append(Choice(tech.slug, tech.name, tech.summary, slot, haystack))
        choices.sort(key=lambda c: (order.get(c.slot, len(order)), c.name.lower()))
        g.wizard_choices = choices
    return g.wizard_choices


def technology_names() -> dict[str, str]:
    return {c.slug: c.name for c in technology_choices()}


def grouped(selected: list[str] | None, query: str = "") -> list[tuple[str, str, list[Choice]]]:
    """(slot, label, choices) groups matching `query`; selected technologies always stay listed."""
    words = query.lower().split()
    chosen = set(selected or ())
    groups: dict[str, list[Choice]] = {}
    for choice in technology_choices():
        if choice.slug in chosen or all(word in choice.haystack for word in words):
            groups.setdefault(choice.slot, []).append(choice)
    return [(slot, SLOT_LABELS.get(slot, slot), items) for slot, items in groups.items()]


def make_form(step: Step, **kwargs) -> forms.StepForm:
    """The step's form with the catalog's technologies as the pickers' choices."""
    form = step.form(**kwargs)
    if step.form.technology_field_names():
        form.set_technology_choices([(c.slug, c.name) for c in technology_choices()])
    return form
