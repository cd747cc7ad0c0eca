"""never-reuse-ids-on-sqlite

SQLite gives a new row the highest id in use plus one, so an author or book deleted from
the end of the table would lend its id to the next one added, and the history (which
outlives the rows it records) would mix the two, and could not restore the first. With
AUTOINCREMENT, SQLite never hands an id out twice, as PostgreSQL's sequences never do.

SQLite cannot add AUTOINCREMENT in place, so batch mode rebuilds both tables, setting the
book_count triggers aside while it works (SQLite refuses to rebuild a table a trigger
names). A rebuilt table's indexes come from SQLite's own description of them, which leaves
out the DESC of the index for sorting by number of books, so that one is built again.
PostgreSQL has nothing to change: this revision's SQL there is empty.

Revision ID: bba86f4c83ab
Revises: c4d8f2e6a913
Create Date: 2026-11-30 12:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from bookshelf.schema.book_count_triggers import SQLITE_DROP_TRIGGERS, SQLITE_TRIGGERS

revision = "bba86f4c83ab"
down_revision = "c4d8f2e6a913"
branch_labels = None
depends_on = None

TABLES = ("authors", "books")
BOOK_COUNT_INDEX = (
    "ix_authors_book_count_name_id",
    "authors",
    [sa.text("book_count DESC"), "name", "id"],
)


def upgrade():
    rebuild_on_sqlite(autoincrement=True)


def downgrade():
    rebuild_on_sqlite(autoincrement=False)


def rebuild_on_sqlite(autoincrement: bool) -> None:
    if op.get_context().dialect.name != "sqlite":
        return
    for statement in SQLITE_DROP_TRIGGERS:
        op.execute(statement)
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
    op.drop_index(BOOK_COUNT_INDEX[0], table_name="authors")
    op.create_index(*BOOK_COUNT_INDEX)
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)
