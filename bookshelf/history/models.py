"""The changes table: who changed which author or book, when, and the fields before and after."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bookshelf.accounts.models import ID
from bookshelf.extensions import db

FIELDS = JSON().with_variant(JSONB(), "postgresql")
KINDS = ("author", "book")
ACTIONS = ("create", "update", "delete", "restore")


class Change(db.Model):
    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint(f"action IN {ACTIONS!r}", name="action"),
    )

    id: Mapped[int] = mapped_column(ID, Identity(), primary_key=True)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    user_id: Mapped[int] = mapped_column(ID, ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    row_id: Mapped[int] = mapped_column(Integer)
    # Whose history it is part of: the author, or the book's author. A book moved to another
    # author is part of both histories; the one it left is other_author_id. No foreign keys:
    # the history outlives what it records.
    author_id: Mapped[int] = mapped_column(Integer)
    other_author_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(FIELDS)
    after: Mapped[dict | None] = mapped_column(FIELDS)


Index("ix_changes_author_id_id", Change.author_id, Change.id.desc())
Index("ix_changes_other_author_id_id", Change.other_author_id, Change.id.desc())
