"""What the shelf already holds, and clearing it for `flask seed --replace`; both run
inside the transaction that then loads the new shelf."""

from dataclasses import dataclass

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class ShelfSize:
    authors: int
    books: int

    @property
    def is_empty(self) -> bool:
        return self.authors == 0  # every book has an author

    def __str__(self) -> str:
        return f"{counted(self.authors, 'author')} and {counted(self.books, 'book')}"


def counted(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def measure_shelf(connection: Connection) -> ShelfSize:
    """How much the shelf holds. On PostgreSQL other writers then wait until the
    transaction ends, so two seeds cannot both find the shelf empty and both fill it;
    readers do not wait."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE authors, books IN SHARE ROW EXCLUSIVE MODE"))
    return ShelfSize(
        authors=connection.scalar(text("SELECT count(*) FROM authors")),
        books=connection.scalar(text("SELECT count(*) FROM books")),
    )


def clear_shelf(connection: Connection) -> None:
    """Delete every author and book, and the history of changes to them, which would
    otherwise name ids that now belong to others; ids start again from 1. The search
    vocabulary goes too (it only ever grows otherwise): a search misspelt should not be
    offered the words of a shelf that is gone. Until the transaction commits, a failure
    or a kill leaves the old shelf as it was.

    On PostgreSQL a TRUNCATE, which is instant on any shelf and leaves no dead rows
    behind; pages wait for the transaction to commit.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("TRUNCATE books, authors, changes, search_words RESTART IDENTITY"))
    else:
        for table in ("books", "authors", "changes", "search_words"):
            connection.execute(text(f"DELETE FROM {table}"))
        # AUTOINCREMENT's counters (never-reuse-ids-on-sqlite), reset as RESTART IDENTITY does.
        connection.execute(
            text("DELETE FROM sqlite_sequence WHERE name IN ('books', 'authors', 'changes')")
        )
