"""Loading a synthetic shelf as fast as each backend allows, all in one transaction.

PostgreSQL gets COPY through psycopg2, fed from a generator so the books never sit in
memory at once (the authors do: a million at most); SQLite gets batched executemany.
Either way a failure, or the process being killed, leaves the database as it was.

The rows' search keys are worked out as they stream past, and their words go into the
vocabulary once, at the end of the load.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import Connection, text

from bookshelf.search.keys import LoadKeys
from bookshelf.search.words import book_search_text
from bookshelf.seeding.synthetic_shelf import SyntheticAuthor, synthetic_authors, synthetic_books

ROWS_PER_CHUNK = 5_000
# In the order author_rows and book_rows give them.
AUTHOR_COLUMNS = ("id", "name", "country", "bio", "created_at", "name_key")
BOOK_COLUMNS = ("author_id", "title", "title_key", "search_text")


@dataclass
class LoadResult:
    authors: int
    books: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return (self.authors + self.books) / self.seconds if self.seconds else 0.0


def load_synthetic_shelf(
    connection: Connection,
    authors: int,
    books: int,
    random_seed: int,
    progress: Callable[[int], None] = lambda rows: None,
) -> LoadResult:
    """Add `authors` synthetic authors holding `books` books between them, through
    `connection`, inside the transaction the caller began; `progress` is told of rows as
    they go in."""
    started = time.perf_counter()
    shelf = synthetic_authors(authors, books, random_seed)
    ids = reserve_author_ids(connection, len(shelf))
    keys = LoadKeys()
    name_keys = [keys.key(author.name) for author in shelf]
    if connection.dialect.name == "postgresql":
        copy_rows(connection, "authors", AUTHOR_COLUMNS, author_rows(ids, shelf, name_keys))
        progress(len(shelf))
        copy_rows(
            connection,
            "books",
            BOOK_COLUMNS,
            book_rows(ids, shelf, name_keys, random_seed, keys),
            progress,
        )
    else:
        insert_rows(connection, shelf, ids, name_keys, random_seed, keys, progress)
    keys.remember_words(connection)
    return LoadResult(len(shelf), books, time.perf_counter() - started)


def reserve_author_ids(connection: Connection, count: int) -> list[int]:
    if connection.dialect.name == "postgresql":
        statement = (
            "SELECT nextval(pg_get_serial_sequence('authors', 'id')) FROM generate_series(1, :n)"
        )
        return list(connection.scalars(text(statement), {"n": count}))
    # SQLite: the write transaction this is in keeps other writers out.
    first = connection.scalar(text("SELECT coalesce(max(id), 0) + 1 FROM authors"))
    return list(range(first, first + count))


def author_rows(
    ids: list[int], shelf: list[SyntheticAuthor], name_keys: list[str]
) -> Iterator[tuple]:
    for author_id, author, name_key in zip(ids, shelf, name_keys, strict=True):
        created_at = author.created_at.isoformat()
        yield author_id, author.name, author.country, author.bio, created_at, name_key


def book_rows(
    ids: list[int],
    shelf: list[SyntheticAuthor],
    name_keys: list[str],
    random_seed: int,
    keys: LoadKeys,
) -> Iterator[tuple]:
    for position, title in synthetic_books(shelf, random_seed):
        title_key = keys.key(title)
        yield ids[position], title, title_key, book_search_text(title_key, name_keys[position])


def copy_field(value) -> str:
    """A value in COPY's text format: backslash, tab and line breaks escaped; None is NULL."""
    if value is None:
        return "\\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class CopySource:
    """A file-like view of rows in COPY's text format, read by psycopg2's copy_expert."""

    def __init__(self, rows: Iterator[tuple], progress: Callable[[int], None]) -> None:
        self._rows = rows
        self._progress = progress
        self._pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._pending) < size:
            chunk = list(islice(self._rows, ROWS_PER_CHUNK))
            if not chunk:
                break
            self._pending += "".join("\t".join(map(copy_field, row)) + "\n" for row in chunk)
            self._progress(len(chunk))
        if size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    readline = read  # copy_expert asks for both


def copy_rows(
    connection: Connection,
    table: str,
    columns: tuple[str, ...],
    rows: Iterator[tuple],
    progress: Callable[[int], None] = lambda rows: None,
) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor:
        cursor.copy_expert(statement, CopySource(rows, progress), size=65536)


def insert_rows(connection, shelf, ids, name_keys, random_seed, keys, progress) -> None:
    authors = author_rows(ids, shelf, name_keys)
    connection.exec_driver_sql(insert_statement("authors", AUTHOR_COLUMNS), list(authors))
    progress(len(shelf))
    rows = book_rows(ids, shelf, name_keys, random_seed, keys)
    insert_books = insert_statement("books", BOOK_COLUMNS)
    while chunk := list(islice(rows, ROWS_PER_CHUNK)):
        connection.exec_driver_sql(insert_books, chunk)
        progress(len(chunk))


def insert_statement(table: str, columns: tuple[str, ...]) -> str:
    """SQLite's INSERT of rows given as tuples in the order of `columns`."""
    values = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"
