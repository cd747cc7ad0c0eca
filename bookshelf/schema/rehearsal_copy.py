"""The copy a rehearsal migrates: one the user made (a Neon branch of production), or one
made here from the app's database and dropped afterwards whatever happens."""

import os
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from bookshelf.errors import database_error_cause
from bookshelf.schema.migration_engine import connect
from config import engine_options

# The settings that name the app's database, for `flask db` commands.
APP_DATABASE = "DATABASE_DIRECT_URL or DATABASE_URL"


def engine_on(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool, **engine_options(url))


def refuse_the_apps_own(copy: Engine, app: Engine) -> None:
    """Stop if `copy` is the app's database, however its URL is written (a pooled and a
    direct host, an address for a name): a lock taken on the copy, with a key no one else
    uses, is one the app's database sees as its own."""
    key = secrets.randbits(63)
    with copy.connect() as on_copy, on_copy.begin(), connect(app) as on_app:
        # Held until the transaction ends, which PgBouncer's transaction pooling keeps on
        # one server connection.
        on_copy.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        same = on_app.execute(
            text(
                "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' "
                "AND (classid::bigint << 32) + objid::bigint = :key "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            ),
            {"key": key},
        ).scalar()
    if same:
        raise click.ClickException(
            "The copy's URL is the app's own database: a rehearsal runs on a copy, never on "
            "the database the app serves."
        )


@contextmanager
def made_copy(source: str) -> Iterator[str]:
    """A new database on the source's server holding the source's schema and rows, analysed
    as production is; dropped on the way out, whether the rehearsal ended, failed or was
    interrupted. pg_dump reads the source in one snapshot while the app goes on using it,
    where CREATE DATABASE ... TEMPLATE would refuse while anyone is connected to it."""
    for program in ("pg_dump", "pg_restore"):
        if shutil.which(program) is None:
            raise click.ClickException(
                f"--make-copy needs {program} (PostgreSQL's client programs) on the PATH."
            )
    source_url = make_url(source)
    name = f"{(source_url.database or 'postgres')[:40]}_rehearsal_{secrets.token_hex(4)}"
    copy_url = source_url.set(database=name)
    admin = engine_on(source)
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        try:
            run_alone(admin, f"CREATE DATABASE {quoted}")
        except DBAPIError as error:
            raise click.ClickException(
                f"--make-copy could not create a database ({database_error_cause(error)}); "
                "make a copy yourself and give it with --copy-url."
            ) from None
        restore(source_url, copy_url)
        run_alone(engine_on(copy_url.render_as_string(hide_password=False)), "ANALYZE")
        yield copy_url.render_as_string(hide_password=False)
    finally:
        # A second Ctrl-C or SIGTERM waits until the copy is gone.
        signals = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        try:
            run_alone(admin, f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


def run_alone(engine: Engine, statement: str) -> None:
    """A statement that runs outside a transaction, on a connection of its own."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
    engine.dispose()


def restore(source: URL, copy: URL) -> None:
    """pg_dump piped to pg_restore; the password goes in their environment, where `ps` does
    not show it, and no prompt ever waits for one."""
    options = ["--no-owner", "--no-privileges", "--no-password"]
    dump = subprocess.Popen(
        ["pg_dump", "--format=custom", *options, f"--dbname={libpq_url(source)}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=with_password(source),
    )
    try:
        restored = subprocess.run(
            ["pg_restore", "--exit-on-error", *options, f"--dbname={libpq_url(copy)}"],
            stdin=dump.stdout,
            capture_output=True,
            text=True,
            env=with_password(copy),
        )
        dump.stdout.close()
        dumped = dump.wait()
    finally:
        if dump.poll() is None:
            dump.kill()
    for program, status, stderr in (
        ("pg_dump", dumped, dump.stderr.read().decode()),
        ("pg_restore", restored.returncode, restored.stderr),
    ):
        if status != 0:
            last_line = (stderr.strip().splitlines() or ["no message"])[-1]
            raise click.ClickException(f"Copying the database failed: {program}: {last_line}")


def libpq_url(url: URL) -> str:
    """The URL as pg_dump and pg_restore take it, without its password."""
    return url.set(drivername="postgresql", password=None).render_as_string()


def with_password(url: URL) -> dict[str, str]:
    return os.environ | ({"PGPASSWORD": url.password} if url.password else {})
