"""The reads the pages and the JSON API share.

Counting, filtering, sorting and paging all happen in the database, each through an
index (see models.py), so a page costs the same few statements however big the shelf.
"""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from bookshelf.extensions import db
from bookshelf.list_options import AuthorListOptions, Paging
from bookshelf.models import Author, Book

AUTHOR_ORDERS = {
    "name": (Author.name, Author.id),
    "books": (Author.book_count.desc(), Author.name, Author.id),
    "newest": (Author.created_at.desc(), Author.id.desc()),
}


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its %, _ and \\ taken as plain characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def authors_page(options: AuthorListOptions) -> Pagination:
    """One page of the authors `options` select, with the total they add up to.

    A search matches an author's name or the title of any of their books, ignoring case.
    """
    statement = select(Author)
    if options.q:
        pattern = contains_pattern(options.q)
        title_matches = select(Book.author_id).where(Book.title.ilike(pattern, escape="\\"))
        statement = statement.where(
            or_(Author.name.ilike(pattern, escape="\\"), Author.id.in_(title_matches))
        )
    if options.country:
        statement = statement.where(Author.country == options.country)
    statement = statement.order_by(*AUTHOR_ORDERS[options.sort])
    return paginate(statement, options)


def country_counts() -> list:
    """Every recorded country with its number of authors, A to Z."""
    authors = func.count().label("authors")
    statement = (
        select(Author.country, authors)
        .where(Author.country.is_not(None))
        .group_by(Author.country)
        .order_by(Author.country)
    )
    return db.session.execute(statement).all()


def all_authors() -> list[Author]:
    """Every author, oldest id first."""
    return list(db.session.scalars(select(Author).order_by(Author.id)))


def author_or_404(author_id: int) -> Author:
    return db.get_or_404(Author, author_id, description="There is no author with that id.")


def books_by(author_id: int) -> list[Book]:
    """All of the author's books, by title."""
    return list(db.session.scalars(books_by_title(author_id)))


def books_page(author_id: int, paging: Paging) -> Pagination:
    """One page of the author's books, by title."""
    return paginate(books_by_title(author_id), paging)


def books_by_title(author_id: int):
    return select(Book).where(Book.author_id == author_id).order_by(Book.title, Book.id)


def paginate(statement, paging: Paging) -> Pagination:
    # error_out=False: a page past the end is an empty page, not a 404.
    return db.paginate(
        statement,
        page=paging.page,
        per_page=paging.per_page,
        max_per_page=paging.per_page,
        error_out=False,
    )
