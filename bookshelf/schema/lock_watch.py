"""What a migration's connection holds while it runs: which tables it locks, in which mode,
for how long.

Two views, because neither sees everything. Inside a transaction, after each statement the
migration's own connection lists its locks, which it keeps until the commit: exact, however
short. Statements outside a transaction (CREATE INDEX CONCURRENTLY, a batched backfill's
batches) take and drop theirs within the statement, where only a second connection can
see them: it looks every POLL_SECONDS, and says now and then what the migration is doing.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

POLL_SECONDS = 0.02
# Weakest first: PostgreSQL's table lock modes, as pg_locks names them.
LOCK_MODES = (
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
)
# The table locks granted to the sessions `{who}` names, on this database's own tables
# (materialized views too, which REFRESH locks). SIReadLock is serializable isolation's
# bookkeeping, which blocks no one.
TABLE_LOCKS = (
    "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
    "WHERE {who} AND l.granted AND l.locktype = 'relation' AND l.mode <> 'SIReadLock' "
    "AND c.relkind IN ('r', 'p', 'm') AND c.relnamespace = 'public'::regnamespace"
)
# Every session on the copy but the watcher's and the observer's: the migration's, and any
# it opens of its own (a revision's backfill on a connection of its own, for one).
OTHERS = (
    "l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.pid <> pg_backend_pid() AND l.pid <> :observer"
)
ACTIVITY = text(
    "SELECT extract(epoch FROM now() - query_start), left(regexp_replace(query, '\\s+', ' ', "
    "'g'), 60) FROM pg_stat_activity WHERE pid = :pid AND state = 'active'"
)


@dataclass
class Holds:
    """The longest each (table, mode) was held, and those held now with when they began."""

    longest: dict[tuple[str, str], float] = field(default_factory=dict)
    since: dict[tuple[str, str], float] = field(default_factory=dict)

    def seen(self, held: set[tuple[str, str]], began: float, now: float) -> None:
        """`held` is what is held at `now`; what is new began at `began` at the latest."""
        for lock in held - self.since.keys():
            self.since[lock] = began
        self.end(set(self.since) - held, now)

    def end(self, locks, now: float) -> None:
        for lock in locks:
            held_for = now - self.since.pop(lock)
            self.longest[lock] = max(self.longest.get(lock, 0.0), held_for)


@dataclass(frozen=True)
class TableLock:
    mode: str  # as pg_locks names it
    seconds: float

    @property
    def name(self) -> str:
        """ "AccessExclusiveLock" as the documentation writes it: "ACCESS EXCLUSIVE"."""
        words = "".join(f" {c}" if c.isupper() else c for c in self.mode.removesuffix("Lock"))
        return words.strip().upper()


def strongest(*views: Holds) -> dict[str, TableLock]:
    """Per table, its strongest lock, and the longest either view saw it held."""
    found: dict[str, TableLock] = {}
    for view in views:
        for (table, mode), seconds in view.longest.items():
            known = found.get(table)
            if known is None or (LOCK_MODES.index(mode), seconds) > (
                LOCK_MODES.index(known.mode),
                known.seconds,
            ):
                found[table] = TableLock(mode, seconds)
    return found


class InsideView:
    """The migration connection's own locks, listed after each statement of a transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.holds = Holds()
        self.statement_began = 0.0
        self.listeners = {
            "before_cursor_execute": self.before,
            "after_cursor_execute": self.after,
            "commit": self.ended,
            "rollback": self.ended,
        }

    def __enter__(self) -> "InsideView":
        for name, listener in self.listeners.items():
            event.listen(self.connection, name, listener)
        return self

    def __exit__(self, *exception) -> None:
        for name, listener in self.listeners.items():
            event.remove(self.connection, name, listener)
        self.holds.end(set(self.holds.since), time.monotonic())

    def before(self, connection, cursor, statement, parameters, context, executemany) -> None:
        self.statement_began = time.monotonic()

    def after(self, connection, cursor, statement, parameters, context, executemany) -> None:
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection.autocommit:
            return  # its locks went with it: the watcher's to see
        with dbapi_connection.cursor() as own:
            own.execute(TABLE_LOCKS.format(who="l.pid = pg_backend_pid()"))
            held = set(own.fetchall())
        self.holds.seen(held, self.statement_began, time.monotonic())

    def ended(self, connection) -> None:
        self.holds.end(set(self.holds.since), time.monotonic())


class Watcher(threading.Thread):
    """A second connection looking at the copy's other sessions every POLL_SECONDS (the
    `observer` session aside); every `report_every` seconds it passes `report` what the
    migration's session `pid` is running."""

    def __init__(
        self,
        engine: Engine,
        pid: int,
        observer: int,
        report: Callable[[float, str], None],
        report_every: float,
    ) -> None:
        super().__init__(daemon=True)
        self.engine, self.pid, self.observer = engine, pid, observer
        self.report, self.report_every = report, report_every
        self.holds = Holds()
        self.watching = threading.Event()
        self.stopping = threading.Event()
        self.failure: BaseException | None = None

    def __enter__(self) -> "Watcher":
        """Started, and looking: what the migration does from its first statement is seen."""
        self.start()
        self.watching.wait()
        return self

    def __exit__(self, *exception) -> None:
        self.stopping.set()
        self.join()

    def run(self) -> None:
        try:
            with self.engine.connect() as connection:
                self.watch(connection.execution_options(isolation_level="AUTOCOMMIT"))
        except BaseException as failure:  # noqa: BLE001 - handed to the main thread
            self.failure = failure
        finally:
            self.watching.set()

    def watch(self, connection: Connection) -> None:
        locks = text(TABLE_LOCKS.format(who=OTHERS))
        reported = time.monotonic()
        while not self.stopping.is_set():
            looked = time.monotonic()
            held = {tuple(row) for row in connection.execute(locks, {"observer": self.observer})}
            self.watching.set()
            self.holds.seen(held, looked, time.monotonic())
            if looked - reported >= self.report_every:
                reported = looked
                running = connection.execute(ACTIVITY, {"pid": self.pid}).first()
                if running is not None:
                    self.report(float(running[0]), running[1])
            self.stopping.wait(POLL_SECONDS)
        self.holds.end(set(self.holds.since), time.monotonic())

    def seen(self) -> Holds:
        """What it saw; raises what stopped it looking, if anything did."""
        if self.failure is not None:
            raise self.failure
        return self.holds
