"""The changes curators make to the shelf: each one transaction, through the ORM session,
holding the change and its record in the history.

Every write that touches an author's books first locks the authors it involves, in id
order, as the book_count triggers do: two writers then queue behind each other rather
than each holding a lock the other waits for (PostgreSQL would end one of them as a
deadlock). On SQLite the locks are no-ops, since it lets one writer in at a time anyway.
"""

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import StaleDataError

from bookshelf.catalogue.list_options import contains_pattern
from bookshelf.catalogue.models import Author, Book
from bookshelf.converters import MAX_ROW_ID
from bookshelf.extensions import db
from bookshelf.history.recording import ChangeSet, author_fields, book_fields

authors = Author.__table__
books = Book.__table__

# How many authors a move offers to pick from when what was typed names none, or several.
CANDIDATES_SHOWN = 8


def books_phrase(count: int) -> str:
    """How many books a write took away or brought back, in words."""
    return "no books" if count == 0 else "1 book" if count == 1 else f"{count:,} books"


class AuthorGone(Exception):
    """The author a book was to move to was deleted since the form named them."""


class ChangedMeanwhile(Exception):
    """The row changed (or went) since the form was opened: its version is not the form's."""


def lock_authors(*author_ids: int) -> set[int]:
    """Lock these authors' rows until the transaction ends; gives the ids that exist.

    FOR NO KEY UPDATE, as the triggers take: it lets books go on referring to the authors,
    but queues every other writer of them.
    """
    locked = (
        select(authors.c.id)
        .where(authors.c.id.in_(set(author_ids)))
        .order_by(authors.c.id)
        .with_for_update(key_share=True)
    )
    return set(db.session.scalars(locked))


def flush_unless_changed_meanwhile() -> None:
    """Send the session's UPDATE; one that finds its row at another version (changed or
    deleted since it was read, by a writer that got there first) saves nothing, and says so."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ChangedMeanwhile from None


def add_author(user_id: int, name: str, bio: str | None, country: str | None) -> int:
    """The new author's id."""
    author = Author(name=name, bio=bio, country=country)
    db.session.add(author)
    db.session.flush()
    author_id = author.id
    changes = ChangeSet(user_id)
    changes.author("create", author_id, None, author_fields(author))
    changes.write()
    db.session.commit()
    return author_id


def edit_author(user_id: int, author: Author, **fields) -> bool:
    """Save `fields` over the author as read (at its version); False when nothing changed."""
    before = author_fields(author)
    for name, value in fields.items():
        setattr(author, name, value)
    if not db.session.is_modified(author):
        return False
    flush_unless_changed_meanwhile()
    changes = ChangeSet(user_id)
    changes.author("update", author.id, before, author_fields(author))
    changes.write()
    db.session.commit()
    return True


@dataclass(frozen=True)
class DeletedAuthor:
    name: str
    books: int


def delete_author(user_id: int, author_id: int) -> DeletedAuthor | None:
    """Delete the author and their books, recording each; None when there is no such author.

    FOR UPDATE on the author keeps anyone from adding them a book meanwhile (the foreign key
    check needs a lock it conflicts with), and the books are deleted before the author, as
    the foreign key from books to authors insists.
    """
    author = db.session.execute(
        select(authors).where(authors.c.id == author_id).with_for_update()
    ).first()
    if author is None:
        return None
    changes = ChangeSet(user_id)
    deleted_books = db.session.execute(
        delete(books).where(books.c.author_id == author_id).returning(books)
    ).all()
    for book in deleted_books:
        changes.book("delete", book.id, book_fields(book), None)
    db.session.execute(delete(authors).where(authors.c.id == author_id))
    changes.author("delete", author_id, author_fields(author), None)
    changes.write()
    db.session.commit()
    return DeletedAuthor(author.name, len(deleted_books))


def add_book(user_id: int, author_id: int, title: str) -> int | None:
    """The new book's id, or None when the author is gone."""
    if not lock_authors(author_id):
        return None
    book = Book(title=title, author_id=author_id)
    db.session.add(book)
    db.session.flush()
    book_id = book.id
    changes = ChangeSet(user_id)
    changes.book("create", book_id, None, book_fields(book))
    changes.write()
    db.session.commit()
    return book_id


def edit_book(user_id: int, book: Book, title: str, author_id: int) -> bool:
    """Save the title and author over the book as read; False when nothing changed.
    Raises AuthorGone when the author it moves to was deleted since it was chosen."""
    if author_id not in lock_authors(book.author_id, author_id):
        db.session.rollback()
        raise AuthorGone
    before = book_fields(book)
    book.title = title
    book.author_id = author_id
    if not db.session.is_modified(book):
        return False
    flush_unless_changed_meanwhile()
    changes = ChangeSet(user_id)
    changes.book("update", book.id, before, book_fields(book))
    changes.write()
    db.session.commit()
    return True


def delete_book(user_id: int, author_id: int, book_id: int) -> str | None:
    """Delete the author's book; gives its title, or None when the author has no such book."""
    lock_authors(author_id)
    book = db.session.execute(
        delete(books).where(books.c.id == book_id, books.c.author_id == author_id).returning(books)
    ).first()
    if book is None:
        return None
    changes = ChangeSet(user_id)
    changes.book("delete", book.id, book_fields(book), None)
    changes.write()
    db.session.commit()
    return book.title


@dataclass(frozen=True)
class AuthorChoice:
    """Who a book moves to: the author that was meant, or, when the text named no one author,
    a few whose names match it to pick from (and how many more do)."""

    author: Author | None = None
    candidates: tuple = ()
    more: int = 0
    problem: str = ""


def choose_author(text: str, current: Author) -> AuthorChoice:
    """The author `text` names: an id, the book's current author's name, or another author's
    exact name, if only one author has it. The current author's name comes first, so that
    a book whose author is named "1984" stays with them."""
    if text == current.name:
        return AuthorChoice(current)
    if text.isascii() and text.isdigit():
        in_range = len(text) <= len(str(MAX_ROW_ID)) and int(text) <= MAX_ROW_ID
        author = db.session.get(Author, int(text)) if in_range else None
        if author is not None:
            return AuthorChoice(author)
        return candidates_for(text, f"There is no author with the id {text}.")
    named = db.session.scalars(
        select(Author).where(Author.name == text).order_by(Author.id).limit(CANDIDATES_SHOWN + 1)
    ).all()
    if len(named) == 1:
        return AuthorChoice(named[0])
    if named:
        return AuthorChoice(
            candidates=tuple(named[:CANDIDATES_SHOWN]),
            more=max(len(named) - CANDIDATES_SHOWN, 0),
            problem="Several authors have that name: choose one below, or type their id.",
        )
    return candidates_for(text, "No author has exactly that name.")


def candidates_for(text: str, problem: str) -> AuthorChoice:
    """The authors whose names contain `text`, to choose from."""
    matching = Author.name.ilike(contains_pattern(text), escape="\\")
    found = db.session.scalars(
        select(Author).where(matching).order_by(Author.name, Author.id).limit(CANDIDATES_SHOWN)
    ).all()
    if not found:
        return AuthorChoice(problem=f"{problem} Type an author’s name or id.")
    total = db.session.scalar(select(func.count()).select_from(Author).where(matching))
    return AuthorChoice(
        candidates=tuple(found),
        more=total - len(found),
        problem=f"{problem} Choose one of the authors below, or type a name or id.",
    )
