"""The catalogue's tables: authors and their books, the indexes browsing needs, and the
search keys names and titles are found and sorted by (bookshelf.search.words)."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bookshelf.extensions import db

# A search key (bookshelf.search.words.search_key) compares byte by byte on both backends:
# SQLite's default, and COLLATE "C" on PostgreSQL, whose locales would skip the spaces
# between words. Names and titles then sort alike everywhere.
SearchKey = Text().with_variant(Text(collation="C"), "postgresql")


class Author(db.Model):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    bio: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Kept by database triggers on books (see the add-book-count-to-author revision), so
    # sorting by number of books reads one indexed column instead of counting every book.
    book_count: Mapped[int] = mapped_column(server_default=text("0"))
    # Bumped by every UPDATE through the ORM, so an edit made from a form opened before
    # someone else's is caught rather than saved over it.
    version: Mapped[int] = mapped_column(server_default=text("1"))

    # The name's search key: what the author is found by, and sorted by.
    name_key: Mapped[str | None] = mapped_column(SearchKey)

    books: Mapped[list["Book"]] = relationship(back_populates="author")

    __mapper_args__ = {"version_id_col": version}
    # The history outlives deleted rows and restores them by id, so an id is never handed
    # out twice; PostgreSQL's sequences never do, and SQLite needs AUTOINCREMENT for it.
    __table_args__ = {"sqlite_autoincrement": True}

    def __repr__(self) -> str:
        return f"<Author {self.id} {self.name!r}>"


class Book(db.Model):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    version: Mapped[int] = mapped_column(server_default=text("1"))
    # The title's search key, which the author's books and search results sort by, and
    # what the book is found by: the title's words, then its author's (words.book_search_text).
    title_key: Mapped[str | None] = mapped_column(SearchKey)
    search_text: Mapped[str | None] = mapped_column(SearchKey)

    author: Mapped[Author] = relationship(back_populates="books")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = {"sqlite_autoincrement": True}

    def __repr__(self) -> str:
        return f"<Book {self.id} {self.title!r}>"


# One index per way of listing, each ending in id so that ties keep a stable order and a
# page is read straight off the index; names and titles sort by their search keys. The
# trigram indexes that searches read exist on PostgreSQL only; they live in the
# add-search-keys revision, not here.
Index("ix_authors_name_key_id", Author.name_key, Author.id)
Index("ix_authors_book_count_name_key_id", Author.book_count.desc(), Author.name_key, Author.id)
Index("ix_authors_created_at_id", Author.created_at, Author.id)
Index("ix_authors_country_name_key_id", Author.country, Author.name_key, Author.id)
Index("ix_books_title_key_id", Book.title_key, Book.id)
# Leads with author_id, so it also serves the foreign key (an author's books, deletes).
Index("ix_books_author_id_title_key_id", Book.author_id, Book.title_key, Book.id)


class SearchWord(db.Model):
    """Every word the shelf's names and titles have held: the near spellings a search tries
    when nothing matches come from here. Words are only ever added."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(SearchKey, primary_key=True)


class ShelfVersion(db.Model):
    """The shelf's version, one more with every change to authors or books: triggers keep
    it (bookshelf.schema.shelf_version_triggers), and bookshelf.caching reads it."""

    __tablename__ = "shelf_version"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, server_default=text("1"))
    version: Mapped[int] = mapped_column(BigInteger, server_default=text("1"))
