"""A clash's ways out as the wizard offers them: the engine's suggestions, each with a one-click form
and what it would change in the answers, in words."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import vocabulary
from advisor.engine.constraints import DEFAULTS
from advisor.engine.vocabulary import PRIORITY_AXES
from advisor.wizard import forms, steps


@dataclass(frozen=True)
class Fix:
    text: str  # the engine's words: "Use SQLAlchemy instead of Django ORM"
    changes: list[tuple[str, str]]  # (question, what becomes of its answer)
    form: forms.FixForm


def offered(suggestions: list[dict], answers: dict) -> list[Fix]:
    """The engine's suggestions for a clash of `answers`, ready to show and post."""
    if not suggestions:
        return []  # most pages: no need to read the catalog's names
    names = steps.technology_names()
    return [
        Fix(
            s["text"],
            changes(answers, s["constraints"], names),
            forms.FixForm(formdata=None, constraints=s["constraints"]),
        )
        for s in suggestions
    ]


def changes(before: dict, after: dict, names: dict[str, str]) -> list[tuple[str, str]]:
    """Each answer that differs between two sets of constraints, as (question, change in words).
    Missing answers count as their defaults, so only real changes are named."""
    lines = []
    for key in vocabulary.CONSTRAINT_KEYS:
        old, new = _answer(before, key), _answer(after, key)
        if old == new or (isinstance(new, list) and set(old) == set(new)):
            continue
        if key == "priorities":
            change = ", ".join(
                f"{vocabulary.label('priorities', axis)} {new[axis]}/5 instead of {old[axis]}/5"
                for axis in PRIORITY_AXES
                if old[axis] != new[axis]
            )
        elif isinstance(new, list):
            words = (
                names
                if key in vocabulary.TECHNOLOGY_LISTS
                else {x: vocabulary.label(key, x) for x in old + new}
            )
            added = [words.get(x, x) for x in new if x not in old]
            removed = [words.get(x, x) for x in old if x not in new]
            change = ", ".join(
                ([f"adds {_join(added)}"] if added else [])
                + ([f"removes {_join(removed)}"] if removed else [])
            )
        else:
            change = vocabulary.label(key, new) + (f" instead of {vocabulary.label(key, old)}" if old else "")
        lines.append((vocabulary.CONSTRAINT_LABELS[key], change))
    return lines


def _answer(constraints: dict, key: str):
    value = constraints.get(key, DEFAULTS.get(key))
    if key == "priorities":
        return {axis: int((value or {}).get(axis, 0)) for axis in PRIORITY_AXES}
    if isinstance(value, list):
        return list(dict.fromkeys(value))
    return value


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
