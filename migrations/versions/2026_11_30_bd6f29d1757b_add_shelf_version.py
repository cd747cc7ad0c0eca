"""add-shelf-version

The shelf's version: one row, one number, which triggers on authors and books add one to
in the same transaction as every change (bookshelf.schema.shelf_version_triggers). Pages
a shared cache may keep carry it in their validator (bookshelf.caching), so a
conditional request for an unchanged shelf is answered from this row alone.

A new table and triggers: no existing table is rewritten, and a trigger's creation holds
its table's lock for a moment.

Revision ID: bd6f29d1757b
Revises: d148eb802617
Create Date: 2026-11-30 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from bookshelf.schema.shelf_version_triggers import (
    POSTGRESQL_DROP_TRIGGERS,
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
    )
    op.execute("INSERT INTO shelf_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_TRIGGERS)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_DROP_TRIGGERS)
    else:
        for statement in SQLITE_DROP_TRIGGERS:
            op.execute(statement)
    op.drop_table("shelf_version")
