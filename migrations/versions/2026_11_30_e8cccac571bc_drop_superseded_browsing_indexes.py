"""drop-superseded-browsing-indexes

The contract step after add-search-keys: lists sort by the search keys now, and search reads
their trigram indexes, so the indexes add-browsing-indexes built on authors.name and
books.title serve no reader and only cost every write. The index on books by author and
title goes too: the one by author and title key leads with author_id as well, so it still
serves the foreign key.

Run once no running code sorts by name or title, or searches titles with ILIKE: the release
before the one that reads the keys did both, and without these indexes would sort and scan
in full while it still serves.

On PostgreSQL they are dropped, and built again by the downgrade, CONCURRENTLY, blocking
neither readers nor writers.

Revision ID: e8cccac571bc
Revises: 21df7029263c
Create Date: 2026-11-30 13:44:43.756492

"""

import sqlalchemy as sa
from alembic import op

from bookshelf.schema.indexes import create_index, create_trigram_index, drop_index

revision = "e8cccac571bc"
down_revision = "21df7029263c"
branch_labels = None
depends_on = None

SUPERSEDED_INDEXES = [
    ("ix_authors_name_id", "authors", ["name", "id"]),
    ("ix_authors_book_count_name_id", "authors", [sa.text("book_count DESC"), "name", "id"]),
    ("ix_authors_country_name_id", "authors", ["country", "name", "id"]),
    ("ix_books_author_id_title_id", "books", ["author_id", "title", "id"]),
]
SUPERSEDED_TRIGRAM_INDEX = ("ix_books_title_trgm", "books", "title")


def upgrade():
    with op.get_context().autocommit_block():
        drop_index(*SUPERSEDED_TRIGRAM_INDEX[:2])
        for name, table, _ in SUPERSEDED_INDEXES:
            drop_index(name, table)


def downgrade():
    with op.get_context().autocommit_block():
        for name, table, columns in reversed(SUPERSEDED_INDEXES):
            create_index(name, table, columns)
        create_trigram_index(*SUPERSEDED_TRIGRAM_INDEX)
