"""Building and dropping indexes in a revision without stopping the app: CONCURRENTLY on
PostgreSQL, which takes no lock that readers or writers wait for; plainly on SQLite, where
a migration has the database to itself anyway.

CONCURRENTLY runs outside a transaction, so the revision calls these inside
op.get_context().autocommit_block(). A build that fails half-way leaves an invalid index
behind; each is dropped first if it exists, so running the revision again starts it afresh.
"""

from alembic import op


def on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def create_index(name: str, table: str, columns: list, **options) -> None:
    """`options` are PostgreSQL's (postgresql_using, postgresql_ops)."""
    if on_postgresql():
        drop_index(name, table)
        op.create_index(
            name, table, columns, postgresql_concurrently=True, if_not_exists=True, **options
        )
    else:
        op.create_index(name, table, columns)


def create_trigram_index(name: str, table: str, column: str) -> None:
    """A GIN trigram index (pg_trgm, which add-browsing-indexes installs), which LIKE and
    ILIKE patterns read; PostgreSQL only."""
    if on_postgresql():
        create_index(
            name,
            table,
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def drop_index(name: str, table: str) -> None:
    op.drop_index(name, table_name=table, if_exists=True, postgresql_concurrently=True)
