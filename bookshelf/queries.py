"""The reads the pages and the JSON API share."""

from sqlalchemy import func, select

from bookshelf.extensions import db
from bookshelf.models import Author, Book


def author_list():
    """Every author with their number of books, A to Z, in one query."""
    book_count = func.count(Book.id).label("book_count")
    statement = (
        select(Author, book_count)
        .outerjoin(Author.books)
        .group_by(Author.id)
        .order_by(Author.name, Author.id)
    )
    return db.session.execute(statement).all()


def all_authors() -> list[Author]:
    """Every author, oldest id first."""
    return list(db.session.scalars(select(Author).order_by(Author.id)))


def find_author(author_id: int) -> Author | None:
    return db.session.get(Author, author_id)


def books_by(author_id: int) -> list[Book]:
    """The author's books, by title."""
    statement = select(Book).where(Book.author_id == author_id).order_by(Book.title, Book.id)
    return list(db.session.scalars(statement))
