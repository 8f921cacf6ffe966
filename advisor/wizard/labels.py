"""Words people read for the vocabulary's values: a label and a one-line hint for each.

The wizard offers these as choices and the result page uses them to summarise the answers; the
values themselves come from `advisor.engine.vocabulary`, so nothing here can drift from the engine.
"""

from __future__ import annotations

from advisor.engine import vocabulary as v

PROJECT_KINDS = v.PROJECT_KIND_WORDS
FEATURES = v.FEATURE_WORDS
DATA_MODELS = v.DATA_MODEL_WORDS
SCALES = v.SCALE_WORDS
WORKLOADS = v.WORKLOAD_WORDS
TEAM_EXPERIENCE = v.TEAM_EXPERIENCE_WORDS
DEPLOYMENTS = v.DEPLOYMENT_WORDS
PRIORITIES = v.PRIORITY_WORDS
PRIORITY_LEVELS = v.PRIORITY_LEVELS

# Each constraint key as a short question, for lines that say which answer something changes.
QUESTIONS = {
    "project_kind": "Project",
    "features": "Features",
    "data_model": "Data",
    "scale": "Scale",
    "workload": "Workload",
    "team_experience": "Team experience",
    "familiar_with": "Team knows",
    "priorities": "Priorities",
    "deployment": "Deployment",
    "must_use": "Must use",
    "avoid": "Avoid",
}

_VOCABULARY = {
    "project_kind": (v.PROJECT_KINDS, PROJECT_KINDS),
    "features": (v.FEATURES, FEATURES),
    "data_model": (v.DATA_MODELS, DATA_MODELS),
    "scale": (v.SCALES, SCALES),
    "workload": (v.WORKLOADS, WORKLOADS),
    "team_experience": (v.TEAM_EXPERIENCE, TEAM_EXPERIENCE),
    "deployment": (v.DEPLOYMENTS, DEPLOYMENTS),
    "priorities": (v.PRIORITY_AXES, PRIORITIES),
}


def options(key: str) -> list[tuple[str, str, str]]:
    """(value, label, hint) for each value of a vocabulary key, in the vocabulary's order."""
    values, labels = _VOCABULARY[key]
    return [(value, *labels.get(value, (value.replace("_", " ").capitalize(), ""))) for value in values]


def label(key: str, value: str) -> str:
    """The label of one value; unknown values (an older vocabulary) read as themselves."""
    return _VOCABULARY[key][1].get(value, (str(value).replace("_", " "), ""))[0]
