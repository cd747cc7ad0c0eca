"""Whether a database's schema is the one the code expects."""

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from bookshelf.extensions import db


def schema_is_current() -> bool:
    """True when the database has had every migration applied (`flask db upgrade`)."""
    migrations = current_app.extensions["migrate"].migrate.get_config()
    latest = set(ScriptDirectory.from_config(migrations).get_heads())
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == latest
