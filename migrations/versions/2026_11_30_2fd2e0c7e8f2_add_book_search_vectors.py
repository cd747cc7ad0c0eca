"""add-book-search-vectors

On PostgreSQL, each book's search words as a tsvector, books.search_vector, kept by a
trigger from books.search_text, and the indexes the search reads it through: a GIN index,
which finds the books holding a word however rare, and the title order with each book's
words included, which a search for a common word walks until its page is full
(bookshelf.search.queries says when each is used). SQLite searches search_text with LIKE,
as before, and this revision only takes out of the vocabulary the words too long to search
for.

The vector holds the stored words as they are (array_to_tsvector: no parser, no stemming),
so both databases find exactly the same books. A word PostgreSQL cannot hold as a lexeme
(over 2,047 bytes; only a crafted title makes one) is left out of the vector, and the
search never looks for one.

1. The column is added nullable, with no default: no rewrite, and a moment's lock.
2. The trigger goes in next, so that every book written from then on, by this release or
   the one before, gets its vector as it is written.
3. The books already there are filled in by setting search_text to itself, which fires
   the trigger: 5,000 books a transaction, on a connection of its own, under the
   migration's lock and statement limits, so the app keeps reading and writing.
4. The indexes are built CONCURRENTLY, blocking neither readers nor writers.

A run that gave up half-way can run again: every step is skipped or redone if done.

Revision ID: 2fd2e0c7e8f2
Revises: e8cccac571bc
Create Date: 2026-11-30 16:50:00.000000

"""

import logging
import time

import sqlalchemy as sa
from alembic import op

from bookshelf.schema import time_limits
from bookshelf.schema.indexes import create_index, drop_index

revision = "2fd2e0c7e8f2"
down_revision = "e8cccac571bc"
branch_labels = None
depends_on = None

# Only a search_text this long can hold a word too long to be a lexeme, so shorter ones
# skip the filter.
LONGEST_LEXEME_BYTES = 2047
TRIGGER_FUNCTION = f"""
CREATE OR REPLACE FUNCTION books_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF octet_length(NEW.search_text) <= {LONGEST_LEXEME_BYTES} THEN
        NEW.search_vector := array_to_tsvector(
            array_remove(string_to_array(btrim(NEW.search_text), ' '), ''));
    ELSE
        NEW.search_vector := array_to_tsvector(ARRAY(
            SELECT word FROM unnest(string_to_array(NEW.search_text, ' ')) AS word
            WHERE word <> '' AND octet_length(word) <= {LONGEST_LEXEME_BYTES}));
    END IF;
    RETURN NEW;
END
$$
"""
TRIGGER = (
    "CREATE OR REPLACE TRIGGER books_search_vector "
    "BEFORE INSERT OR UPDATE OF search_text ON books "
    "FOR EACH ROW EXECUTE FUNCTION books_search_vector()"
)
BATCH_ROWS = 5_000
FILL_BATCH = sa.text(
    "WITH batch AS ("
    " UPDATE books SET search_text = search_text WHERE id IN ("
    "  SELECT id FROM books WHERE id > :after AND search_vector IS NULL"
    "  ORDER BY id LIMIT :rows)"
    " RETURNING id) "
    "SELECT count(*), max(id) FROM batch"
)
INDEXES = [
    ("ix_books_search_vector", ["search_vector"], {"postgresql_using": "gin"}),
    (
        "ix_books_title_key_id_search_vector",
        ["title_key", "id"],
        {"postgresql_include": ["search_vector"]},
    ),
]

log = logging.getLogger("alembic.runtime.migration")


def on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    # The vocabulary leaves out words too long to search for (bookshelf.search.words), and
    # the release before did not: a last word that began one would be searched as it.
    byte_length = "octet_length(word)" if on_postgresql() else "length(CAST(word AS BLOB))"
    op.execute(f"DELETE FROM search_words WHERE {byte_length} > {LONGEST_LEXEME_BYTES}")
    if not on_postgresql():
        return
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE books ADD COLUMN IF NOT EXISTS search_vector tsvector")
    with op.get_context().autocommit_block():
        op.execute(TRIGGER_FUNCTION)
        op.execute(TRIGGER)
    fill_in_vectors()
    with op.get_context().autocommit_block():
        for name, columns, options in INDEXES:
            create_index(name, "books", columns, **options)


def fill_in_vectors() -> None:
    if op.get_context().as_sql:
        op.execute(
            f"-- Here the revision fills in search_vector, {BATCH_ROWS:,} books a transaction,\n"
            "-- setting search_text to itself (which fires the trigger) in id order."
        )
        return
    started, books, longest = time.monotonic(), 0, 0.0
    with (
        op.get_context().autocommit_block(),
        op.get_bind().engine.connect() as connection,
        time_limits.limited(connection),
    ):
        after = 0
        while True:
            batch_started = time.monotonic()
            with connection.begin():
                filled, last = connection.execute(
                    FILL_BATCH, {"after": after, "rows": BATCH_ROWS}
                ).one()
            longest = max(longest, time.monotonic() - batch_started)
            if not filled:
                break
            books, after = books + filled, last
    log.info(
        f"Search vectors: filled in {books:,} books in {time.monotonic() - started:.1f} s; "
        f"a batch kept its rows locked {longest:.2f} s at most"
    )


def downgrade():
    if not on_postgresql():
        return
    with op.get_context().autocommit_block():
        for name, _, _ in reversed(INDEXES):
            drop_index(name, "books")
    with op.get_context().autocommit_block():
        op.execute("DROP TRIGGER IF EXISTS books_search_vector ON books")
        op.execute("DROP FUNCTION IF EXISTS books_search_vector()")
        op.execute("ALTER TABLE books DROP COLUMN IF EXISTS search_vector")
