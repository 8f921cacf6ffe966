"""How one technology connects to the rest of the catalog: its rules and the rules others hold
about it, what is built into it, and its alternatives in each slot it fills."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from advisor.engine.catalog import Catalog, Rule, Tech
from advisor.engine.vocabulary import RINGS, SLOT_LABELS


@dataclass
class Connection:
    """One rule seen from this technology's side: who is on the other side, in which roles, why."""

    others: list[Tech]
    reason: str
    role: str | None = None  # the slot the other side must fill
    while_in: str | None = None  # the slot this technology must fill for the rule to hold
    owner: str = ""
    alternatives: list[Tech] = field(default_factory=list)  # required by: what else would do


@dataclass
class Connections:
    requires: list[Connection] = field(default_factory=list)
    required_by: list[Connection] = field(default_factory=list)
    works_well_with: list[Connection] = field(default_factory=list)
    conflicts: list[Connection] = field(default_factory=list)
    built_in: list[Connection] = field(default_factory=list)  # slots it fills only alongside itself

    def __bool__(self) -> bool:
        return any((self.requires, self.required_by, self.works_well_with, self.conflicts))


def _listed(catalog: Catalog, slugs) -> list[Tech]:
    return sorted((catalog.techs[s] for s in slugs if catalog.listed(s)), key=lambda t: t.name.casefold())


def connections(catalog: Catalog, slug: str) -> Connections:
    """Every rule that names `slug`, from its side. `conflicts` and `works_well_with` are symmetric,
    so a rule another entry holds shows here as if this one held it; `requires` is not, so the
    rules that require this one are listed apart ("required by")."""
    out = Connections()
    for rule in catalog.rules_by_owner.get(slug, ()):
        if rule.kind == "requires" and rule.targets == (slug,):
            out.built_in.append(Connection([], rule.reason, rule.slot, rule.when_in, slug))
            continue
        others = _listed(catalog, (t for t in rule.targets if t != slug))
        if others:
            getattr(out, rule.kind).append(Connection(others, rule.reason, rule.slot, rule.when_in, slug))
    for rule in catalog.rules:
        if rule.owner == slug or slug not in rule.targets or not catalog.listed(rule.owner):
            continue
        owner = [catalog.techs[rule.owner]]
        if rule.kind == "requires":
            out.required_by.append(_required_by(catalog, rule, slug))
        else:
            # The owner's roles swap sides: its `when_in` is the role the other side plays here.
            getattr(out, rule.kind).append(
                Connection(owner, rule.reason, rule.when_in, rule.slot, rule.owner)
            )
    out.required_by = _merged(out.required_by)
    for group in (out.requires, out.required_by, out.works_well_with, out.conflicts):
        group.sort(key=lambda c: c.others[0].name.casefold())
    return out


def _merged(required_by: list[Connection]) -> list[Connection]:
    """One line for the entries that need it in the same way (a dozen async drivers need an async
    framework); their reasons are on their own pages, so a merged line keeps none."""
    lines: dict[tuple, Connection] = {}
    for c in required_by:
        key = (tuple(t.slug for t in c.alternatives), c.role, c.while_in)
        if key in lines:
            lines[key].others.extend(c.others)
            lines[key].reason = ""
        else:
            lines[key] = Connection(list(c.others), c.reason, c.role, c.while_in, c.owner, c.alternatives)
    for c in lines.values():
        c.others.sort(key=lambda t: t.name.casefold())
    return list(lines.values())


def _required_by(catalog: Catalog, rule: Rule, slug: str) -> Connection:
    """Another entry that needs this one (or one of its alternatives in the rule) in `rule.slot`."""
    return Connection(
        [catalog.techs[rule.owner]],
        rule.reason,
        rule.when_in,
        rule.slot,
        rule.owner,
        _listed(catalog, (t for t in rule.targets if t != slug)),
    )


def alternatives(catalog: Catalog, tech: Tech, rings: dict[str, str]) -> list[tuple[str, str, list[Tech]]]:
    """(slot, label, other listed technologies of that slot) for each slot `tech` fills, the
    radar's inner rings first."""
    order = {ring: i for i, ring in enumerate(RINGS)}
    out = []
    for slot in tech.slots:
        others = [
            catalog.techs[s] for s in catalog.by_slot.get(slot, ()) if s != tech.slug and catalog.listed(s)
        ]
        others.sort(key=lambda t: (order.get(rings.get(t.slug) or "", len(order)), t.name.casefold()))
        if others:
            out.append((slot, SLOT_LABELS.get(slot, slot), others))
    return out


def compare_url(*slugs: str) -> str:
    """/compare?t=a&t=b, the contract's comparison page."""
    return url_for("compare.technologies", t=list(slugs))
