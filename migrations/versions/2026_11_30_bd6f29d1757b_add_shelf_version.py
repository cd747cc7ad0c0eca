"""add-shelf-version

The shelf's version: one row, one number, which triggers on authors and books add one to
in the same transaction as every change (bookshelf.schema.shelf_version_triggers). Pages
a shared cache may keep carry it in their validator (bookshelf.caching), so a
conditional request for an unchanged shelf is answered from this row alone.

A new table and triggers: no existing table is rewritten, and a trigger's creation holds
its table's lock for a moment. On PostgreSQL each trigger is created, or dropped, in a
transaction of its own: writers lock books and authors in either order (see
add-row-versions), and one transaction holding both tables' locks would deadlock with one
of them. The version's row comes last, once both triggers count changes, and goes first
on the way down: until then the app serves pages without validators, as on a schema
without the table, so a run that gives up half-way hands out none that a change could
leave standing. Each step may be run again, for the run that follows one that gave up.

It shipped first with both triggers in one transaction and its row first, at version 1,
and was changed after shipping for the deadlock, and for the validators a run that gave up
half-way, or a second run after a downgrade, would hand out: the schema it builds is the
same, so a database it ran on either way is too.

Revision ID: bd6f29d1757b
Revises: d148eb802617
Create Date: 2026-11-30 17:00:00.000000

"""

import time

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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            with op.get_context().autocommit_block():
                op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    # Counted from the clock (in milliseconds), so that a table made again after a
    # downgrade repeats no version, and no validator, that the one before handed out.
    first_version = time.time_ns() // 1_000_000
    with op.get_context().autocommit_block():
        op.execute(
            f"INSERT INTO shelf_version (id, version) VALUES (1, {first_version}) "
            "ON CONFLICT DO NOTHING"
        )


def downgrade():
    with op.get_context().autocommit_block():
        op.execute("DELETE FROM shelf_version")
    if op.get_bind().dialect.name == "postgresql":
        for statement in reversed(POSTGRESQL_DROP_TRIGGERS):
            with op.get_context().autocommit_block():
                op.execute(statement)
        op.execute(POSTGRESQL_DROP_FUNCTION)
    else:
        for statement in SQLITE_DROP_TRIGGERS:
            op.execute(statement)
    op.drop_table("shelf_version")
