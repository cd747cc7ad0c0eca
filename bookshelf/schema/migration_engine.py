"""The database `flask db` commands work on: DATABASE_DIRECT_URL when it is set (Neon's
pooled URL goes through PgBouncer, no place for DDL), else the app's own."""

from flask import current_app
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from bookshelf.errors import cannot_reach_the_database
from bookshelf.extensions import db
from config import engine_options


def migration_engine() -> Engine:
    """An engine on migration_url(); a migration is one short session, so it keeps no pool."""
    direct_url = current_app.config["MIGRATION_DATABASE_URI"]
    if direct_url is None:
        return db.engine
    return create_engine(direct_url, poolclass=NullPool, **engine_options(direct_url))


def migration_url() -> str:
    """For `flask db upgrade --sql`, which connects to nothing but needs the dialect."""
    return (
        current_app.config["MIGRATION_DATABASE_URI"]
        or current_app.config["SQLALCHEMY_DATABASE_URI"]
    )


def connect(engine: Engine) -> Connection:
    """A connection for migrations; a database that does not answer is a one-line error."""
    try:
        return engine.connect()
    except OperationalError as error:
        setting = (
            "DATABASE_DIRECT_URL"
            if current_app.config["MIGRATION_DATABASE_URI"]
            else "DATABASE_URL"
        )
        raise cannot_reach_the_database(error, setting) from None
