"""Saved results: immutable snapshots behind unguessable permalinks."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advisor.core.clock import utcnow
from advisor.extensions import Model


def new_result_id() -> str:
    """128 random bits, URL-safe (22 characters); never sequential, reveals no count."""
    return secrets.token_urlsafe(16)


class SavedResult(Model):
    """Everything a result page shows, frozen at creation, so catalog edits never change it."""

    __tablename__ = "saved_result"
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_result_id)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    catalog_version: Mapped[int] = mapped_column(default=0)
    constraints: Mapped[dict] = mapped_column(sa.JSON)
    payload: Mapped[dict] = mapped_column(sa.JSON)
