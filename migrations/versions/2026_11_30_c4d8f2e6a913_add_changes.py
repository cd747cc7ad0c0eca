"""add-changes

The shelf's history: a row for every create, update, delete and restore of an author or a
book, written in the same transaction as the change: who, when, which row, and its fields
before and after. No foreign key to authors or books, since the history outlives them;
indexed for one author's history, newest first.

Revision ID: c4d8f2e6a913
Revises: b7e3a1c95d20
Create Date: 2026-11-30 11:12:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c4d8f2e6a913"
down_revision = "b7e3a1c95d20"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FIELDS = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade():
    # Squawk rules waived in this revision's SQL (checked by `make lint`):
    # - prefer-bigint-over-int: row_id and author_id hold the ids of authors and books, which
    #   are integers (init-setup); a new, empty table takes no lock on anyone's data.
    if op.get_context().as_sql:
        op.execute("-- squawk-ignore-file prefer-bigint-over-int\n-- (why: see the revision)")
    op.create_table(
        "changes",
        sa.Column("id", ID, sa.Identity(always=False), nullable=False),
        sa.Column(
            "made_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("other_author_id", sa.Integer(), nullable=True),
        sa.Column("before", FIELDS, nullable=True),
        sa.Column("after", FIELDS, nullable=True),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'restore')", name=op.f("ck_changes_action")
        ),
        sa.CheckConstraint("kind IN ('author', 'book')", name=op.f("ck_changes_kind")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_changes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    # Built with the table, which is empty and new: no reader waits on it.
    op.create_index(
        "ix_changes_author_id_id", "changes", ["author_id", sa.literal_column("id DESC")]
    )
    op.create_index(
        "ix_changes_other_author_id_id",
        "changes",
        ["other_author_id", sa.literal_column("id DESC")],
    )


def downgrade():
    op.drop_table("changes")
