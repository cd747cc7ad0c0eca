"""add-browsing-indexes

The indexes the author list and author pages read from: one per sort order, one for
the country filter, one for an author's books by title (it leads with author_id, so it
replaces the plain author_id index), and on PostgreSQL a trigram index that lets a
title search skip the books that cannot match.

On PostgreSQL every index is built and dropped CONCURRENTLY, outside a transaction,
so readers and writers are not blocked while it builds. A build that fails half-way
leaves an invalid index behind; each one is dropped first if it exists, so running
the upgrade again starts it afresh.

Revision ID: 6a070e004891
Revises: 39e9a42f5b5f
Create Date: 2026-11-25 01:21:28.621523

"""

import sqlalchemy as sa
from alembic import op

revision = "6a070e004891"
down_revision = "39e9a42f5b5f"
branch_labels = None
depends_on = None

BROWSING_INDEXES = [
    ("ix_authors_name_id", "authors", ["name", "id"]),
    ("ix_authors_book_count_name_id", "authors", [sa.text("book_count DESC"), "name", "id"]),
    ("ix_authors_created_at_id", "authors", ["created_at", "id"]),
    ("ix_authors_country_name_id", "authors", ["country", "name", "id"]),
    ("ix_books_author_id_title_id", "books", ["author_id", "title", "id"]),
]
REPLACED_INDEX = ("ix_books_author_id", "books", ["author_id"])
TITLE_SEARCH_INDEX = "ix_books_title_trgm"


def on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_index(name, table, columns, **options):
    if on_postgresql():
        op.drop_index(name, table_name=table, if_exists=True, postgresql_concurrently=True)
        op.create_index(
            name, table, columns, postgresql_concurrently=True, if_not_exists=True, **options
        )
    else:
        op.create_index(name, table, columns)


def drop_index(name, table):
    op.drop_index(name, table_name=table, if_exists=True, postgresql_concurrently=True)


def upgrade():
    with op.get_context().autocommit_block():
        for name, table, columns in BROWSING_INDEXES:
            create_index(name, table, columns)
        drop_index(*REPLACED_INDEX[:2])
        if on_postgresql():
            # pg_trgm ships with PostgreSQL and Neon allows it.
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            create_index(
                TITLE_SEARCH_INDEX,
                "books",
                ["title"],
                postgresql_using="gin",
                postgresql_ops={"title": "gin_trgm_ops"},
            )


def downgrade():
    with op.get_context().autocommit_block():
        if on_postgresql():
            # pg_trgm stays: other schemas in the database may use it.
            drop_index(TITLE_SEARCH_INDEX, "books")
        create_index(*REPLACED_INDEX)
        for name, table, _ in reversed(BROWSING_INDEXES):
            drop_index(name, table)
