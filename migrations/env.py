"""Alembic's environment for `flask db ...`: Flask-Migrate's, with the lock, limits and
triggers of bookshelf.schema.

A caller that already holds a connection or an engine (pytest-alembic, for one) hands it
over in config.attributes["connection"]; otherwise migrations use migration_engine().
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.engine import Engine

from bookshelf.schema import book_count_triggers, shelf_version_triggers, time_limits
from bookshelf.schema.migration_engine import connect, migration_engine, migration_url
from bookshelf.schema.migration_lock import one_at_a_time
from bookshelf.sqlite import foreign_keys_off_for_migrations

config = context.config
if config.config_file_name is not None:
    # Leaves the app's loggers on: a running app (or a test) that migrates keeps its log.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def skip_empty_autogenerate(context, revision, directives) -> None:
    """`flask db migrate` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


# What exists on PostgreSQL only, made by hand in its revision: the models do not declare
# it, so comparisons leave it out.
POSTGRESQL_ONLY_INDEXES = ("_trgm", "_search_vector")
POSTGRESQL_ONLY_COLUMNS = {"search_vector"}


def include_object(object, name, type_, reflected, compare_to) -> bool:
    if type_ == "index":
        return not name.endswith(POSTGRESQL_ONLY_INDEXES)
    return not (type_ == "column" and name in POSTGRESQL_ONLY_COLUMNS)


def configure_args() -> dict:
    return {
        "process_revision_directives": skip_empty_autogenerate,
        "include_object": include_object,
    } | migrate.configure_args


def run_migrations_offline() -> None:
    """`--sql`: write the SQL out instead of running it."""
    context.configure(
        url=migration_url(), target_metadata=target_metadata, literal_binds=True, **configure_args()
    )
    with context.begin_transaction():
        if context.get_context().dialect.name == "postgresql":
            for statement in time_limits.offline_statements():
                context.execute(statement)
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection") or migration_engine()
    if isinstance(connectable, Engine):
        with connect(connectable) as connection:
            run_migrations_on(connection)
    else:
        run_migrations_on(connectable)


def run_migrations_on(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, **configure_args())
    with (
        one_at_a_time(connection),
        foreign_keys_off_for_migrations(connection),
        time_limits.limited(connection),
        context.begin_transaction(),
    ):
        context.run_migrations()
        book_count_triggers.restore_sqlite_triggers(connection)
        shelf_version_triggers.restore_sqlite_triggers(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
