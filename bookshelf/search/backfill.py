"""Bringing every stored search key up to date, in batches: what the add-search-keys revision
runs to fill in the keys of a shelf that has none, and what `flask search backfill` runs
after a deploy, for the rows the previous release wrote meanwhile.

Authors, then books, are read in id order, BATCH_ROWS rows at a time (a keyset: each batch
starts after the last id of the one before, so the last batch costs what the first does).
Every row's keys are computed afresh, outside any transaction, and those that differ are
written in a transaction of its own, which holds its rows' locks only while it writes them:
a writer waits at most that long, and vacuum can reclaim the old row versions behind it. A
run fills in the rows that lack keys, and also corrects those an older release left stale by
renaming an author or retitling a book.

A row is written only if it still holds what the batch read: a change made meanwhile by
code that keeps the keys itself is never overwritten with keys computed from before it.

The add-search-keys revision runs this module on every new database, so its statements may
name only what the schema has at that revision.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Row, TextClause, text

from bookshelf.search.keys import remember_words
from bookshelf.search.words import book_search_text, search_key

BATCH_ROWS = 5_000


@dataclass(frozen=True)
class KeyedTable:
    """A table whose rows carry search keys, and the statements that keep them."""

    # The next BATCH_ROWS rows after id :after, with what their keys are computed from.
    read: TextClause
    # For each row whose keys are not what they should be: the row as read (what it must
    # still hold, with its keys as `old_...`) and its keys as they should be.
    stale: Callable[[list[Row]], list[dict]]
    # Write those keys where the row is unchanged, giving the written keys whose words the
    # vocabulary keeps. PostgreSQL takes the batch at once, as arrays; SQLite one row at a
    # time, which costs it no round trip.
    write_postgresql: TextClause
    write_sqlite: TextClause


def stale_author_keys(rows: list[Row]) -> list[dict]:
    stale = []
    for row in rows:
        name_key = search_key(row.name)
        if name_key != row.name_key:
            stale.append(
                {"id": row.id, "name": row.name, "old_name_key": row.name_key, "name_key": name_key}
            )
    return stale


def stale_book_keys(rows: list[Row]) -> list[dict]:
    author_keys = {name: search_key(name) for name in {row.author_name for row in rows}}
    stale = []
    for row in rows:
        title_key = search_key(row.title)
        search_text = book_search_text(title_key, author_keys[row.author_name])
        if (title_key, search_text) != (row.title_key, row.search_text):
            stale.append(
                {
                    "id": row.id,
                    "title": row.title,
                    "author_id": row.author_id,
                    "old_title_key": row.title_key,
                    "old_search_text": row.search_text,
                    "title_key": title_key,
                    "search_text": search_text,
                }
            )
    return stale


AUTHORS = KeyedTable(
    read=text("SELECT id, name, name_key FROM authors WHERE id > :after ORDER BY id LIMIT :rows"),
    stale=stale_author_keys,
    write_postgresql=text(
        "UPDATE authors SET name_key = fresh.name_key "
        "FROM unnest(CAST(:id AS integer[]), CAST(:name AS text[]), "
        "CAST(:old_name_key AS text[]), CAST(:name_key AS text[])) "
        "AS fresh (id, name, old_name_key, name_key) "
        "WHERE authors.id = fresh.id AND authors.name = fresh.name "
        "AND authors.name_key IS NOT DISTINCT FROM fresh.old_name_key "
        "RETURNING authors.name_key"
    ),
    write_sqlite=text(
        "UPDATE authors SET name_key = :name_key "
        "WHERE id = :id AND name = :name AND name_key IS :old_name_key "
        "RETURNING name_key"
    ),
)

BOOKS = KeyedTable(
    read=text(
        "SELECT books.id, books.title, books.author_id, books.title_key, books.search_text, "
        "authors.name AS author_name "
        "FROM books JOIN authors ON authors.id = books.author_id "
        "WHERE books.id > :after ORDER BY books.id LIMIT :rows"
    ),
    stale=stale_book_keys,
    write_postgresql=text(
        "UPDATE books SET title_key = fresh.title_key, search_text = fresh.search_text "
        "FROM unnest(CAST(:id AS integer[]), CAST(:title AS text[]), "
        "CAST(:author_id AS integer[]), CAST(:old_title_key AS text[]), "
        "CAST(:old_search_text AS text[]), CAST(:title_key AS text[]), "
        "CAST(:search_text AS text[])) "
        "AS fresh (id, title, author_id, old_title_key, old_search_text, title_key, search_text) "
        "WHERE books.id = fresh.id AND books.title = fresh.title "
        "AND books.author_id = fresh.author_id "
        "AND books.title_key IS NOT DISTINCT FROM fresh.old_title_key "
        "AND books.search_text IS NOT DISTINCT FROM fresh.old_search_text "
        "RETURNING books.title_key"
    ),
    write_sqlite=text(
        "UPDATE books SET title_key = :title_key, search_text = :search_text "
        "WHERE id = :id AND title = :title AND author_id = :author_id "
        "AND title_key IS :old_title_key AND search_text IS :old_search_text "
        "RETURNING title_key"
    ),
)

SHELF_ROWS = text("SELECT (SELECT count(*) FROM authors) + (SELECT count(*) FROM books)")


@dataclass
class Backfill:
    """What a run did: the rows it read, the rows whose keys it wrote, how long it took, and
    the longest a batch's writing transaction was open, which is the longest it kept any
    row locked."""

    rows_read: int = 0
    authors_written: int = 0
    books_written: int = 0
    seconds: float = 0.0
    longest_write: float = 0.0


def shelf_rows(connection: Connection) -> int:
    """How many rows a backfill reads: every author and book (for a progress bar)."""
    return connection.execute(SHELF_ROWS).scalar_one()


def backfill_search_keys(
    connection: Connection, progress: Callable[[int], None] = lambda rows: None
) -> Backfill:
    """Bring the search keys of every author and book up to date, and add their words to the
    vocabulary; `progress` is told of rows as they are read.

    Each batch reads, and writes, in transactions of its own on `connection`, which must
    not be in one.
    """
    started = time.perf_counter()
    backfill = Backfill()
    backfill.authors_written = backfill_table(connection, AUTHORS, backfill, progress)
    backfill.books_written = backfill_table(connection, BOOKS, backfill, progress)
    backfill.seconds = time.perf_counter() - started
    return backfill


def backfill_table(
    connection: Connection, table: KeyedTable, backfill: Backfill, progress: Callable[[int], None]
) -> int:
    """Walk `table` by id to its end, batch by batch; gives the number of rows written. Rows
    added while it walks are met on the way, the table's end being read afresh each batch."""
    written, after = 0, 0
    while True:
        with connection.begin():
            rows = connection.execute(table.read, {"after": after, "rows": BATCH_ROWS}).all()
        if not rows:
            return written
        stale = table.stale(rows)
        if stale:
            write_started = time.perf_counter()
            with connection.begin():
                keys = write_keys(connection, table, stale)
                remember_words(connection, keys)
            write_seconds = time.perf_counter() - write_started
            backfill.longest_write = max(backfill.longest_write, write_seconds)
            written += len(keys)
        backfill.rows_read += len(rows)
        progress(len(rows))
        after = rows[-1].id


def write_keys(connection: Connection, table: KeyedTable, stale: list[dict]) -> list[str]:
    if not stale:
        return []
    if connection.dialect.name == "postgresql":
        arrays = {column: [row[column] for row in stale] for column in stale[0]}
        return list(connection.execute(table.write_postgresql, arrays).scalars())
    return [key for row in stale for key in connection.execute(table.write_sqlite, row).scalars()]
