"""How long a migration on PostgreSQL may wait for a lock, and run one statement, before it
gives up and rolls back (MIGRATION_LOCK_TIMEOUT, MIGRATION_STATEMENT_TIMEOUT).

A migration queued for a busy table's lock makes every later reader of that table queue
behind it; giving up fast keeps the app serving.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from bookshelf.errors import database_error_cause

# PostgreSQL's codes for "gave up waiting for a lock" and "statement timed out".
GAVE_UP_WAITING = {"55P03", "57014"}


def time_limits() -> dict[str, str]:
    return {
        "lock_timeout": current_app.config["MIGRATION_LOCK_TIMEOUT"],
        "statement_timeout": current_app.config["MIGRATION_STATEMENT_TIMEOUT"],
    }


def offline_statements() -> list[str]:
    """The limits as SQL, for `flask db upgrade --sql`."""
    return [f"SET {name} = '{value}'" for name, value in time_limits().items()]


@contextmanager
def limited(connection: Connection) -> Iterator[None]:
    """Run the migrations inside under the limits; one that gives up is a one-line error."""
    if connection.dialect.name != "postgresql":
        yield
        return
    event.listen(connection, "begin", set_limits)
    try:
        yield
    except DBAPIError as error:
        if getattr(error.orig, "pgcode", None) not in GAVE_UP_WAITING:
            raise
        limits = ", ".join(f"{name} {value}" for name, value in time_limits().items())
        raise click.ClickException(
            f"The migration gave up ({database_error_cause(error)}; {limits}) and its "
            "transaction was rolled back. A busy table held it up: retry in a quieter moment."
        ) from None
    finally:
        event.remove(connection, "begin", set_limits)
        reset_session_lock_timeout(connection)


def set_limits(connection: Connection) -> None:
    """Set LOCAL at the start of each transaction, so the limits end with it.

    In an autocommit_block (where CONCURRENTLY builds run, and the steps of a revision that
    locks one table at a time) there is no transaction: the lock limit is set for the
    session, and the statement limit not at all, since such a build blocks nobody while it
    runs and on a big table may rightly take long.
    """
    limits = time_limits()
    # SQLAlchemy is still beginning the transaction, so this goes straight to the driver.
    in_autocommit_block = connection.connection.dbapi_connection.autocommit
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, %s)",
            (limits["lock_timeout"], not in_autocommit_block),
        )
        if not in_autocommit_block:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", (limits["statement_timeout"],)
            )


def reset_session_lock_timeout(connection: Connection) -> None:
    """Undo what an autocommit_block set for the session: the connection may be the app's."""
    dbapi_connection = connection.connection.dbapi_connection
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
    dbapi_connection.autocommit = autocommit
