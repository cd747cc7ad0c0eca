"""The database behind the app: the connection a request reads through, the engine
migrations use, and whether the schema is current."""

import time

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from bookshelf.extensions import db
from config import engine_options

# A pooled connection given back less than this long ago is taken as it is; one idle for
# longer is pinged first. Long enough that a busy worker never pings, short enough that
# a database restarted, failed over or suspended (Neon suspends idle computes) meanwhile
# is found out by the ping, not by a request.
PING_AFTER_IDLE_SECONDS = 1.0


def ping_connections_after_idling(engine: Engine) -> None:
    """Have `engine`'s pool ping a connection that has been idle before handing it out.
    When the ping finds the server gone, the pool drops every connection it holds
    (all of them lead to the same server) and hands out a new one.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip that, on a busy
    worker, checks a connection used a few milliseconds before (see bench/FINDINGS.md).
    """

    @event.listens_for(engine, "checkin")
    def note_when_idle(dbapi_connection, connection_record) -> None:
        connection_record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, connection_record, connection_proxy) -> None:
        idle_since = connection_record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as failure:
            if not engine.dialect.is_disconnect(failure, dbapi_connection, None):
                raise
            raise InvalidatePoolError("a pooled connection did not answer its ping") from failure


def read_connection() -> Connection:
    """The connection a request's reads share: taken from the pool on first use, given
    back by end_request.

    Requests only read, so they use a Core connection rather than the ORM session, which
    would add its own bookkeeping to every statement and every request.
    """
    connection = g.get("read_connection")
    if connection is None:
        connection = g.read_connection = db.engine.connect()
    return connection


def end_request(error: BaseException | None = None) -> None:
    """Give the request's connection back, also when the database went away since its
    last query.

    Closing rolls the connection's transaction back, which then fails after the response
    was made: left alone, the client would get a 500 and the log a traceback. Here the
    failure is one log line; SQLAlchemy has already dropped the dead connection. Runs at
    the end of each request, and of each app context (a CLI command, say).
    """
    connection = g.pop("read_connection", None)
    if connection is None:
        return
    try:
        connection.close()
    except DBAPIError as failure:
        if not failure.connection_invalidated:
            raise
        current_app.logger.error(
            "database unavailable while ending a request: %s", database_error_cause(failure)
        )


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
