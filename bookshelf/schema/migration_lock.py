"""One migration at a time on PostgreSQL: a deploy that starts several app instances runs
`flask db upgrade` in each, and they must not race to create the same tables. The first
takes an advisory lock; the others wait for it, then find the schema current.

The lock belongs to the migration connection's session, so it must be a real server
session: the direct URL (DATABASE_DIRECT_URL), never PgBouncer's transaction pooling,
which would hand the lock's session to another client after the first statement.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.engine import Connection

# The advisory lock's key: any number, the same in every instance; this one is the CRC-32
# of "bookshelf migrations", so as not to collide with small numbers other tools pick.
MIGRATION_LOCK_KEY = 1042771143
# How often a waiting migration asks for the lock again. It asks rather than queues in
# pg_advisory_lock, whose statement keeps a snapshot open while it waits: CREATE INDEX
# CONCURRENTLY in the running migration waits for every older snapshot, and the two
# would deadlock.
RETRY_SECONDS = 0.5


@contextmanager
def one_at_a_time(connection: Connection) -> Iterator[None]:
    """Hold the migration lock while the migrations inside run, waiting for it if another
    process has it. Taken and given back outside any transaction, on the driver's
    connection, so the wait is bounded by neither the migration's lock_timeout nor its
    statement_timeout (which start with the migration's transaction)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    if not run(connection, "SELECT pg_try_advisory_lock(%s)"):
        click.echo("Another migration is running on this database; waiting for it to finish.")
        while not run(connection, "SELECT pg_try_advisory_lock(%s)"):
            time.sleep(RETRY_SECONDS)
    try:
        yield
    finally:
        run(connection, "SELECT pg_advisory_unlock(%s)")


def run(connection: Connection, statement: str):
    dbapi_connection = connection.connection.dbapi_connection
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(statement, (MIGRATION_LOCK_KEY,))
            return cursor.fetchone()[0]
    finally:
        dbapi_connection.autocommit = autocommit
