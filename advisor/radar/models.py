"""Radar editions: each published edition keeps every entry's ring and quadrant as they were."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advisor.core.clock import utcnow
from advisor.engine.vocabulary import QUADRANTS, RINGS
from advisor.extensions import Model
from advisor.radar.rings import MOVES


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class RadarEdition(Model):
    """One published edition (a "volume"): numbered 1, 2, 3... and never changed afterwards."""

    __tablename__ = "radar_edition"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str] = mapped_column(sa.String(254))
    catalog_version: Mapped[int] = mapped_column(default=0)
    entries: Mapped[list[RadarEditionEntry]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="RadarEditionEntry.id"
    )


class RadarEditionEntry(Model):
    """A technology as an edition shows it. Name and reason are copied so that the edition still
    reads as published after the catalog moves on (or archives the technology)."""

    __tablename__ = "radar_edition_entry"
    __table_args__ = (
        sa.UniqueConstraint("edition_id", "slug", name="uq_radar_entry_slug"),
        sa.CheckConstraint(_one_of("ring", RINGS), name="ck_radar_entry_ring"),
        sa.CheckConstraint(_one_of("previous_ring", RINGS), name="ck_radar_entry_previous_ring"),
        sa.CheckConstraint(_one_of("quadrant", QUADRANTS), name="ck_radar_entry_quadrant"),
        sa.CheckConstraint(_one_of("moved", MOVES), name="ck_radar_entry_moved"),
        sa.CheckConstraint(_one_of("source", ("curator", "computed")), name="ck_radar_entry_source"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("radar_edition.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(64), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    quadrant: Mapped[str] = mapped_column(sa.String(32))
    ring: Mapped[str] = mapped_column(sa.String(8))
    source: Mapped[str] = mapped_column(sa.String(10), default="computed")
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    moved: Mapped[str | None] = mapped_column(sa.String(4))
    previous_ring: Mapped[str | None] = mapped_column(sa.String(8))
    edition: Mapped[RadarEdition] = relationship(back_populates="entries")
