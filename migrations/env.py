"""Alembic's environment for `flask db ...`: which database, which metadata, which options.

Migrations connect through bookshelf.database.migration_engine(): DATABASE_DIRECT_URL
when it is set, else the app's own engine. A caller that already holds a connection
(pytest-alembic, for one) hands it over in config.attributes["connection"].
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bookshelf.database import migration_engine

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

# add-book-count-to-author: its SQLITE_TRIGGERS keep authors.book_count on SQLite.
BOOK_COUNT_REVISION = "39e9a42f5b5f"

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def migration_url() -> str:
    return (
        current_app.config["MIGRATION_DATABASE_URI"]
        or current_app.config["SQLALCHEMY_DATABASE_URI"]
    )


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


def run_migrations_offline() -> None:
    """`--sql`: write the SQL out instead of running it."""
    context.configure(
        url=migration_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        **configure_args(),
    )
    with context.begin_transaction():
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
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            restore_book_count_triggers(connection)


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
