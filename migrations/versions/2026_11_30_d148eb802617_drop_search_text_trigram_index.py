"""drop-search-text-trigram-index

The contract step after add-book-search-vectors: on PostgreSQL, books are searched
through their search vectors now, so the trigram index on books.search_text serves no
reader and only costs every write. Dropped, and built again by the downgrade,
CONCURRENTLY. SQLite never had it.

Revision ID: d148eb802617
Revises: 2fd2e0c7e8f2
Create Date: 2026-11-30 16:51:00.000000

"""

from alembic import op

from bookshelf.schema.indexes import create_trigram_index, drop_index

revision = "d148eb802617"
down_revision = "2fd2e0c7e8f2"
branch_labels = None
depends_on = None

SUPERSEDED_TRIGRAM_INDEX = ("ix_books_search_text_trgm", "books", "search_text")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            drop_index(*SUPERSEDED_TRIGRAM_INDEX[:2])


def downgrade():
    with op.get_context().autocommit_block():
        create_trigram_index(*SUPERSEDED_TRIGRAM_INDEX)
