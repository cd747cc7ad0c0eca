"""Search keys kept current by every write through the ORM: mapper events on Author and Book
work them out from the row as it is written, in the flush that writes it, so no form, seed
or test fixture can leave them out. The words of the keys a flush wrote go into the
vocabulary when it ends, in one statement. Core statements pass by these events, and write
their keys with bookshelf.search.keys.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session

from bookshelf.catalogue.models import Author, Book
from bookshelf.search import keys
from bookshelf.search.words import search_key

# Where a session holds the keys its flush has written, until the flush ends.
WRITTEN_KEYS = "search_keys_written"


def key_author(mapper, connection, author: Author) -> None:
    if author.name is not None:  # the database refuses a nameless author, keys or none
        author.name_key = search_key(author.name)


def author_inserted(mapper, connection, author: Author) -> None:
    written_keys(author).add(author.name_key)


def author_updated(mapper, connection, author: Author) -> None:
    """A renamed author's books are found by the new name, from this transaction on."""
    if inspect(author).attrs.name_key.history.has_changes():
        keys.rekey_authors_books(connection, author.id, author.name_key)
        written_keys(author).add(author.name_key)


def key_book(mapper, connection, book: Book) -> None:
    """The author's name is read through the flush's connection, not from the session: the
    session may hold the author as read before the lock the write took, and a rename
    committed since. An author added in this same flush is there already: authors are
    written before their books."""
    name_key = keys.author_name_key(connection, book.author_id)
    if name_key is None or book.title is None:
        return  # no such author, or no title: the database refuses the book, keys or none
    for column, value in keys.book_keys(book.title, name_key).items():
        setattr(book, column, value)


def book_written(mapper, connection, book: Book) -> None:
    if inspect(book).attrs.title_key.history.has_changes():
        written_keys(book).add(book.title_key)


def written_keys(row) -> set[str]:
    return object_session(row).info.setdefault(WRITTEN_KEYS, set())


def forget_written_keys(session: Session, flush_context, instances) -> None:
    """Keys left by a flush that failed were never written."""
    session.info.pop(WRITTEN_KEYS, None)


def remember_written_words(session: Session, flush_context) -> None:
    written = session.info.pop(WRITTEN_KEYS, None)
    if written:
        keys.remember_words(session.connection(), written)


LISTENERS = (
    (Author, "before_insert", key_author),
    (Author, "before_update", key_author),
    (Author, "after_insert", author_inserted),
    (Author, "after_update", author_updated),
    (Book, "before_insert", key_book),
    (Book, "before_update", key_book),
    (Book, "after_insert", book_written),
    (Book, "after_update", book_written),
    (Session, "before_flush", forget_written_keys),
    (Session, "after_flush", remember_written_words),
)


def keep_search_keys_current() -> None:
    """Listen to every ORM write of authors and books (once, however many apps are made)."""
    for target, name, listener in LISTENERS:
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
