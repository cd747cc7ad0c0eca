"""A rehearsal: the pending revisions run one by one on a copy of the real data, each under
the limits a real upgrade has, watched for what a reader would feel (the locks it holds, on
which tables and how long; whether it rewrites a table; the rows it writes; its time), then
all taken down and brought up again, which must leave the schema as it was both ways.
`flask db rehearse` (bookshelf.schema.rehearsal_command) runs one and reports it."""

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from bookshelf.errors import database_error_cause
from bookshelf.schema.lock_watch import InsideView, TableLock, Watcher, strongest
from bookshelf.schema.schema_shape import differences, schema_shape

ACCESS_EXCLUSIVE = "AccessExclusiveLock"
# Alembic's own bookkeeping, which no reader waits on.
VERSION_TABLE = "alembic_version"
# How often a long revision says what it is doing.
PROGRESS_SECONDS = 5.0
TABLES = text(
    "SELECT c.relname, c.relfilenode, c.reltuples, coalesce(s.n_tup_ins, 0), "
    "coalesce(s.n_tup_upd, 0), coalesce(s.n_tup_del, 0) "
    "FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
    "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace"
)


@dataclass(frozen=True)
class Budget:
    """What a revision may do to a table with rows."""

    exclusive_lock_seconds: float = 1.0
    duration_seconds: float | None = None
    # A table of more rows than this may not be rewritten; None: any may.
    rewrite_rows: int | None = 10_000


@dataclass(frozen=True)
class TableState:
    relfilenode: int
    rows: int
    inserted: int
    updated: int
    deleted: int


@dataclass(frozen=True)
class TableChange:
    table: str
    rows: int  # before the revision
    lock: TableLock | None
    rewritten: bool
    inserted: int
    updated: int
    deleted: int


@dataclass
class RevisionRun:
    revision: str
    message: str
    seconds: float = 0.0
    error: str | None = None
    tables: list[TableChange] = field(default_factory=list)
    squawk: list[str] | None = None  # None: squawk is not installed
    down_seconds: float | None = None
    down_error: str | None = None
    over_budget: list[str] = field(default_factory=list)


@dataclass
class Rehearsal:
    copy: str
    start: str | None
    target: str
    budget: Budget
    revisions: list[RevisionRun] = field(default_factory=list)
    # None when not made (a revision failed, up or down); otherwise how the schema differed
    # after the trip down and after the trip up again, empty when it matched both ways.
    round_trip: list[str] | None = None

    @property
    def ok(self) -> bool:
        return self.round_trip == [] and not any(
            run.error or run.down_error or run.over_budget for run in self.revisions
        )


def pending_revisions(config: Config, connection: Connection, to: str) -> tuple[str | None, list]:
    """The copy's revision, and the revisions from it to `to`, oldest first."""
    script = ScriptDirectory.from_config(config)
    current = MigrationContext.configure(connection).get_current_heads()
    connection.rollback()
    start = current[0] if current else None
    revisions = list(script.iterate_revisions(to, start or "base"))
    return start, list(reversed(revisions))


def parent(revision: Script) -> str:
    return revision.down_revision or "base"


def table_states(connection: Connection) -> dict[str, TableState]:
    states = {}
    for name, relfilenode, estimate, inserted, updated, deleted in connection.execute(TABLES):
        rows = int(estimate)
        if rows < 0:  # never analysed
            quoted = connection.dialect.identifier_preparer.quote(name)
            rows = connection.execute(text(f"SELECT count(*) FROM {quoted}")).scalar_one()
        states[name] = TableState(relfilenode, rows, inserted, updated, deleted)
    return states


def changes(before: dict, after: dict, locks: dict[str, TableLock]) -> list[TableChange]:
    """The tables the revision locked, rewrote or wrote to."""
    found = []
    for table, now in sorted(after.items()):
        if table == VERSION_TABLE:
            continue
        was = before.get(table, TableState(now.relfilenode, 0, 0, 0, 0))
        change = TableChange(
            table,
            was.rows,
            locks.get(table),
            now.relfilenode != was.relfilenode,
            now.inserted - was.inserted,
            now.updated - was.updated,
            now.deleted - was.deleted,
        )
        if change.lock or change.rewritten or change.inserted or change.updated or change.deleted:
            found.append(change)
    return found


def flush_statistics(migrating: Connection) -> None:
    """Make the rows the migration wrote show in pg_stat_user_tables: PostgreSQL sends a
    session's counts when it next idles, if asked (15 and later; rehearse refuses older)."""
    with migrating.begin():
        migrating.exec_driver_sql("SELECT pg_stat_force_next_flush()")


def over_budget(run: RevisionRun, budget: Budget) -> list[str]:
    broken = []
    if budget.duration_seconds is not None and run.seconds > budget.duration_seconds:
        broken.append(f"took {run.seconds:.1f} s, over --max-duration {budget.duration_seconds} s")
    for change in run.tables:
        if not change.rows:
            continue
        lock = change.lock
        if lock and lock.mode == ACCESS_EXCLUSIVE and lock.seconds > budget.exclusive_lock_seconds:
            broken.append(
                f"held ACCESS EXCLUSIVE on {change.table} ({change.rows:,} rows) for "
                f"{lock.seconds:.2f} s, over --max-exclusive-lock {budget.exclusive_lock_seconds} s"
            )
        rewrites_allowed = budget.rewrite_rows is None or change.rows <= budget.rewrite_rows
        if change.rewritten and not rewrites_allowed:
            broken.append(f"rewrote {change.table} ({change.rows:,} rows)")
    return broken


def failure(error: Exception) -> str:
    if isinstance(error, click.ClickException):
        return error.format_message()
    if isinstance(error, DBAPIError):
        # PostgreSQL's detail says which rows: "Key (author_id)=(1) is duplicated."
        detail = getattr(getattr(error.orig, "diag", None), "message_detail", None)
        cause = database_error_cause(error)
        return f"{cause}: {detail}" if detail else cause
    return f"{type(error).__name__}: {error}"


def timed(step: Callable[[], None]) -> tuple[float, str | None]:
    """How long `step` took, and why it failed, if it did: a revision is the project's own
    code, which may raise anything (NotImplementedError from an irreversible downgrade)."""
    began = time.monotonic()
    try:
        step()
    except Exception as error:  # noqa: BLE001 - reported as the revision's failure
        return time.monotonic() - began, failure(error)
    return time.monotonic() - began, None


class Rehearser:
    """Runs a rehearsal on the copy that `engine` connects to, with Alembic's `config` (the
    app's migrations), and `offline` for each revision's SQL."""

    def __init__(self, engine: Engine, config: Config, offline: Config, budget: Budget) -> None:
        self.engine, self.config, self.offline, self.budget = engine, config, offline, budget

    def rehearse(self, copy: str, to: str, progress: Callable[[str], None]) -> Rehearsal:
        with self.engine.connect() as migrating, self.engine.connect() as observing:
            observing.execution_options(isolation_level="AUTOCOMMIT")
            if observing.dialect.server_version_info < (15,):
                raise click.ClickException(
                    "Rehearsals need PostgreSQL 15 or later, whose sessions report the rows "
                    "they write when asked."
                )
            start, revisions = pending_revisions(self.config, migrating, to)
            if not revisions:
                raise click.ClickException(
                    f"Nothing to rehearse: the copy is already at {start or 'base'}."
                )
            pid = migrating.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            migrating.commit()
            self.config.attributes["connection"] = migrating
            rehearsal = Rehearsal(copy, start, revisions[-1].revision, self.budget)
            shape_before = schema_shape(observing)
            for revision in revisions:
                run = self.run_one(revision, migrating, observing, pid, progress)
                rehearsal.revisions.append(run)
                if run.error:
                    return rehearsal
            rehearsal.round_trip = self.round_trip(
                rehearsal, revisions, shape_before, observing, progress
            )
            return rehearsal

    def run_one(self, revision: Script, migrating, observing, pid: int, progress) -> RevisionRun:
        run = RevisionRun(revision.revision, revision.doc)
        label = f"{revision.doc} ({revision.revision})"
        progress(f"Rehearsing {label} ...")
        run.squawk = self.squawk(revision)
        before = table_states(observing)
        began = time.monotonic()

        def report(statement_seconds: float, query: str) -> None:
            progress(
                f"  {time.monotonic() - began:.0f} s so far; for {statement_seconds:.0f} s: {query}"
            )

        observer = observing.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with (
            Watcher(self.engine, pid, observer, report, PROGRESS_SECONDS) as watcher,
            InsideView(migrating) as inside,
        ):
            run.seconds, run.error = timed(lambda: command.upgrade(self.config, revision.revision))
        if run.error:
            return run
        outside = watcher.seen()
        flush_statistics(migrating)
        run.tables = changes(before, table_states(observing), strongest(inside.holds, outside))
        run.over_budget = over_budget(run, self.budget)
        return run

    def round_trip(
        self, rehearsal, revisions, shape_before, observing, progress
    ) -> list[str] | None:
        shape_after = schema_shape(observing)
        progress("Taking the revisions down again ...")
        for run, revision in zip(reversed(rehearsal.revisions), reversed(revisions), strict=True):
            run.down_seconds, run.down_error = timed(
                lambda revision=revision: command.downgrade(self.config, parent(revision))
            )
            if run.down_error:
                return None
        found = [
            f"after down {line}" for line in differences(shape_before, schema_shape(observing))
        ]
        progress("... and up again ...")
        _, error = timed(lambda: command.upgrade(self.config, rehearsal.target))
        if error:
            return [*found, f"up again failed: {error}"]
        return found + [
            f"after up again {line}" for line in differences(shape_after, schema_shape(observing))
        ]

    def squawk(self, revision: Script) -> list[str] | None:
        """squawk's findings on the revision's SQL, as `make lint-migrations` has them."""
        program = shutil.which("squawk", path=str(Path(sys.executable).parent)) or shutil.which(
            "squawk"
        )
        if program is None:
            return None
        self.offline.output_buffer.seek(0)
        self.offline.output_buffer.truncate()
        try:
            command.upgrade(self.offline, f"{parent(revision)}:{revision.revision}", sql=True)
        except Exception as error:  # noqa: BLE001 - the revision's own code, run as SQL only
            return [f"its SQL could not be written out ({type(error).__name__}: {error})"]
        with tempfile.NamedTemporaryFile("w", suffix=".sql") as sql:
            sql.write(self.offline.output_buffer.getvalue())
            sql.flush()
            checked = subprocess.run(
                [program, "--reporter", "json", sql.name], capture_output=True, text=True
            )
        if not checked.stdout.startswith("["):
            return [f"squawk failed: {(checked.stderr.strip().splitlines() or ['no message'])[-1]}"]
        return [f"{found['rule_name']}: {found['message']}" for found in json.loads(checked.stdout)]
