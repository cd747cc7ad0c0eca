"""The connection a request reads through.

Requests only read, so they use a Core connection from the `reads` engine, whose
connections stay in autocommit: no BEGIN or ROLLBACK per page, and PgBouncer gets its
server connection back after each statement (bench/FINDINGS.md has the measurements).
"""

import time

from flask import Flask, g
from sqlalchemy import Select, TextClause
from sqlalchemy.engine import Connection, CursorResult
from sqlalchemy.exc import DBAPIError

from bookshelf.extensions import db
from config import READS_BIND

# A statement sent on a connection the server had already closed fails within
# milliseconds; one cut off while it ran takes as long as it ran. Between the two, a
# second leaves room for a slow network.
LOST_CONNECTION_FAILS_WITHIN_SECONDS = 1.0


def init_app(app: Flask) -> None:
    app.teardown_request(close_read_connection)
    app.teardown_appcontext(close_read_connection)


def read_connection() -> Connection:
    """The connection a request's reads share: taken from the pool on first use, given back
    by close_read_connection."""
    connection = g.get("read_connection")
    if connection is None:
        connection = g.read_connection = db.engines[READS_BIND].connect()
    return connection


def read(statement: Select | TextClause, values: dict | None = None) -> CursorResult:
    """The result of `statement`, a read, run on the request's connection.

    A connection that died in the pool (a restart, a failover, Neon suspending its
    compute) fails the first statement at once; SQLAlchemy drops it and the pool's other
    connections, and the statement runs once more on a new one, which is safe in
    autocommit. A statement that fails later was cut off while it ran, and is not rerun.
    """
    connection = read_connection()
    sent_at = time.monotonic()
    try:
        return connection.execute(statement, values)
    except DBAPIError as failure:
        if not (failure.connection_invalidated and failed_at_once(sent_at)):
            raise
    close_read_connection()
    return read_connection().execute(statement, values)


def failed_at_once(sent_at: float) -> bool:
    return time.monotonic() - sent_at < LOST_CONNECTION_FAILS_WITHIN_SECONDS


def close_read_connection(error: BaseException | None = None) -> None:
    """Give the request's connection back to the pool, at the end of each request and of
    each app context. It cannot fail on a dropped connection: in autocommit, psycopg2
    sends the close's rollback nowhere."""
    connection = g.pop("read_connection", None)
    if connection is not None:
        connection.close()
