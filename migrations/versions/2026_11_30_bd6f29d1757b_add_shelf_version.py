"""add-shelf-version

The shelf's version: one row, one number, which triggers on authors and books add one to
in the same transaction as every change (bookshelf.schema.shelf_version_triggers). Pages
a shared cache may keep carry it in their validator (bookshelf.caching), so a
conditional request for an unchanged shelf is answered from this row alone.

A new table and triggers: no existing table is rewritten, and a trigger's creation holds
its table's lock for a moment. On PostgreSQL each trigger is created, or dropped, in a
transaction of its own: writers lock books and authors in either order (see
add-row-versions), and one transaction holding both tables' locks would deadlock with one
of them. Each step may be run again, so a run that gave up half-way can be retried.

It shipped first with both triggers in one transaction, and was changed after shipping for
that deadlock alone: what it builds is the same, so a database it ran on either way is too.

Revision ID: bd6f29d1757b
Revises: d148eb802617
Create Date: 2026-11-30 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from bookshelf.schema.shelf_version_triggers import (
    POSTGRESQL_DROP_FUNCTION,
    POSTGRESQL_DROP_TRIGGERS,
    POSTGRESQL_FUNCTION,
    POSTGRESQL_TRIGGERS,
    SQLITE_DROP_TRIGGERS,
    SQLITE_TRIGGERS,
)

revision = "bd6f29d1757b"
down_revision = "d148eb802617"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shelf_version",
        # One row: the key can only be 1.
        sa.Column("id", sa.BigInteger(), server_default=sa.text("1"), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_shelf_version_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shelf_version")),
        if_not_exists=True,
    )
    op.execute("INSERT INTO shelf_version (id, version) VALUES (1, 1) ON CONFLICT DO NOTHING")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            with op.get_context().autocommit_block():
                op.execute(statement)
        # A change made between the two triggers counted nowhere: a validator handed out
        # meanwhile (a release already running sees the table) goes stale here. On its own
        # too: a writer holding an author waits for this row.
        with op.get_context().autocommit_block():
            op.execute("UPDATE shelf_version SET version = version + 1")
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in reversed(POSTGRESQL_DROP_TRIGGERS):
            with op.get_context().autocommit_block():
                op.execute(statement)
        op.execute(POSTGRESQL_DROP_FUNCTION)
    else:
        for statement in SQLITE_DROP_TRIGGERS:
            op.execute(statement)
    op.drop_table("shelf_version")
