"""Undoing a delete: the author (with the books deleted with them) or the book comes back
with its old id and values, in one transaction that records the restore as a change.

Restores are Core INSERTs, which the ORM's key events never see, so they write the rows'
search keys (and their words) themselves.

Ids are safe to insert again: PostgreSQL's sequences have passed them, and SQLite's
AUTOINCREMENT never hands one out twice, so no new row has taken one meanwhile.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from bookshelf.accounts.models import User
from bookshelf.catalogue.models import Author, Book
from bookshelf.catalogue.writes import lock_authors
from bookshelf.extensions import db
from bookshelf.history.entries import in_utc
from bookshelf.history.models import Change
from bookshelf.history.recording import ChangeSet
from bookshelf.search import keys
from bookshelf.search.words import search_key


class RestoreRefused(Exception):
    """A delete that cannot be undone (now), and why, in words for the curator."""

    def __init__(self, message: str, author_id: int) -> None:
        super().__init__(message)
        self.message = message
        self.author_id = author_id


@dataclass(frozen=True)
class Restored:
    kind: str
    subject: str
    author_id: int
    books: int


def restore(user_id: int, change_id: int) -> Restored | None:
    """Undo the delete `change_id` records; None when there is no such change."""
    change = db.session.get(Change, change_id)
    if change is None:
        return None
    if change.action != "delete":
        raise RestoreRefused("Only a delete can be undone.", change.author_id)
    subject = change.before["name" if change.kind == "author" else "title"]
    # Nothing can follow a delete but the restore that undid it.
    undone = db.session.scalars(
        select(Change)
        .where(
            Change.author_id == change.author_id,
            Change.kind == change.kind,
            Change.row_id == change.row_id,
            Change.id > change.id,
        )
        .order_by(Change.id)
        .limit(1)
    ).first()
    if undone is not None:
        raise already_restored(subject, change.author_id, undone)
    try:
        if change.kind == "author":
            restored = restore_author(user_id, change, subject)
        else:
            restored = restore_book(user_id, change, subject)
        db.session.commit()
    except IntegrityError:
        # Another curator's restore of the same row got there first.
        db.session.rollback()
        raise RestoreRefused(f"“{subject}” is back already.", change.author_id) from None
    return restored


def already_restored(subject: str, author_id: int, restore: Change) -> RestoreRefused:
    by = db.session.get(User, restore.user_id)
    when = f"{in_utc(restore.made_at):%d %b %Y at %H:%M} UTC"
    return RestoreRefused(f"“{subject}” was already restored, on {when} by {by.email}.", author_id)


def restore_author(user_id: int, change: Change, subject: str) -> Restored:
    fields = change.before
    name_key = search_key(fields["name"])
    db.session.execute(
        insert(Author.__table__).values(
            id=change.row_id,
            name=fields["name"],
            bio=fields["bio"],
            country=fields["country"],
            created_at=datetime.fromisoformat(fields["created_at"]),
            # Past the deleted row's version, so a form opened before the delete is stale.
            version=fields["version"] + 1,
            name_key=name_key,
        )
    )
    # The author's book_count starts at 0; the triggers count the books as they come back.
    book_changes = books_deleted_with(change)
    books = [restored_book(book_change) for book_change in book_changes]
    keyed_books = [book | keys.book_keys(book["title"], name_key) for book in books]
    if books:
        db.session.execute(insert(Book.__table__), keyed_books)
    keys.remember_words(
        db.session.connection(), [name_key] + [book["title_key"] for book in keyed_books]
    )
    changes = ChangeSet(user_id)
    for book_change, book in zip(book_changes, books, strict=True):
        changes.book("restore", book_change.row_id, None, recorded(book))
    changes.author(
        "restore",
        change.row_id,
        None,
        fields | {"version": fields["version"] + 1, "book_count": len(books)},
    )
    changes.write()
    return Restored("author", subject, change.row_id, len(books))


def books_deleted_with(author_delete: Change) -> list[Change]:
    """The book deletes recorded with the author's delete: the same author, the same moment."""
    moment = select(Change.made_at).where(Change.id == author_delete.id).scalar_subquery()
    return db.session.scalars(
        select(Change)
        .where(
            Change.author_id == author_delete.row_id,
            Change.kind == "book",
            Change.action == "delete",
            Change.made_at == moment,
        )
        .order_by(Change.id)
    ).all()


def restored_book(book_delete: Change) -> dict:
    fields = book_delete.before
    return {
        "id": book_delete.row_id,
        "title": fields["title"],
        "author_id": fields["author_id"],
        "created_at": datetime.fromisoformat(fields["created_at"]),
        "version": fields["version"] + 1,
    }


def recorded(book: dict) -> dict:
    """A restored book's fields as the history keeps them."""
    fields = {name: value for name, value in book.items() if name != "id"}
    return fields | {"created_at": book["created_at"].isoformat()}


def restore_book(user_id: int, change: Change, subject: str) -> Restored:
    author_id = change.before["author_id"]
    if not lock_authors(author_id):
        raise author_gone(change, subject)
    book = restored_book(change)
    connection = db.session.connection()
    # Read after the lock, so a rename of the author committed meanwhile is seen.
    book_keys = keys.book_keys(book["title"], keys.author_name_key(connection, author_id))
    db.session.execute(insert(Book.__table__).values(**book, **book_keys))
    keys.remember_words(connection, [book_keys["title_key"]])
    changes = ChangeSet(user_id)
    changes.book("restore", change.row_id, None, recorded(book))
    changes.write()
    return Restored("book", subject, author_id, 1)


def author_gone(book_delete: Change, subject: str) -> RestoreRefused:
    """Why a book cannot come back: its author is deleted too."""
    author_delete = db.session.scalars(
        select(Change)
        .where(
            Change.author_id == book_delete.author_id,
            Change.kind == "author",
            Change.action == "delete",
        )
        .order_by(Change.id.desc())
        .limit(1)
    ).first()
    if author_delete is None:
        # Removed by something other than these pages, which the history never saw.
        return RestoreRefused(
            f"The author of “{subject}” is no longer on the shelf.", book_delete.author_id
        )
    name = author_delete.before["name"]
    if author_delete.made_at == book_delete.made_at:
        message = (
            f"“{subject}” was deleted with its author, {name}: restoring {name} "
            "brings it back with their other books."
        )
    else:
        message = (
            f"The author of “{subject}”, {name}, has been deleted since: restore {name} "
            "first, then this book."
        )
    return RestoreRefused(message, book_delete.author_id)
