"""The catalog: technologies, the slots they fill, ratings, capabilities, tradeoffs and rules."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor.core.clock import utcnow
from advisor.engine.vocabulary import RATING_AXES, RINGS, RULE_KINDS, STATUSES, TRADEOFF_KINDS
from advisor.extensions import Model, db


def _rating_column() -> Mapped[int]:
    return mapped_column(sa.SmallInteger, default=3)


class CatalogState(Model):
    """A single row holding the catalog version; every catalog write bumps it."""

    __tablename__ = "catalog_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Technology(Model):
    """One technology of the catalog; `lock_version` guards against lost updates."""

    __tablename__ = "technology"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="ck_tech_status"
        ),
        sa.CheckConstraint("popularity_rank >= 1", name="ck_tech_popularity_rank"),
        sa.CheckConstraint("ring IN (" + ", ".join(f"'{r}'" for r in RINGS) + ")", name="ck_tech_ring"),
        *(
            sa.CheckConstraint(f"rating_{axis} BETWEEN 1 AND 5", name=f"ck_tech_rating_{axis}")
            for axis in RATING_AXES
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.String(280), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    homepage: Mapped[str | None] = mapped_column(sa.String(300))
    package: Mapped[str | None] = mapped_column(sa.String(120))
    version_range: Mapped[str | None] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    # A slug rather than a foreign key: technologies are never deleted (only archived), and the
    # catalog validates successors on every write, as it does rule targets.
    successor: Mapped[str | None] = mapped_column(sa.String(64))
    status_note: Mapped[str | None] = mapped_column(sa.String(1000))
    latest_version: Mapped[str | None] = mapped_column(sa.String(64))
    last_release: Mapped[str | None] = mapped_column(sa.String(7))  # "YYYY-MM"
    popularity_rank: Mapped[int | None] = mapped_column()
    ring: Mapped[str | None] = mapped_column(sa.String(8))  # the curators' radar ring; None: computed
    aliases: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rating_dev_speed: Mapped[int] = _rating_column()
    rating_performance: Mapped[int] = _rating_column()
    rating_maturity: Mapped[int] = _rating_column()
    rating_flexibility: Mapped[int] = _rating_column()
    rating_simplicity: Mapped[int] = _rating_column()
    rating_typing: Mapped[int] = _rating_column()
    rating_scalability: Mapped[int] = _rating_column()
    rating_ecosystem: Mapped[int] = _rating_column()
    rating_learnability: Mapped[int] = _rating_column()
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    slots: Mapped[list[TechnologySlot]] = relationship(
        back_populates="technology", cascade="all, delete-orphan", order_by="TechnologySlot.position"
    )
    capabilities: Mapped[list[TechnologyCapability]] = relationship(
        back_populates="technology", cascade="all, delete-orphan", order_by="TechnologyCapability.name"
    )
    tradeoffs: Mapped[list[Tradeoff]] = relationship(
        back_populates="technology",
        cascade="all, delete-orphan",
        order_by="(Tradeoff.kind, Tradeoff.position)",
    )
    rules: Mapped[list[CompatibilityRule]] = relationship(
        back_populates="source",
        cascade="all, delete-orphan",
        order_by="CompatibilityRule.position",
        foreign_keys="CompatibilityRule.source_id",
    )

    __mapper_args__ = {"version_id_col": lock_version}

    def ratings(self) -> dict[str, int]:
        return {axis: getattr(self, f"rating_{axis}") for axis in RATING_AXES}

    def set_ratings(self, ratings: dict[str, int]) -> None:
        for axis in RATING_AXES:
            setattr(self, f"rating_{axis}", ratings[axis])


class TechnologySlot(Model):
    """A slot a technology can fill; position 0 is its primary slot."""

    __tablename__ = "technology_slot"
    __table_args__ = (sa.UniqueConstraint("technology_id", "slot", name="uq_tech_slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    technology_id: Mapped[int] = mapped_column(sa.ForeignKey("technology.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(sa.String(40), index=True)
    position: Mapped[int] = mapped_column(default=0)
    technology: Mapped[Technology] = relationship(back_populates="slots")


class TechnologyCapability(Model):
    """A capability a technology has (admin UI, websockets, async, ...)."""

    __tablename__ = "technology_capability"
    __table_args__ = (sa.UniqueConstraint("technology_id", "name", name="uq_tech_capability"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    technology_id: Mapped[int] = mapped_column(sa.ForeignKey("technology.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(40))
    technology: Mapped[Technology] = relationship(back_populates="capabilities")


class Tradeoff(Model):
    """One line of a technology's pros, cons, best-for, when-to-use or when-to-avoid."""

    __tablename__ = "tradeoff"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in TRADEOFF_KINDS) + ")", name="ck_tradeoff_kind"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    technology_id: Mapped[int] = mapped_column(sa.ForeignKey("technology.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(500))
    technology: Mapped[Technology] = relationship(back_populates="tradeoffs")


rule_target = sa.Table(
    "rule_target",
    db.metadata,
    sa.Column("rule_id", sa.ForeignKey("compatibility_rule.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("technology_id", sa.ForeignKey("technology.id", ondelete="RESTRICT"), primary_key=True),
)


class CompatibilityRule(Model):
    """requires (any of the targets) / conflicts / works_well_with, with a strength and a reason."""

    __tablename__ = "compatibility_rule"
    __table_args__ = (
        sa.CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in RULE_KINDS) + ")", name="ck_rule_kind"),
        sa.CheckConstraint("strength BETWEEN 1 AND 3", name="ck_rule_strength"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("technology.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    slot: Mapped[str | None] = mapped_column(sa.String(40))
    owner_slot: Mapped[str | None] = mapped_column(sa.String(40))
    strength: Mapped[int] = mapped_column(sa.SmallInteger, default=2)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[Technology] = relationship(back_populates="rules", foreign_keys=[source_id])
    targets: Mapped[list[Technology]] = relationship(secondary=rule_target, order_by="Technology.slug")


class AuditEntry(Model):
    """One catalog write: who, when, what, and each changed field's old and new value."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(20))
    slug: Mapped[str] = mapped_column(sa.String(64), index=True)
    technology_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("technology.id", ondelete="SET NULL"), index=True
    )
    catalog_version: Mapped[int] = mapped_column(default=0)
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
