"""The users table: curators, who sign in to edit the shelf. Readers need no account."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, DateTime, Identity, Integer, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column

from bookshelf.extensions import db

# SQLite gives only INTEGER PRIMARY KEY columns their ids by itself.
ID = BigInteger().with_variant(Integer(), "sqlite")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(ID, Identity(), primary_key=True)
    # Stored as typed, less surrounding space and in lower case, so it is unique whatever
    # the case it is typed in.
    email: Mapped[str] = mapped_column(Text, unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    disabled: Mapped[bool] = mapped_column(server_default=false())
    # In every session cookie this user holds; a new one refuses every cookie issued before
    # (signing out, a new password, disabling).
    session_token: Mapped[str] = mapped_column(Text)

    def get_id(self) -> str:
        """What the session cookie holds: the id, and the token that makes it valid."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return not self.disabled

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}>"
