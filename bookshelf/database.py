"""Checks on the database the app is bound to: can it be reached, is its schema current."""

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from bookshelf.extensions import db


def database_error_cause(error: SQLAlchemyError) -> str:
    """The first line of what the database (or its driver) said, for a one-line message."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def schema_is_current() -> bool:
    """True when the database has had every migration applied (`flask db upgrade`)."""
    migrations = current_app.extensions["migrate"].migrate.get_config()
    latest = set(ScriptDirectory.from_config(migrations).get_heads())
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == latest
