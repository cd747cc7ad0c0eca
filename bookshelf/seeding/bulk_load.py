"""Loading a synthetic shelf as fast as each backend allows, all in one transaction.

PostgreSQL gets COPY through psycopg2, fed from a generator so the books never sit in
memory at once (the authors do: a million at most); SQLite gets batched executemany.
Either way a failure, or the process being killed, leaves the database as it was.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import Connection, text

from bookshelf.seeding.synthetic_shelf import SyntheticAuthor, synthetic_authors, synthetic_books

ROWS_PER_CHUNK = 5_000


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
    if connection.dialect.name == "postgresql":
        copy_rows(
            connection, "authors (id, name, country, bio, created_at)", author_rows(ids, shelf)
        )
        progress(len(shelf))
        copy_rows(
            connection, "books (author_id, title)", book_rows(ids, shelf, random_seed), progress
        )
    else:
        insert_rows(connection, shelf, ids, random_seed, progress)
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


def author_rows(ids: list[int], shelf: list[SyntheticAuthor]) -> Iterator[tuple]:
    for author_id, author in zip(ids, shelf, strict=True):
        yield author_id, author.name, author.country, author.bio, author.created_at.isoformat()


def book_rows(ids: list[int], shelf: list[SyntheticAuthor], random_seed: int) -> Iterator[tuple]:
    for position, title in synthetic_books(shelf, random_seed):
        yield ids[position], title


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
    rows: Iterator[tuple],
    progress: Callable[[int], None] = lambda rows: None,
) -> None:
    with connection.connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} FROM STDIN", CopySource(rows, progress), size=65536)


def insert_rows(connection, shelf, ids, random_seed, progress) -> None:
    connection.execute(
        text(
            "INSERT INTO authors (id, name, country, bio, created_at) "
            "VALUES (:id, :name, :country, :bio, :created_at)"
        ),
        [
            {"id": i, "name": n, "country": c, "bio": b, "created_at": t}
            for i, n, c, b, t in author_rows(ids, shelf)
        ],
    )
    progress(len(shelf))
    rows = book_rows(ids, shelf, random_seed)
    insert = text("INSERT INTO books (author_id, title) VALUES (:author_id, :title)")
    while chunk := list(islice(rows, ROWS_PER_CHUNK)):
        connection.execute(insert, [{"author_id": a, "title": t} for a, t in chunk])
        progress(len(chunk))
