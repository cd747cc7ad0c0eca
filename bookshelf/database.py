"""The database behind the app: the connection a request reads through, the engine
migrations use, and whether the schema is current."""

import time

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, g
from sqlalchemy import Select, TextClause, create_engine
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from bookshelf.extensions import db
from config import READS_BIND, engine_options

# A statement sent on a connection the server had already closed fails within
# milliseconds; one cut off while it ran takes as long as it ran. Between the two, a
# second leaves room for a slow network.
LOST_CONNECTION_FAILS_WITHIN_SECONDS = 1.0


def read_connection() -> Connection:
    """The connection a request's reads share (through `read`): taken from the pool on
    first use, given back by end_request.

    Requests only read, so they use a Core connection rather than the ORM session, which
    would add its own bookkeeping to every statement and every request. Its statements
    run in autocommit, each its own transaction: a page sends no BEGIN and no ROLLBACK
    (two round trips to Neon fewer per page), and PgBouncer, pooling by transaction,
    gets its server connection back after each statement instead of holding it while
    the page renders. A list's count and its rows may then see the shelf a moment apart,
    which a reader cannot tell from the shelf changing between two clicks.
    """
    connection = g.get("read_connection")
    if connection is None:
        connection = g.read_connection = db.engines[READS_BIND].connect()
    return connection


def read(statement: Select | TextClause, values: dict | None = None) -> CursorResult:
    """The result of `statement`, a read, run on the request's connection.

    A connection the server closed while it sat in the pool (a restart, a failover, Neon
    suspending its compute) fails the first statement sent on it at once. SQLAlchemy then
    drops it, and every other connection the pool held, and the statement runs once more
    on a new one: reads run in autocommit, so the dead connection took nothing of the
    request's with it. A statement that fails later was cut off while it ran (an
    administrator ending a runaway query, a pooler giving up on a server that is down),
    and is not run again. A server that is down fails the new connection too: a 503.
    """
    connection = read_connection()
    sent_at = time.monotonic()
    try:
        return connection.execute(statement, values)
    except DBAPIError as failure:
        failed_at_once = time.monotonic() - sent_at < LOST_CONNECTION_FAILS_WITHIN_SECONDS
        if not (failure.connection_invalidated and failed_at_once):
            raise
    end_request()
    return read_connection().execute(statement, values)


def end_request(error: BaseException | None = None) -> None:
    """Give the request's connection back to the pool. Runs at the end of each request,
    and of each app context (a CLI command, say).

    Closing cannot fail on a connection the server dropped: closing rolls back, which
    psycopg2 does not send to the server for a connection in autocommit.
    """
    connection = g.pop("read_connection", None)
    if connection is not None:
        connection.close()


def fold_case_like_postgresql(dbapi_connection, connection_record) -> None:
    """Give SQLite a lower() that knows more than ASCII, as PostgreSQL's does, so that a
    search ignores the case of "Émile" as well as of "Emile"."""
    dbapi_connection.create_function(
        "lower", 1, lambda text: text.lower() if isinstance(text, str) else text, deterministic=True
    )


def migration_engine() -> Engine:
    """The engine `flask db` commands use: DATABASE_DIRECT_URL's when it is set (Neon's
    pooled URL goes through PgBouncer, no place for DDL), else the app's own.

    It gets the same options as the app's engine; the URL carries TLS settings itself.
    A migration is one short session, so it keeps no pool.
    """
    direct_url = current_app.config["MIGRATION_DATABASE_URI"]
    if direct_url is None:
        return db.engine
    return create_engine(direct_url, poolclass=NullPool, **engine_options(direct_url))


def migration_url() -> str:
    """The URL of migration_engine(), for `flask db upgrade --sql`, which connects to nothing."""
    return (
        current_app.config["MIGRATION_DATABASE_URI"]
        or current_app.config["SQLALCHEMY_DATABASE_URI"]
    )


def database_error_cause(error: SQLAlchemyError) -> str:
    """The first line of what the database (or its driver) said, for a one-line message."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def schema_is_current() -> bool:
    """True when the database has had every migration applied (`flask db upgrade`)."""
    migrations = current_app.extensions["migrate"].migrate.get_config()
    latest = set(ScriptDirectory.from_config(migrations).get_heads())
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == latest
