"""What SQLite is given so that Bookshelf behaves on it as on PostgreSQL."""

from flask import Flask
from sqlalchemy import event

from bookshelf.extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", fold_case_like_postgresql)


def fold_case_like_postgresql(dbapi_connection, connection_record) -> None:
    """A lower() that knows more than ASCII, as PostgreSQL's does, so that a search ignores
    the case of "Émile" as well as of "Emile"."""
    dbapi_connection.create_function(
        "lower", 1, lambda text: text.lower() if isinstance(text, str) else text, deterministic=True
    )
