"""Writing the search keys (bookshelf.search.words) beside the names and titles they come
from, and the search vocabulary: the words near spellings are drawn from.

The ORM's writes get their keys from bookshelf.search.key_events; the Core statements that
restore deleted rows and load big shelves use what is here.
"""

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bookshelf.catalogue.models import Author, Book, SearchWord
from bookshelf.search.words import LONGEST_WORD_BYTES, book_search_text, search_key

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
authors = Author.__table__
books = Book.__table__
# Enough to hold every title the synthetic shelf makes from its patterns (about 100,000),
# so a load of a million books works out each title's key once.
KEYS_REMEMBERED = 2**17


def remember_words(connection: Connection, keys: Iterable[str]) -> None:
    """Add the words of these search keys to the vocabulary, leaving those it has; in the
    caller's transaction, in word order, so two writers never wait on each other in turn."""
    words = sorted(
        {word for key in keys for word in key.split() if len(word.encode()) <= LONGEST_WORD_BYTES}
    )
    if words:
        insert = INSERTS[connection.dialect.name](SearchWord.__table__)
        connection.execute(insert.on_conflict_do_nothing(), [{"word": word} for word in words])


def author_name_key(connection: Connection, author_id: int) -> str | None:
    """The search key of the author's name as the transaction sees it (None when there is no
    such author). Worked out from the name, so it is right even for a row written before
    the keys were."""
    name = connection.scalar(select(authors.c.name).where(authors.c.id == author_id))
    return None if name is None else search_key(name)


def book_keys(title: str, name_key: str) -> dict:
    """A book's key columns, for a book of this title by the author whose key is `name_key`."""
    title_key = search_key(title)
    return {"title_key": title_key, "search_text": book_search_text(title_key, name_key)}


def rekey_authors_books(connection: Connection, author_id: int, name_key: str) -> None:
    """Give every book of the author their new name's words, in one statement however many
    books they have: book_search_text on a column is the same sum in SQL (title_key || ...)."""
    connection.execute(
        update(books)
        .where(books.c.author_id == author_id)
        .values(search_text=book_search_text(books.c.title_key, name_key))
    )


class LoadKeys:
    """The search keys of the names and titles a bulk load writes, and the words they hold,
    for the vocabulary to take in one go at the end of the load. A big shelf repeats its
    titles, so recent keys are remembered rather than worked out again."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.key = lru_cache(maxsize=KEYS_REMEMBERED)(self.new_key)

    def new_key(self, text: str) -> str:
        key = search_key(text)
        self.words.update(key.split())
        return key

    def remember_words(self, connection: Connection) -> None:
        remember_words(connection, self.words)  # each word is a key of one word
