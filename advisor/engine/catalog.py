"""An immutable snapshot of the catalog, built from seed-format entries."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from advisor.engine.vocabulary import LISTED_STATUSES, RATING_AXES

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Rule:
    """A compatibility rule owned by one technology."""

    owner: str
    kind: str  # requires | conflicts | works_well_with
    targets: tuple[str, ...]
    slot: str | None = None
    when_in: str | None = None  # the rule holds only while the owner fills this slot
    strength: int = 2
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Tech:
    """What the engine knows of one technology."""

    slug: str
    name: str
    slots: tuple[str, ...]
    ratings: Mapping[str, int]
    capabilities: frozenset[str]
    summary: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    status: str = "active"
    version: str | None = None
    package: str | None = None
    successor: str | None = None  # slug of what replaces it
    status_note: str | None = None
    latest_version: str | None = None
    last_release: str | None = None  # "YYYY-MM"
    popularity_rank: int | None = None  # 1 = the most downloaded package of its registry

    def rating(self, axis: str) -> int:
        return self.ratings.get(axis, 3)

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


@dataclass(frozen=True)
class Catalog:
    """Technologies by slug and their rules; `version` is the catalog version it was built from."""

    version: int
    techs: Mapping[str, Tech]
    rules: tuple[Rule, ...]
    by_slot: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rules_by_owner: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)
    _derived: dict[Callable[[Any], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def derived(self, build: Callable[[Catalog], T]) -> T:
        """`build(self)`, computed on first use and then kept. A snapshot never changes and every
        request on it shares it, so what the engine reads of it the same way for every request
        (indexes, per-technology facts) is worked out once, not per request."""
        try:
            return self._derived[build]
        except KeyError:
            return self._derived.setdefault(build, build(self))

    @classmethod
    def build(cls, version: int, techs: Iterable[Tech], rules: Iterable[Rule]) -> Catalog:
        tech_map = {t.slug: t for t in sorted(techs, key=lambda t: t.slug)}
        rule_list = tuple(r for r in rules if r.owner in tech_map)
        by_slot: dict[str, list[str]] = {}
        for tech in tech_map.values():
            for slot in tech.slots:
                by_slot.setdefault(slot, []).append(tech.slug)
        by_owner: dict[str, list[Rule]] = {}
        for rule in rule_list:
            by_owner.setdefault(rule.owner, []).append(rule)
        return cls(
            version=version,
            techs=MappingProxyType(tech_map),
            rules=rule_list,
            by_slot=MappingProxyType({s: tuple(v) for s, v in by_slot.items()}),
            rules_by_owner=MappingProxyType({o: tuple(v) for o, v in by_owner.items()}),
        )

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping], version: int = 0) -> Catalog:
        """Build from seed-format mappings (as loaded from YAML or exported from the database)."""
        techs, rules = [], []
        for entry in entries:
            ratings = entry.get("ratings") or {}
            techs.append(
                Tech(
                    slug=entry["slug"],
                    name=entry.get("name", entry["slug"]),
                    slots=tuple(entry.get("slots") or ()),
                    ratings=MappingProxyType({a: int(ratings.get(a, 3)) for a in RATING_AXES}),
                    capabilities=frozenset(entry.get("capabilities") or ()),
                    summary=entry.get("summary") or "",
                    pros=tuple(entry.get("pros") or ()),
                    cons=tuple(entry.get("cons") or ()),
                    status=entry.get("status") or "active",
                    version=entry.get("version"),
                    package=entry.get("package"),
                    successor=entry.get("successor"),
                    status_note=entry.get("status_note"),
                    latest_version=entry.get("latest_version"),
                    last_release=entry.get("last_release"),
                    popularity_rank=entry.get("popularity_rank"),
                )
            )
            for rule in entry.get("rules") or ():
                rules.append(
                    Rule(
                        owner=entry["slug"],
                        kind=rule["kind"],
                        targets=tuple(rule.get("targets") or ()),
                        slot=rule.get("slot"),
                        when_in=rule.get("when_in"),
                        strength=int(rule.get("strength") or 2),
                        reason=rule.get("reason") or "",
                    )
                )
        return cls.build(version, techs, rules)

    def active(self, slug: str) -> bool:
        tech = self.techs.get(slug)
        return tech is not None and tech.status == "active"

    def listed(self, slug: str) -> bool:
        """Shown in public listings and pickers: any status but archived."""
        tech = self.techs.get(slug)
        return tech is not None and tech.status in LISTED_STATUSES
