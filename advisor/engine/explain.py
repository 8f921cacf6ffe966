"""Ranked stacks in words and numbers: reasons that add up to the score, fits, trades and options."""

from __future__ import annotations

import math
from collections.abc import Mapping
from operator import mul

from advisor.engine import vocabulary as v
from advisor.engine.fit import Fit, axis_weights
from advisor.engine.model import Model
from advisor.engine.problem import Ranked
from advisor.engine.ranking import MAJOR_SLOTS

INSTEAD_OF_PER_SLOT = 3
INSTEAD_OF_LOOKED_AT = 6
TRADE_WORDS = 1  # gains and losses named per changed part (each)
TRADE_PARTS = 2  # changed parts named in a trade's summary
SCORE_BASIS = (
    "Each score is the stack's fit as a share of the best fit these constraints allow: 100 "
    "would be the best-fitting choice in every slot, each with its best partner. A slot "
    "counts by its weight (the framework most); parts that work well together add a little."
)


class Explainer:
    """Turns the search's stacks into the result's stacks; every score is out of the same ideal."""

    def __init__(self, model: Model, ideal: int):
        self.model = model
        self.problem = model.problem
        self.catalog = model.catalog
        self.ideal = max(1, ideal)
        self.display = [n.slot for n in model.needs]
        self.axis_weights = axis_weights(model.constraints)[0]
        self.best_fits: dict[str, list[str]] = {}
        self.texts: dict[tuple[str, str | None], tuple[str, str]] = {}
        self.priority_ratings: dict[str, tuple[int, ...]] = {}
        self.pair_texts: dict[tuple, tuple[str, str, str, str]] = {}
        # What is the same for every stack of the request, worked out once.
        total = sum(model.shares.values())
        self.weights = {s: round(100 * model.shares[s] / total, 1) for s in self.display}
        self.minor = [s for s in self.display if s not in MAJOR_SLOTS]

    def score(self, raw: int) -> float:
        return round(100 * raw / self.ideal, 2)

    def stack(self, ranked: Ranked, rank: int, top: Ranked) -> dict:
        assign = ranked.assign
        reasons = self._reasons(assign)
        score = self.score(ranked.score)
        _settle(reasons, score)
        components = {s: assign[s] for s in self.display if assign[s]}
        techs = self.catalog.techs
        fits = self.model.fits
        parts: dict[str, list[str]] = {}  # each part's slots, in display order
        for s, t in components.items():
            parts.setdefault(t, []).append(s)
        out = {
            "rank": rank,
            "score": score,
            "components": components,
            "reasons": reasons,
            "tradeoffs": [
                {
                    "technology": t,
                    "pros": list(techs[t].pros),
                    "cons": list(techs[t].cons),
                }
                for t in parts
            ],
            "fits": {s: (round(fits[(s, assign[s])], 3) if assign[s] else None) for s in self.display},
            "weights": dict(self.weights),
            "axes": self._axes(components),
            "parts": [{"technology": t, "slots": slots} for t, slots in parts.items()],
            "instead_of": self._instead_of(ranked),
        }
        if ranked is not top:
            out["trades"] = self._trades(ranked, top)
        return out

    # --- reasons ------------------------------------------------------------------------------

    def _reasons(self, assign: dict) -> list[dict]:
        reasons = []
        unary, texts = self.problem.unary, self.texts
        for slot in self.display:
            slug = assign[slot]
            key = (slot, slug)
            kind, text = texts[key] if key in texts else self._part_text(slot, slug)
            reasons.append(
                {"slot": slot, "technology": slug, "kind": kind, "points": unary[key], "text": text}
            )
        reasons.extend(self._pair_reasons(assign))
        return reasons

    def _part_text(self, slot: str, slug: str | None) -> tuple[str, str]:
        """The kind of a slot's reason and why its part fits (or why it may stay empty), in words;
        written once per part for all the stacks."""
        if slug is None:
            said = "empty", f"Left empty: {self.model.need(slot).empty_text}"
        else:
            owner = self.model.builtin.get((slot, slug))
            text = self._fit_text(slug, self.model.explain_fit(slot, slug))
            if owner:
                text = f"Built into {owner}, so nothing more to install or learn. " + text
            said = "builtin" if owner else "fit", text
        self.texts[(slot, slug)] = said
        return said

    def _fit_text(self, slug: str, f: Fit) -> str:
        name = self.catalog.techs[slug].name
        good = [s.text for s in f.signals if s.delta > 0][:3]
        bad = [s.text for s in f.signals if s.delta <= -0.02][:2]
        notes = [s.text for s in f.signals if s.delta == 0]
        text = f"{name}: " + ("; ".join(good) if good else "no strength or weakness on what you care about")
        if bad:
            text += ". Watch out: " + "; ".join(bad)
        if notes:
            text += ". Note: " + "; ".join(notes)
        return text + "."

    def _pair_reasons(self, assign: dict) -> list[dict]:
        """One reason per pair of parts earning a bonus, in the roles the catalog's rule names."""
        placed = [(s, assign[s]) for s in self.display if assign[s]]
        best: dict[frozenset, tuple[int, tuple, tuple]] = {}
        partners = self.problem.swaps.partners  # no pair of one technology with itself
        for i, p in enumerate(placed):
            mine = partners.get(p)
            if not mine:
                continue
            for q in placed[i + 1 :]:
                if points := mine.get(q):
                    techs = frozenset((p[1], q[1]))
                    if points > best.get(techs, (0,))[0]:
                        best[techs] = (points, p, q)
        out = []
        for points, p, q in best.values():
            slot, owner, partner, text = self._pair_text(p, q)
            out.append(
                {
                    "slot": slot,
                    "technology": owner,
                    "kind": "pair",
                    "partner": partner,
                    "points": points,
                    "text": text,
                }
            )
        return out

    def _pair_text(self, p: tuple, q: tuple) -> tuple[str, str, str, str]:
        """A pair's owner slot and part, partner part and words; written once for all the stacks."""
        key = (p, q)
        if key not in self.pair_texts:
            rule = self.model.pair_rules[frozenset((p, q))]
            owner, partner = (p, q) if p[1] == rule.owner else (q, p)
            role = f" as its {v.SLOT_LABELS.get(partner[0], partner[0]).lower()}" if rule.slot else ""
            names = self.catalog.techs[owner[1]].name, self.catalog.techs[partner[1]].name
            text = f"{names[0]} works well with {names[1]}{role}: {rule.reason}".rstrip()
            self.pair_texts[key] = (owner[0], owner[1], partner[1], text)
        return self.pair_texts[key]

    # --- numbers ------------------------------------------------------------------------------

    def _axes(self, components: dict) -> dict[str, float]:
        """The stack's rating on each priority axis (0-1), parts weighted as in the score."""
        shares = self.model.shares
        weights = [shares[s] for s in components]
        total = sum(weights) or 1.0
        # Each part's ratings in PRIORITY_AXES order; transposed, one column per axis.
        rows = [self._priority_ratings(t) for t in components.values()]
        columns = zip(*rows, strict=True) if rows else [()] * len(v.PRIORITY_AXES)
        return {
            axis: round((sum(map(mul, weights, column)) / total - 1) / 4, 3)
            for axis, column in zip(v.PRIORITY_AXES, columns, strict=True)
        }

    def _priority_ratings(self, tech: str) -> tuple[int, ...]:
        """A part's ratings on the priority axes, looked up once for all the stacks."""
        if tech not in self.priority_ratings:
            ratings = self.catalog.techs[tech].ratings
            self.priority_ratings[tech] = tuple(ratings.get(axis, 3) for axis in v.PRIORITY_AXES)
        return self.priority_ratings[tech]

    def _instead_of(self, ranked: Ranked) -> dict[str, list[dict]]:
        """Per slot, the best few other parts that swap in without other changes, with their cost.

        Major decisions (framework, database, ...) are not swapped here: a different one makes a
        different stack, and the ranking lists the best stack for each."""
        out = {}
        swaps = self.problem.swaps.of(ranked.assign, ranked.score)
        base = self.score(ranked.score)
        techs, ideal = self.catalog.techs, self.ideal
        for slot in self.minor:
            rows = []
            for tech, raw in swaps.best(
                slot, self._best_fits(slot), INSTEAD_OF_LOOKED_AT, INSTEAD_OF_PER_SLOT
            ):
                score = round(100 * raw / ideal, 2)
                rows.append(
                    {
                        "technology": tech,
                        "name": techs[tech].name,
                        "score": score,
                        "delta": round(score - base, 2),
                        "changes": {},
                    }
                )
            if rows:
                out[slot] = rows
        return out

    def _best_fits(self, slot: str) -> list[str]:
        """A slot's technologies, best points first (ties by slug): sorted once for all the stacks."""
        if slot not in self.best_fits:
            unary = self.problem.unary
            techs = [t for t in self.problem.candidates[slot] if t is not None]
            self.best_fits[slot] = sorted(techs, key=lambda t: (-unary[(slot, t)], t))
        return self.best_fits[slot]

    def _trades(self, ranked: Ranked, top: Ranked) -> dict:
        """What this stack gives and takes against #1, part by part, in words."""
        changes = []
        for slot in self.display:
            mine, theirs = ranked.assign[slot], top.assign[slot]
            if mine == theirs or slot not in v.CORE_SLOTS:
                continue
            change = {"slot": slot, "technology": mine, "instead_of": theirs, "gains": [], "losses": []}
            if mine and theirs:
                change["gains"], change["losses"] = _contrasts(
                    self.catalog.techs[mine].ratings, self.catalog.techs[theirs].ratings, self.axis_weights
                )
            changes.append(change)
        changes.sort(key=lambda ch: -self.model.shares[ch["slot"]])
        # A part that changes in two slots (SQS as queue and broker) is said once.
        said = list({(ch["technology"], ch["instead_of"]): ch for ch in reversed(changes)}.values())[::-1]
        return {
            "versus": 1,
            "summary": "; ".join(self._trade_words(ch) for ch in said[:TRADE_PARTS]),
            "changes": changes,
        }

    def _trade_words(self, change: dict) -> str:
        label = v.SLOT_LABELS.get(change["slot"], change["slot"]).lower()
        name = self.catalog.techs[change["technology"]].name if change["technology"] else None
        other = self.catalog.techs[change["instead_of"]].name if change["instead_of"] else None
        if name is None:
            return f"no {label} instead of {other}"
        head = f"{name} instead of {other}" if other else f"{name} as {label}"
        words = change["gains"] + change["losses"]
        return f"{head}: {', '.join(words)}" if words else head


def _contrasts(mine: Mapping, theirs: Mapping, weights: dict[str, float]) -> tuple[list[str], list[str]]:
    """The axes where one part beats or trails the other, those the project weighs most first."""
    diffs = [(axis, mine.get(axis, 3) - theirs.get(axis, 3)) for axis in v.RATING_AXES]
    ranked = sorted((d for d in diffs if d[1]), key=lambda d: (-abs(d[1]) * (1 + weights.get(d[0], 0)), d[0]))
    gains = [v.RATING_CONTRASTS[a][0] for a, d in ranked if d > 0][:TRADE_WORDS]
    losses = [v.RATING_CONTRASTS[a][1] for a, d in ranked if d < 0][:TRADE_WORDS]
    return gains, losses


def _settle(reasons: list[dict], score: float) -> None:
    """Turn points into contributions in score units that add up to the score exactly (to the cent)."""
    total = sum(r["points"] for r in reasons) or 1
    target = round(score * 100)
    exact = [r["points"] * target / total for r in reasons]
    cents = [math.floor(x) for x in exact]
    short = target - sum(cents)
    for i in sorted(range(len(reasons)), key=lambda i: (cents[i] - exact[i], i))[:short]:
        cents[i] += 1
    for reason, c in zip(reasons, cents, strict=True):
        del reason["points"]
        reason["contribution"] = c / 100
