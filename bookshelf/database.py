"""The connection a request reads through, and which server it reads from.

Requests only read, so they use a Core connection in autocommit: no BEGIN or ROLLBACK per
page, and PgBouncer gets its server connection back after each statement
(bench/FINDINGS.md has the measurements).

With read replicas (DATABASE_REPLICA_URL), a request reads from one of them, unless:
- its view reads the primary (`reads_primary`: the history, the edit forms);
- its browser made a change the replica has not replayed yet. After a change commits, the
  primary's WAL position is kept in that browser's session, and until every replica within
  REPLICA_MAX_LAG must have replayed it, a replica serves that browser only once its own
  replay position has reached it: read-your-writes, exactly;
- the replica is down, or lags more than REPLICA_MAX_LAG seconds (each worker asks it at
  most once a second), which skips it until it answers, or catches up, again.
With no replica to read from, the request reads from the primary. Nothing outside this
module knows which server a read goes to; writes go through the ORM's session, which
always uses the primary.
"""

import random
import time
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, request, session
from sqlalchemy import Select, TextClause, event, text
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session

from bookshelf.extensions import db
from config import READS_BIND, REPLICA_BIND

# A statement sent on a connection the server had already closed fails within
# milliseconds; one cut off while it ran takes as long as it ran. Between the two, a
# second leaves room for a slow network.
LOST_CONNECTION_FAILS_WITHIN_SECONDS = 1.0
# How often a worker asks a replica how far behind it is, and how long it leaves one that
# did not answer before trying it again.
LAG_CHECK_SECONDS = 1.0
DOWN_SECONDS = 2.0
# Whether the replica has replayed all it has received (a replica that does not say what it
# received, as a Neon replica reading the primary's storage, counts as having), and how
# long ago the last change it replayed was made.
LAG = text(
    "SELECT coalesce(pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), true), "
    "extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
)
REPLAYED = text("SELECT pg_last_wal_replay_lsn() >= CAST(:position AS pg_lsn)")
POSITION = text("SELECT CAST(pg_current_wal_lsn() AS text)")
# The session's key for the browser's last change: [WAL position, when it committed].
CHANGE = "change"


class Replica:
    """A replica's engine, and what this worker last learnt of it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.down_until = 0.0
        self.lag_checked_at = float("-inf")
        self.caught_up_at = float("-inf")
        self.lagging = False

    def connect(self, pending: str | None) -> Connection | None:
        """A connection, if the replica answers, is not too far behind, and has replayed
        `pending`; otherwise None, and the replica is skipped as its answer says."""
        try:
            connection = self.engine.connect()
            now = time.monotonic()
            if now - self.lag_checked_at >= LAG_CHECK_SECONDS:
                self.lagging = (
                    self.lag(*connection.execute(LAG).one(), now)
                    > (current_app.config["REPLICA_MAX_LAG"])
                )
                self.lag_checked_at = now
            if self.lagging or (
                pending and not connection.execute(REPLAYED, {"position": pending}).scalar()
            ):
                connection.close()
                return None
            return connection
        except DBAPIError:
            self.went_down()
            return None

    def lag(self, caught_up: bool, last_change_age: float | None, now: float) -> float:
        """Seconds behind: none when it has replayed all it received. Otherwise the age of
        the last change it replayed, which after a quiet spell is old however current the
        replica was; so at most the time since this worker last saw it caught up."""
        if caught_up:
            self.caught_up_at = now
            return 0.0
        since_caught_up = now - self.caught_up_at
        if last_change_age is None:  # none replayed since it started
            return since_caught_up
        return min(float(last_change_age), since_caught_up)

    def went_down(self) -> None:
        self.down_until = time.monotonic() + DOWN_SECONDS
        self.engine.dispose()


def init_app(app: Flask) -> None:
    app.teardown_request(close_read_connection)
    app.teardown_appcontext(close_read_connection)
    with app.app_context():
        app.extensions["replicas"] = [
            Replica(db.engines[f"{REPLICA_BIND}-{number}"])
            for number in range(len(app.config["REPLICA_URLS"]))
        ]
    if not event.contains(Session, "after_commit", remember_change):
        event.listen(Session, "after_flush", note_flush)
        event.listen(Session, "do_orm_execute", note_statement)
        event.listen(Session, "after_commit", remember_change)


def reads_primary(view: Callable) -> Callable:
    """Mark a view whose reads must see every committed change: they go to the primary."""
    view.reads_primary = True
    return view


def read_connection() -> Connection:
    """The connection a request's reads share: taken from the pool on first use, given back
    by close_read_connection."""
    connection = g.get("read_connection")
    if connection is None:
        connection = g.read_connection = connect_for_reading()
    return connection


def connect_for_reading() -> Connection:
    replicas = current_app.extensions["replicas"]
    if replicas and not reads_from_primary():
        pending = pending_change()
        now = time.monotonic()
        for replica in random.sample(replicas, len(replicas)):
            if replica.down_until <= now:
                connection = replica.connect(pending)
                if connection is not None:
                    g.read_replica = replica
                    return connection
    g.read_replica = None
    return db.engines[READS_BIND].connect()


def reads_from_primary() -> bool:
    if not has_request_context():
        return True
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "reads_primary", False)


def pending_change() -> str | None:
    """The WAL position of this browser's last change, while a replica within the lag bound
    may not have replayed it yet."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None  # no session to have made a change in; and none is opened
    change = session.get(CHANGE)
    if change is None:
        return None
    position, committed_at = change
    if time.time() - committed_at > current_app.config["REPLICA_MAX_LAG"]:
        session.pop(CHANGE)
        return None
    return position


def note_flush(orm_session: Session, flush_context) -> None:
    orm_session.info["wrote"] = True


def note_statement(state: ORMExecuteState) -> None:
    """The writes sent as statements (deleting an author's books, a restore)."""
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


def remember_change(orm_session: Session) -> None:
    """After a change commits, keep the primary's WAL position (which is past the commit) in
    the browser's session, so that its next reads wait for a replica that has replayed it."""
    wrote = orm_session.info.pop("wrote", False)
    if wrote and has_request_context() and current_app.extensions["replicas"]:
        with db.engines[READS_BIND].connect() as primary:
            session[CHANGE] = [primary.execute(POSITION).scalar_one(), time.time()]


def read(statement: Select | TextClause, values: dict | None = None) -> CursorResult:
    """The result of `statement`, a read, run on the request's connection.

    A connection that died in the pool (a restart, a failover, Neon suspending its
    compute, a replica stopped) fails the first statement at once; SQLAlchemy drops it and
    the pool's other connections, and the statement runs once more on a new one, which is
    safe in autocommit (a replica that failed is skipped for it). A statement that fails
    later was cut off while it ran, and is not rerun.
    """
    connection = read_connection()
    sent_at = time.monotonic()
    try:
        return connection.execute(statement, values)
    except DBAPIError as failure:
        if not (failure.connection_invalidated and failed_at_once(sent_at)):
            raise
    if g.get("read_replica") is not None:
        g.read_replica.went_down()
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
