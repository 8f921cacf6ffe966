"""From a catalog snapshot and constraints to ranked, explained stacks (the contract's result JSON)."""

from __future__ import annotations

from datetime import date

from advisor.engine import vocabulary as v
from advisor.engine.catalog import Catalog
from advisor.engine.constraints import ConstraintError, validate_constraints
from advisor.engine.explain import SCORE_BASIS, Explainer
from advisor.engine.maintenance import is_stale
from advisor.engine.model import Model, build_model
from advisor.engine.problem import Ranked
from advisor.engine.ranking import Ranking
from advisor.engine.search import upper_bound
from advisor.engine.suggest import Clash


def recommend(
    catalog: Catalog,
    raw: dict,
    k: int = 5,
    alternatives: bool = True,
    today: date | None = None,
    suggest: bool = True,
) -> dict:
    """Validate `raw`, then return the result JSON (without id and url); raise ConstraintError,
    with ways out of a clash unless `suggest` is false (they cost a few searches each)."""
    today = today or date.today()
    listed = {slug for slug, t in catalog.techs.items() if t.status in v.LISTED_STATUSES}
    constraints = validate_constraints(raw, listed)
    model = build_model(catalog, constraints, today)
    ranking = Ranking(model)
    ranked = ranking.stacks(k)
    if not ranked:
        clash = Clash(catalog, constraints, today)
        raise ConstraintError(clash.errors(), clash.suggestions() if suggest else [])
    explainer = Explainer(model, upper_bound(ranking.searcher, [n.slot for n in model.needs]))
    stacks = [explainer.stack(r, rank, ranked[0]) for rank, r in enumerate(ranked, start=1)]
    result = {
        "catalog_version": catalog.version,
        "constraints": constraints,
        "slots": [{"slot": n.slot, "optional": n.optional, "why": n.why} for n in model.needs],
        "score_basis": SCORE_BASIS,
        "warnings": _warnings(model, ranked),
        "stacks": stacks,
        "technologies": _technologies(catalog, stacks, today),
    }
    if alternatives:
        result["alternatives"] = stacks[0]["instead_of"]
    return result


def _warnings(model: Model, ranked: list[Ranked]) -> list[dict]:
    """Parts kept only because the constraints must use them although they are past their end of
    life or deprecated: say so, with what replaces them."""
    out = []
    present = dict.fromkeys(t for r in ranked for t in r.assign.values() if t)
    for slug in present:
        tech = model.catalog.techs[slug]
        if tech.status not in ("end_of_life", "archived", "deprecated"):
            continue
        successor = model.catalog.techs.get(tech.successor) if tech.successor else None
        words = "is past its end of life" if tech.status != "deprecated" else "is deprecated"
        text = f"{tech.name} {words}"
        if tech.status_note:
            text += f" ({tech.status_note.rstrip('.')})"
        text += f"; {successor.name} replaces it." if successor else "."
        out.append({"technology": slug, "successor": tech.successor, "text": text})
    return out


def _technologies(catalog: Catalog, stacks: list[dict], today: date) -> dict:
    """Every technology the result names, as it was: names, versions and maintenance facts."""
    slugs = {t for s in stacks for t in s["components"].values()}
    slugs |= {row["technology"] for s in stacks for rows in s["instead_of"].values() for row in rows}
    slugs |= {catalog.techs[s].successor for s in list(slugs) if catalog.techs[s].successor}
    out = {}
    for slug in sorted(s for s in slugs if s in catalog.techs):
        t = catalog.techs[slug]
        out[slug] = {
            "name": t.name,
            "summary": t.summary,
            "version": t.version,
            "status": t.status,
            "successor": t.successor,
            "latest_version": t.latest_version,
            "last_release": t.last_release,
            "stale": is_stale(t.last_release, today),
            "status_note": t.status_note,
            "package": t.package,
        }
    return out
