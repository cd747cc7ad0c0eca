"""Alembic's environment for `flask db ...`: which database, which metadata, which options.

Migrations connect through bookshelf.database.migration_engine(): DATABASE_DIRECT_URL
when it is set, else the app's own engine. A caller that already holds a connection
(pytest-alembic, for one) hands it over in config.attributes["connection"].
"""

import logging
from logging.config import fileConfig

import click
from alembic import context
from flask import current_app
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bookshelf.database import database_error_cause, migration_engine, migration_url

config = context.config
if config.config_file_name is not None:
    # Leaves the app's own loggers on: migrating from a running app (or a test) must not
    # silence the log lines it writes afterwards.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# add-book-count-to-author: its SQLITE_TRIGGERS keep authors.book_count on SQLite.
BOOK_COUNT_REVISION = "39e9a42f5b5f"

# PostgreSQL's codes for "gave up waiting for a lock" and "statement timed out".
GAVE_UP_WAITING = {"55P03", "57014"}

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def skip_empty_autogenerate(context, revision, directives) -> None:
    """`flask db migrate` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def include_object(object, name, type_, reflected, compare_to) -> bool:
    """Leave the trigram indexes out of comparisons: they exist on PostgreSQL only, are
    made by hand in their revision, and the models do not declare them."""
    return not (type_ == "index" and name.endswith("_trgm"))


def configure_args() -> dict:
    return {
        "process_revision_directives": skip_empty_autogenerate,
        "include_object": include_object,
    } | migrate.configure_args


def time_limits() -> dict[str, str]:
    return {
        "lock_timeout": current_app.config["MIGRATION_LOCK_TIMEOUT"],
        "statement_timeout": current_app.config["MIGRATION_STATEMENT_TIMEOUT"],
    }


def limit_every_transaction(connection) -> None:
    """Each migration transaction on PostgreSQL gives up after MIGRATION_LOCK_TIMEOUT waiting
    for a lock, and after MIGRATION_STATEMENT_TIMEOUT on any statement.

    A migration queued for a busy table's lock makes every later reader of that table
    queue behind it; giving up fast keeps the app serving. The limits are set LOCAL at
    the start of each transaction, so they end with it.

    In Alembic's autocommit_block (where CONCURRENTLY builds run) each statement is its
    own transaction: there the lock limit is set for the session, until
    lift_session_limits(), and the statement limit not at all: such a build blocks no
    reader or writer while it runs, and on a big table it may rightly take long.
    """
    limits = time_limits()

    def set_limits(conn) -> None:
        # SQLAlchemy is still beginning the transaction, so this goes straight to the
        # driver; psycopg2 opens the transaction with it.
        in_autocommit_block = conn.connection.dbapi_connection.autocommit
        with conn.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, %s)",
                (limits["lock_timeout"], not in_autocommit_block),
            )
            if not in_autocommit_block:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    (limits["statement_timeout"],),
                )

    event.listen(connection, "begin", set_limits)


def lift_session_limits(connection) -> None:
    """Undo what an autocommit_block set for the session: the connection may be the app's."""
    dbapi_connection = connection.connection.dbapi_connection
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
    dbapi_connection.autocommit = autocommit


def run_migrations_offline() -> None:
    """`--sql`: write the SQL out instead of running it."""
    context.configure(
        url=migration_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
        if context.get_context().dialect.name == "postgresql":
            for name, value in time_limits().items():
                context.execute(f"SET {name} = '{value}'")
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection") or migration_engine()
    if isinstance(connectable, Engine):
        with connectable.connect() as connection:
            run_migrations_on(connection)
    else:
        run_migrations_on(connectable)


def run_migrations_on(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, **configure_args())
    if connection.dialect.name == "postgresql":
        limit_every_transaction(connection)
    try:
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "sqlite":
                restore_book_count_triggers(connection)
    except DBAPIError as error:
        if getattr(error.orig, "pgcode", None) not in GAVE_UP_WAITING:
            raise
        limits = ", ".join(f"{name} {value}" for name, value in time_limits().items())
        raise click.ClickException(
            f"The migration gave up ({database_error_cause(error)}; {limits}) and its "
            "transaction was rolled back. A busy table held it up: retry in a quieter moment."
        ) from None
    finally:
        if connection.dialect.name == "postgresql":
            lift_session_limits(connection)


def restore_book_count_triggers(connection) -> None:
    """Put back the SQLite triggers that keep authors.book_count, if the schema has it.

    In batch mode SQLite rebuilds a table for most ALTERs, and the rebuilt table has lost
    its triggers; a revision that changes books need not remember to recreate them.
    """
    if not inspect(connection).has_table("authors"):
        return
    if "book_count" not in {
        column["name"] for column in inspect(connection).get_columns("authors")
    }:
        return
    revision = context.script.get_revision(BOOK_COUNT_REVISION)
    for statement in revision.module.SQLITE_TRIGGERS:
        connection.exec_driver_sql(statement)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
