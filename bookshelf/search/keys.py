"""Writing the search vocabulary: the words near spellings are drawn from."""

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from bookshelf.catalogue.models import SearchWord

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def remember_words(connection: Connection, keys: Iterable[str]) -> None:
    """Add the words of these search keys to the vocabulary, leaving those it has; in the
    caller's transaction, in word order, so two writers never wait on each other in turn."""
    words = sorted({word for key in keys for word in key.split()})
    if words:
        insert = INSERTS[connection.dialect.name](SearchWord.__table__)
        connection.execute(insert.on_conflict_do_nothing(), [{"word": word} for word in words])
