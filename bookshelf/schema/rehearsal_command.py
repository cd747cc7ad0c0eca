"""`flask db rehearse`: try the pending revisions on a copy of the real data, and say what
they would do to it, before anyone runs `flask db upgrade`."""

import io
import json
import select
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict

import click
import psycopg2
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import current_app, g
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bookshelf.errors import cannot_reach_the_database
from bookshelf.schema.migration_engine import connect, migration_engine, migration_url
from bookshelf.schema.rehearsal import Budget, Rehearsal, Rehearser, pending_revisions
from bookshelf.schema.rehearsal_copy import (
    APP_DATABASE,
    engine_on,
    made_copy,
    refuse_the_apps_own,
)
from config import normalise_database_url

DEFAULT_REWRITE_ROWS = 10_000


def interrupted(signal_number, frame) -> None:
    """SIGTERM ends a rehearsal as Ctrl-C does, through every `finally` on the way out."""
    raise KeyboardInterrupt


def wait_interruptibly(connection) -> None:
    """psycopg2's wait for the server (set_wait_callback). A plain wait sits out the running
    statement, a revision's minutes, before a signal is looked at; this one cancels the
    statement on the server at once, and raises the interruption when the server stops."""
    cancelled = False
    while True:
        try:
            state = connection.poll()
        except psycopg2.Error:
            if cancelled:
                raise KeyboardInterrupt from None
            raise
        if state == psycopg2.extensions.POLL_OK:
            if cancelled:
                raise KeyboardInterrupt
            return
        reading = state == psycopg2.extensions.POLL_READ
        try:
            select.select([connection] if reading else [], [] if reading else [connection], [])
        except KeyboardInterrupt:
            connection.cancel()
            cancelled = True


@click.command("rehearse")
@click.option(
    "-d", "--directory", default=None, help="The migrations folder (default: migrations)."
)
@click.option(
    "--to", default="heads", metavar="REVISION", help="Rehearse up to here (default: the head)."
)
@click.option(
    "--copy-url",
    envvar="DATABASE_REHEARSAL_URL",
    metavar="URL",
    help="A copy of the database to rehearse on, such as a Neon branch's direct URL "
    "(default: DATABASE_REHEARSAL_URL).",
)
@click.option(
    "--make-copy",
    is_flag=True,
    help="Copy the app's database on its own server (pg_dump, pg_restore), rehearse on the "
    "copy, and drop it afterwards.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--max-exclusive-lock",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Longest a revision may hold ACCESS EXCLUSIVE on a table with rows.",
)
@click.option(
    "--max-duration",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Longest a revision may take (default: no limit).",
)
@click.option(
    "--no-rewrite/--allow-rewrite",
    default=None,
    help=f"Fail on any table with rows rewritten / on none (default: on tables of more than "
    f"{DEFAULT_REWRITE_ROWS:,} rows).",
)
@with_appcontext
def rehearse_command(
    directory, to, copy_url, make_copy, as_json, max_exclusive_lock, max_duration, no_rewrite
) -> None:
    """Rehearse the pending migrations on a copy of the database, never on the one the app
    serves: each revision runs under the limits of a real upgrade while a second connection
    watches, then all are taken down and brought up again. Reports each revision's time,
    the strongest lock it held on each table and for how long, whether it rewrote a table,
    the rows it wrote, and squawk's findings; exits 1 when a revision fails, does not come
    back down to the same schema, or breaks a budget. PostgreSQL only."""
    if bool(copy_url) == make_copy:
        raise click.UsageError(
            "Say where to rehearse: --copy-url URL (or DATABASE_REHEARSAL_URL), or --make-copy."
        )
    if make_url(migration_url()).get_backend_name() != "postgresql":
        raise click.ClickException("Rehearsals run on PostgreSQL; the app's database is SQLite.")
    budget = Budget(
        exclusive_lock_seconds=max_exclusive_lock,
        duration_seconds=max_duration,
        rewrite_rows={None: DEFAULT_REWRITE_ROWS, True: 0, False: None}[no_rewrite],
    )
    migrate = current_app.extensions["migrate"].migrate
    directory = directory or g.get("directory")  # `flask db -d DIR rehearse`, as Flask-Migrate's
    config, offline = migrate.get_config(directory), migrate.get_config(directory)
    offline.output_buffer = io.StringIO()
    for each in (config, offline):
        each.config_file_name = None  # read already; env.py then leaves Alembic's log quiet
    previous_handler = signal.signal(signal.SIGTERM, interrupted)
    psycopg2.extensions.set_wait_callback(wait_interruptibly)
    try:
        with ExitStack() as cleanup:
            if make_copy:
                with reaching(APP_DATABASE):
                    nothing_pending_on_the_app(config, to)
                    url = cleanup.enter_context(made_copy(migration_url()))
            else:
                try:
                    url = normalise_database_url(copy_url, "--copy-url")
                except ValueError as error:
                    raise click.ClickException(str(error)) from None
                if make_url(url).get_backend_name() != "postgresql":
                    raise click.ClickException("--copy-url must be a PostgreSQL URL.")
            engine = engine_on(url)
            cleanup.callback(engine.dispose)
            with reaching(APP_DATABASE if make_copy else "--copy-url"):
                if not make_copy:
                    refuse_the_apps_own(engine, migration_engine())
                described = "made for the rehearsal" if make_copy else "given"
                rehearsal = Rehearser(engine, config, offline, budget).rehearse(
                    f"{make_url(url).database} ({described})", to, progress
                )
    except (CommandError, RevisionError) as error:  # a --to Alembic does not know, or behind
        raise click.ClickException(str(error)) from None
    finally:
        psycopg2.extensions.set_wait_callback(None)
        signal.signal(signal.SIGTERM, previous_handler)
    click.echo(json.dumps(as_document(rehearsal), indent=2) if as_json else as_text(rehearsal))
    if not rehearsal.ok:
        sys.exit(1)


def nothing_pending_on_the_app(config, to: str) -> None:
    """Refuse before copying a database whose migrations are current."""
    with connect(migration_engine()) as connection:
        start, revisions = pending_revisions(config, connection, to)
    if not revisions:
        raise click.ClickException(
            f"Nothing to rehearse: the database is already at {start or 'base'}."
        )


@contextmanager
def reaching(setting: str) -> Iterator[None]:
    """A database that does not answer, as one line naming the setting that gave it."""
    try:
        yield
    except OperationalError as error:
        raise cannot_reach_the_database(error, setting) from None


def progress(line: str) -> None:
    click.echo(line, err=True)


def as_document(rehearsal: Rehearsal) -> dict:
    document = asdict(rehearsal)
    document["ok"] = rehearsal.ok
    for run, tables in zip(rehearsal.revisions, document["revisions"], strict=True):
        for change, table in zip(run.tables, tables["tables"], strict=True):
            table["lock"] = change.lock and {
                "mode": change.lock.name,
                "seconds": change.lock.seconds,
            }
    return document


def as_text(rehearsal: Rehearsal) -> str:
    runs = rehearsal.revisions
    lines = [
        f"Rehearsed on {rehearsal.copy}: {rehearsal.start or 'base'} to {rehearsal.target}, "
        f"{len(runs)} revision{'s' if len(runs) != 1 else ''}.",
    ]
    for run in runs:
        lines += ["", *revision_lines(run)]
    lines.append("")
    if rehearsal.round_trip == []:
        lines.append("Down and up again: the schema matched both ways.")
    elif rehearsal.round_trip:
        lines += [
            "Down and up again, the schema differed:",
            *(f"  {d}" for d in rehearsal.round_trip),
        ]
    broken = [f"  {run.message}: {reason}" for run in runs for reason in run.over_budget]
    if broken:
        lines += ["Over budget:", *broken]
    lines.append("Passed." if rehearsal.ok else "Failed.")
    return "\n".join(lines)


def revision_lines(run) -> list[str]:
    heading = f"{run.message} ({run.revision})"
    if run.error:
        return [f"{heading}: FAILED after {run.seconds:.2f} s: {run.error}"]
    down = (
        f"down FAILED: {run.down_error}"
        if run.down_error
        else "down not tried"
        if run.down_seconds is None
        else f"down {run.down_seconds:.2f} s"
    )
    lines = [f"{heading}: {run.seconds:.2f} s, {down}"]
    if run.tables:
        lines.append(
            f"  {'table':<20} {'rows':>12}  {'strongest lock':<24} {'held':>8}  "
            f"{'rewritten':<9} {'inserted':>10} {'updated':>10} {'deleted':>10}"
        )
    for change in run.tables:
        lock = change.lock
        lines.append(
            f"  {change.table:<20} {change.rows:>12,}  {lock.name if lock else '-':<24} "
            f"{f'{lock.seconds:.3f} s' if lock else '-':>8}  "
            f"{'yes' if change.rewritten else 'no':<9} {change.inserted:>10,} "
            f"{change.updated:>10,} {change.deleted:>10,}"
        )
    if run.squawk is None:
        lines.append("  squawk: not installed (requirements-dev.txt)")
    else:
        lines += [f"  squawk: {finding}" for finding in run.squawk] or ["  squawk: nothing found"]
    return lines
