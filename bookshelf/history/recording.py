"""Writing the history: a change row for every create, update, delete and restore, added to
the transaction that makes the change, so that the two are committed or lost together."""

from datetime import UTC, datetime

from sqlalchemy import insert

from bookshelf.extensions import db
from bookshelf.history.models import Change

# The fields each kind of row keeps in the history: what a restore puts back (book_count
# is counted again by the triggers as the books come back, so it is only shown).
AUTHOR_FIELDS = ("name", "bio", "country", "created_at", "version", "book_count")
BOOK_FIELDS = ("title", "author_id", "created_at", "version")


def author_fields(author) -> dict:
    """An author's fields (an Author, or a row of the authors table) as the history keeps them."""
    return fields_of(author, AUTHOR_FIELDS)


def book_fields(book) -> dict:
    return fields_of(book, BOOK_FIELDS)


def fields_of(row, names: tuple[str, ...]) -> dict:
    fields = {name: getattr(row, name) for name in names}
    fields["created_at"] = fields["created_at"].isoformat()
    return fields


class ChangeSet:
    """The records of one transaction's changes, by one user at one moment.

    Every record shares the moment, which is how a restore finds the books deleted with an
    author: they are the book deletes with the author's id and the author delete's made_at.
    """

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.made_at = datetime.now(UTC)
        self.rows: list[dict] = []

    def author(self, action: str, row_id: int, before: dict | None, after: dict | None) -> None:
        self.add("author", action, row_id, row_id, before, after)

    def book(self, action: str, row_id: int, before: dict | None, after: dict | None) -> None:
        """A book's change is part of its author's history; a book moved to another author
        is part of both (the one it left is other_author_id)."""
        author_id = (after or before)["author_id"]
        left = before["author_id"] if before and after else None
        other_author_id = left if left != author_id else None
        self.add("book", action, row_id, author_id, before, after, other_author_id)

    def add(self, kind, action, row_id, author_id, before, after, other_author_id=None) -> None:
        self.rows.append(
            {
                "user_id": self.user_id,
                "made_at": self.made_at,
                "kind": kind,
                "action": action,
                "row_id": row_id,
                "author_id": author_id,
                "other_author_id": other_author_id,
                "before": before,
                "after": after,
            }
        )

    def write(self) -> None:
        """Add the records to the session's transaction, in one statement however many."""
        if self.rows:
            db.session.execute(insert(Change), self.rows)
