"""The reads the pages and the JSON API share.

Counting, filtering, sorting and paging all happen in the database, each through an
index (see models.py), so a page costs the same few statements however big the shelf.
"""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from bookshelf.extensions import db
from bookshelf.list_options import AuthorListOptions, Paging
from bookshelf.models import Author, Book

BOOK_ORDER = (Book.title, Book.id)
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
    conditions = []
    if options.q:
        pattern = contains_pattern(options.q)
        title_matches = select(Book.author_id).where(Book.title.ilike(pattern, escape="\\"))
        conditions.append(
            or_(Author.name.ilike(pattern, escape="\\"), Author.id.in_(title_matches))
        )
    if options.country:
        conditions.append(Author.country == options.country)
    return paginate(Author, conditions, AUTHOR_ORDERS[options.sort], options)


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
    statement = select(Book).where(Book.author_id == author_id).order_by(*BOOK_ORDER)
    return list(db.session.scalars(statement))


def books_page(author_id: int, paging: Paging) -> Pagination:
    """One page of the author's books, by title."""
    return paginate(Book, [Book.author_id == author_id], BOOK_ORDER, paging)


class IdsFirstPagination(Pagination):
    """Flask-SQLAlchemy's Pagination, reading a page's ids before its rows.

    The OFFSET then walks a narrow index (every list order has one that ends in id, see
    models.py) instead of sorting whole rows, so a deep page costs about what the first
    does. Takes `model`, `conditions` and `order`; its two statements are the page and
    the count.
    """

    def _ids(self):
        model = self._query_args["model"]
        return select(model.id).where(*self._query_args["conditions"])

    def _query_items(self) -> list:
        model, order = self._query_args["model"], self._query_args["order"]
        page_ids = self._ids().order_by(*order).limit(self.per_page).offset(self._query_offset)
        page_ids = page_ids.subquery()
        rows = select(model).join(page_ids, model.id == page_ids.c.id).order_by(*order)
        return list(db.session.scalars(rows))

    def _query_count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(self._ids().subquery()))


def paginate(model, conditions: list, order, paging: Paging) -> Pagination:
    # error_out=False: a page past the end is an empty page, not a 404.
    return IdsFirstPagination(
        page=paging.page,
        per_page=paging.per_page,
        max_per_page=paging.per_page,
        error_out=False,
        model=model,
        conditions=conditions,
        order=order,
    )
