"""add-search-keys

The search keys names and titles are found and sorted by (bookshelf.search.words):
authors.name_key, books.title_key and books.search_text, the vocabulary table search_words,
and the indexes that read them. The expand and backfill steps of expand / contract: the
indexes on name and title they replace go in drop-superseded-browsing-indexes.

1. The columns are added nullable, with no default: a change to the catalogue alone, so
   neither table is rewritten and each exclusive lock lasts a moment. On PostgreSQL each
   table is altered in a transaction of its own, for the reason add-row-versions gives.
2. Their values are filled in by bookshelf.search.backfill, on a connection of its own,
   5,000 rows a transaction, so the app keeps reading and writing throughout (on
   PostgreSQL each batch runs under the migration's lock and statement limits). Rows the
   previous release writes after the last batch are for `flask search backfill`, once the
   new code is up.
3. The indexes are built CONCURRENTLY on PostgreSQL, which blocks neither readers nor
   writers; PostgreSQL also gets trigram indexes on name_key and search_text, which the
   searches' LIKE patterns read (the models leave them out, as migrations/env.py says).

On PostgreSQL a run that gave up half-way can run again: the columns and the table are
added only if missing, the backfill skips rows whose keys are right, and each index is
built afresh. SQLite drops the columns in place (SQLite 3.35 and later), so the downgrade
rebuilds no table.

Revision ID: 21df7029263c
Revises: bba86f4c83ab
Create Date: 2026-11-30 13:43:49.101182

"""

import logging

import sqlalchemy as sa
from alembic import op

from bookshelf.schema import time_limits
from bookshelf.schema.indexes import create_index, create_trigram_index, drop_index
from bookshelf.search.backfill import Backfill, backfill_search_keys

revision = "21df7029263c"
down_revision = "bba86f4c83ab"
branch_labels = None
depends_on = None

# As bookshelf.catalogue.models.SearchKey: compared byte by byte on both databases.
SEARCH_KEY = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
KEY_COLUMNS = {"authors": ["name_key"], "books": ["title_key", "search_text"]}
SORT_INDEXES = [
    ("ix_authors_name_key_id", "authors", ["name_key", "id"]),
    (
        "ix_authors_book_count_name_key_id",
        "authors",
        [sa.text("book_count DESC"), "name_key", "id"],
    ),
    ("ix_authors_country_name_key_id", "authors", ["country", "name_key", "id"]),
    ("ix_books_title_key_id", "books", ["title_key", "id"]),
    ("ix_books_author_id_title_key_id", "books", ["author_id", "title_key", "id"]),
]
TRIGRAM_INDEXES = [
    ("ix_authors_name_key_trgm", "authors", "name_key"),
    ("ix_books_search_text_trgm", "books", "search_text"),
]
# The backfill says how far it has got every so many rows.
ROWS_BETWEEN_REPORTS = 100_000

log = logging.getLogger("alembic.runtime.migration")


def on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if on_postgresql():
        for table, columns in KEY_COLUMNS.items():
            with op.get_context().autocommit_block():
                additions = ", ".join(
                    f'ADD COLUMN IF NOT EXISTS {column} text COLLATE "C"' for column in columns
                )
                op.execute(f"ALTER TABLE {table} {additions}")
        with op.get_context().autocommit_block():
            create_search_words(if_not_exists=True)
    else:
        for table, columns in KEY_COLUMNS.items():
            for column in columns:
                op.add_column(table, sa.Column(column, SEARCH_KEY, nullable=True))
        create_search_words(if_not_exists=False)

    backfill()

    with op.get_context().autocommit_block():
        for name, table, columns in SORT_INDEXES:
            create_index(name, table, columns)
        for name, table, column in TRIGRAM_INDEXES:
            create_trigram_index(name, table, column)


def create_search_words(if_not_exists: bool) -> None:
    op.create_table(
        "search_words",
        sa.Column("word", SEARCH_KEY, nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
        if_not_exists=if_not_exists,
    )


def backfill() -> None:
    if op.get_context().as_sql:
        op.execute(
            "-- Here the revision fills in the search keys of the rows already on the shelf, "
            "in batches;\n-- SQL alone cannot (it computes them in Python): after this, "
            "run `flask search backfill`."
        )
        return
    # On a connection of its own, the migration's transaction committed first, so that each
    # batch is a transaction of its own and what the revision added is there for it to fill.
    with (
        op.get_context().autocommit_block(),
        op.get_bind().engine.connect() as connection,
        time_limits.limited(connection),
    ):
        done = backfill_search_keys(connection, ProgressLog())
    log.info(summary(done))


class ProgressLog:
    """Logs the backfill's progress every ROWS_BETWEEN_REPORTS rows: it may take minutes."""

    def __init__(self) -> None:
        self.rows = 0

    def __call__(self, rows: int) -> None:
        reports = self.rows // ROWS_BETWEEN_REPORTS
        self.rows += rows
        if self.rows // ROWS_BETWEEN_REPORTS > reports:
            log.info(f"Search keys: {self.rows:,} rows read")


def summary(done: Backfill) -> str:
    return (
        f"Search keys: read {done.rows_read:,} rows in {done.seconds:.1f} s, wrote keys to "
        f"{done.authors_written:,} of the authors and {done.books_written:,} of the books; "
        f"a batch kept its rows locked {done.longest_write:.2f} s at most"
    )


def downgrade():
    with op.get_context().autocommit_block():
        for name, table, _ in reversed(TRIGRAM_INDEXES):
            drop_index(name, table)
        for name, table, _ in reversed(SORT_INDEXES):
            drop_index(name, table)
    if on_postgresql():
        with op.get_context().autocommit_block():
            op.execute("DROP TABLE IF EXISTS search_words")
        for table, columns in reversed(KEY_COLUMNS.items()):
            with op.get_context().autocommit_block():
                removals = ", ".join(f"DROP COLUMN IF EXISTS {column}" for column in columns)
                op.execute(f"ALTER TABLE {table} {removals}")
        return
    op.drop_table("search_words")
    for table, columns in reversed(KEY_COLUMNS.items()):
        for column in columns:
            op.drop_column(table, column)
