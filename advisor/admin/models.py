"""Curator accounts."""

from __future__ import annotations

import contextlib
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from advisor.core.clock import utcnow
from advisor.extensions import Model

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing cost grows with length; nobody types more than this
ROLES = ("curator", "admin")


class User(UserMixin, Model):
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

    def get_id(self) -> str:
        # The session names the user *and* the current session token: rotating the token (logout,
        # password change, deactivation) invalidates every session cookie issued before.
        return f"{self.id}:{self.session_token}"

    def token_matches(self, token: str) -> bool:
        return bool(self.session_token) and hmac.compare_digest(self.session_token, token)

    def ensure_session_token(self) -> None:
        if not self.session_token:
            self.rotate_session_token()

    def rotate_session_token(self) -> None:
        self.session_token = secrets.token_urlsafe(32)

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def password_needs_rehash(self) -> bool:
        try:
            return _hasher.check_needs_rehash(self.password_hash)
        except InvalidHashError:
            return True


def dummy_verify(password: str) -> None:
    """Spend the time of a real check, so that unknown emails cannot be told apart by timing."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")
