"""Curator accounts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from advisor.catalog.models import utcnow
from advisor.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
MIN_PASSWORD_LENGTH = 12
ROLES = ("curator", "admin")


class User(UserMixin, db.Model):
    """A curator (edits the catalog) or an admin (also manages curators)."""

    __tablename__ = "user_account"
    __table_args__ = (sa.CheckConstraint("role IN ('curator', 'admin')", name="ck_user_role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16), default="curator")
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def dummy_verify(password: str) -> None:
    """Spend the time of a real check, so that unknown emails cannot be told apart by timing."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")
