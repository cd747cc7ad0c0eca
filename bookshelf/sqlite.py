"""What SQLite is given so that Bookshelf behaves on it as on PostgreSQL: a Unicode lower(),
and foreign keys enforced (SQLite leaves them off unless each connection asks)."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection

from bookshelf.extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", fold_case_like_postgresql)
                event.listen(engine, "connect", enforce_foreign_keys)


def enforce_foreign_keys(dbapi_connection, connection_record) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def fold_case_like_postgresql(dbapi_connection, connection_record) -> None:
    """A lower() that knows more than ASCII, as PostgreSQL's does, so that a search ignores
    the case of "Émile" as well as of "Emile"."""
    dbapi_connection.create_function(
        "lower", 1, lambda text: text.lower() if isinstance(text, str) else text, deterministic=True
    )


@contextmanager
def foreign_keys_off_for_migrations(connection: Connection) -> Iterator[None]:
    """Batch mode rebuilds a table by copying it and dropping the old one, which enforced
    foreign keys would refuse, so migrations run with them off, as Alembic's documentation
    advises. Set on the driver's connection: SQLite ignores it inside a transaction."""
    if connection.dialect.name != "sqlite":
        yield
        return
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
