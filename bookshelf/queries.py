"""The reads the pages and the JSON API share.

Counting, filtering, sorting and paging all happen in the database, each through an
index (see models.py), so a page costs the same few statements however big the shelf.
Reads return rows (named tuples with the columns a page shows), not ORM objects: pages
only read, and a row costs a fraction of what an object with an identity map does.
"""

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import false, func, or_, select

from bookshelf.extensions import db
from bookshelf.list_options import AuthorListOptions, Paging
from bookshelf.models import Author, Book

LONGEST_TEXT = max(Author.name.type.length, Book.title.type.length)
AUTHOR_FIELDS = (
    Author.id,
    Author.name,
    Author.bio,
    Author.country,
    Author.created_at,
    Author.book_count,
)
BOOK_FIELDS = (Book.id, Book.title, Book.author_id, Book.created_at)
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
    if len(options.q) > LONGEST_TEXT:
        # Nothing stored is that long, so nothing contains it (and SQLite refuses LIKE
        # patterns of some 50,000 characters).
        conditions.append(false())
    elif options.q:
        pattern = contains_pattern(options.q)
        title_matches = select(Book.author_id).where(Book.title.ilike(pattern, escape="\\"))
        conditions.append(
            or_(Author.name.ilike(pattern, escape="\\"), Author.id.in_(title_matches))
        )
    if options.country:
        conditions.append(Author.country == options.country)
    return paginate(AUTHOR_FIELDS, conditions, AUTHOR_ORDERS[options.sort], options)


def country_counts() -> list:
    """Every recorded country with its number of authors, A to Z."""
    authors = func.count().label("authors")
    statement = (
        select(Author.country, authors)
        .where(Author.country.is_not(None), Author.country != "")
        .group_by(Author.country)
        .order_by(Author.country)
    )
    return db.session.execute(statement).all()


def authors_by_id_page(paging: Paging) -> Pagination:
    """One page of every author, oldest id first."""
    return paginate(AUTHOR_FIELDS, [], (Author.id,), paging)


def author_or_404(author_id: int):
    author = db.session.execute(select(*AUTHOR_FIELDS).where(Author.id == author_id)).first()
    if author is None:
        abort(404, description="There is no author with that id.")
    return author


def books_page(author, paging: Paging) -> Pagination:
    """One page of the author's books, by title. Their number is the author's book_count,
    which triggers keep, so it costs no count."""
    conditions = [Book.author_id == author.id]
    return paginate(BOOK_FIELDS, conditions, BOOK_ORDER, paging, total=author.book_count)


class IdsFirstPagination(Pagination):
    """Flask-SQLAlchemy's Pagination, reading a page's ids before its rows.

    The OFFSET then walks a narrow index (every list order has one that ends in id, see
    models.py) instead of sorting whole rows, so a deep page costs about what the first
    does. Takes `columns` (the first is the id), `conditions`, `order`, and the `total`
    when it is known already; its statements are the page and, without a total, the count.
    """

    def _ids(self):
        row_id = self._query_args["columns"][0]
        return select(row_id).where(*self._query_args["conditions"])

    def _query_items(self) -> list:
        columns, order = self._query_args["columns"], self._query_args["order"]
        page_ids = self._ids().order_by(*order).limit(self.per_page).offset(self._query_offset)
        page_ids = page_ids.subquery()
        rows = select(*columns).join(page_ids, columns[0] == page_ids.c.id).order_by(*order)
        return db.session.execute(rows).all()

    def _query_count(self) -> int:
        if self._query_args["total"] is not None:
            return self._query_args["total"]
        return db.session.scalar(select(func.count()).select_from(self._ids().subquery()))


def paginate(columns, conditions: list, order, paging: Paging, total: int | None = None):
    # error_out=False: a page past the end is an empty page, not a 404.
    return IdsFirstPagination(
        page=paging.page,
        per_page=paging.per_page,
        max_per_page=paging.per_page,
        error_out=False,
        columns=columns,
        conditions=conditions,
        order=order,
        total=total,
    )
