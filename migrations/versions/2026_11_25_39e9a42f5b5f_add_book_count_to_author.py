"""add-book-count-to-author

Authors get a book_count column that triggers on books keep up to date, so listing
authors by number of books reads one indexed column instead of counting every book.
On PostgreSQL the triggers run once per statement over its transition table, so a
bulk INSERT or COPY costs one UPDATE of authors, not one per book. SQLite has no
statement triggers, so there they run per row.

Revision ID: 39e9a42f5b5f
Revises: 3cb53bd53050
Create Date: 2026-11-25 01:21:06.093889

"""

import sqlalchemy as sa
from alembic import op

from bookshelf.schema.book_count_triggers import (
    POSTGRESQL_DROP_TRIGGERS,
    POSTGRESQL_TRIGGERS,
    SQLITE_DROP_TRIGGERS,
    SQLITE_TRIGGERS,
)

revision = "39e9a42f5b5f"
down_revision = "3cb53bd53050"
branch_labels = None
depends_on = None

# Counted after the triggers exist (and, on PostgreSQL, in the same transaction), so a
# book added meanwhile is counted exactly once.
BACKFILL = """
UPDATE authors SET book_count = (
    SELECT count(*) FROM books WHERE books.author_id = authors.id
)
"""


def upgrade():
    # Squawk rules waived in this revision's SQL (checked by `make lint`):
    # - prefer-bigint-over-int: book_count counts one author's books; it will not pass two
    #   billion.
    if op.get_context().as_sql:
        op.execute("-- squawk-ignore-file prefer-bigint-over-int\n-- (why: see the revision)")
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("book_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_TRIGGERS)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    op.execute(BACKFILL)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_DROP_TRIGGERS)
    else:
        for statement in SQLITE_DROP_TRIGGERS:
            op.execute(statement)
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.drop_column("book_count")
