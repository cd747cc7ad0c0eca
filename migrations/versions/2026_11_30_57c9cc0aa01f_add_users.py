"""add-users

Curators' accounts: an email (kept in lower case, so unique whatever its case), an argon2
password hash, whether the account is disabled, and the token every session cookie of the
user carries, renewed to refuse them all.

Revision ID: 57c9cc0aa01f
Revises: 6a070e004891
Create Date: 2026-11-30 11:01:55.320595

"""

import sqlalchemy as sa
from alembic import op

revision = "57c9cc0aa01f"
down_revision = "6a070e004891"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("disabled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("session_token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )


def downgrade():
    op.drop_table("users")
