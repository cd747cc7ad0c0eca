"""The reads the pages and the JSON API share.

Counting, filtering, sorting and paging happen in the database, each through an index
(see models.py), so a page costs the same few statements however big the shelf. These
are the app's hottest lines: they run Core statements built once, with bind parameters,
rather than the ORM (bench/FINDINGS.md says what that saves).
"""

from collections import namedtuple
from functools import cache

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, select

from bookshelf.catalogue.list_options import AuthorListOptions, Paging
from bookshelf.catalogue.models import Author, Book
from bookshelf.database import read

authors = Author.__table__
books = Book.__table__

AUTHOR_FIELDS = (
    authors.c.id,
    authors.c.name,
    authors.c.bio,
    authors.c.country,
    authors.c.created_at,
    authors.c.book_count,
)
BOOK_FIELDS = (books.c.id, books.c.title, books.c.author_id, books.c.created_at)
AUTHOR_ORDERS = {
    "name": (authors.c.name_key, authors.c.id),
    "books": (authors.c.book_count.desc(), authors.c.name_key, authors.c.id),
    "newest": (authors.c.created_at.desc(), authors.c.id.desc()),
}


class PageStatements:
    """The two statements behind one page of a list: its rows and the count of all of them.

    The rows are read ids first (a deferred join), so the OFFSET walks a narrow index
    rather than whole rows and a deep page costs about what the first does. `columns`
    start with the id; the conditions' values and the page's bounds are bind parameters.
    """

    def __init__(self, columns: tuple, conditions: list, order: tuple) -> None:
        row_id = columns[0]
        ids = select(row_id).where(*conditions)
        page_ids = (
            ids.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")).subquery()
        )
        self.rows: Select = (
            select(*columns).join(page_ids, row_id == page_ids.c.id).order_by(*order)
        )
        self.count: Select = select(func.count()).select_from(ids.subquery())


COUNTRY_COUNTS = (
    select(authors.c.country, func.count().label("authors"))
    .where(authors.c.country.is_not(None), authors.c.country != "")
    .group_by(authors.c.country)
    .order_by(authors.c.country)
)
AUTHOR_BY_ID = select(*AUTHOR_FIELDS).where(authors.c.id == bindparam("author_id"))
AUTHORS_BY_ID = PageStatements(AUTHOR_FIELDS, [], (authors.c.id,))
BOOKS_OF_AUTHOR = PageStatements(
    BOOK_FIELDS, [books.c.author_id == bindparam("author_id")], (books.c.title_key, books.c.id)
)


@cache
def author_list_statements(sort: str, by_country: bool) -> PageStatements:
    """The statements for the author list in one `sort` order, with or without a country
    (bind parameter `country`). Six shapes in all, each built on first use."""
    conditions = []
    if by_country:
        conditions.append(authors.c.country == bindparam("country"))
    return PageStatements(AUTHOR_FIELDS, conditions, AUTHOR_ORDERS[sort])


def read_rows(statement: Select, values: dict | None = None) -> list:
    """The rows of `statement`, as named tuples: pages read every field of every row, and
    SQLAlchemy's Row is about ten times as slow at that (bench/FINDINGS.md)."""
    result = read(statement, values)
    make_row = row_type(tuple(result.keys()))._make
    return [make_row(row) for row in result.all()]


@cache
def row_type(fields: tuple[str, ...]) -> type:
    return namedtuple("Row", fields)


def authors_page(options: AuthorListOptions) -> Pagination:
    """One page of the authors `options` select, with the total they add up to."""
    statements = author_list_statements(options.sort, bool(options.country))
    values = {"country": options.country} if options.country else {}
    return paginate(statements, values, options)


def country_counts() -> list:
    """Every recorded country with its number of authors, A to Z."""
    return read_rows(COUNTRY_COUNTS)


def authors_by_id_page(paging: Paging) -> Pagination:
    """One page of every author, oldest id first."""
    return paginate(AUTHORS_BY_ID, {}, paging)


def author_or_404(author_id: int):
    rows = read_rows(AUTHOR_BY_ID, {"author_id": author_id})
    if not rows:
        abort(404, description="There is no author with that id.")
    return rows[0]


def books_page(author, paging: Paging) -> Pagination:
    """One page of the author's books, by title. Their number is the author's book_count,
    which triggers keep, so it costs no count."""
    return paginate(BOOKS_OF_AUTHOR, {"author_id": author.id}, paging, total=author.book_count)


class StatementPagination(Pagination):
    """Flask-SQLAlchemy's Pagination over PageStatements and their values.

    The count is skipped when the `total` is known already, and the rows too when that
    total is 0.
    """

    def _query_items(self) -> list:
        if self._query_args["total"] == 0:
            return []
        bounds = {"limit": self.per_page, "offset": self._query_offset}
        statement = self._query_args["statements"].rows
        return read_rows(statement, self._query_args["values"] | bounds)

    def _query_count(self) -> int:
        if self._query_args["total"] is not None:
            return self._query_args["total"]
        statement = self._query_args["statements"].count
        return read(statement, self._query_args["values"]).scalar_one()


def paginate(statements: PageStatements, values: dict, paging: Paging, total: int | None = None):
    # error_out=False: a page past the end is an empty page, not a 404.
    return StatementPagination(
        page=paging.page,
        per_page=paging.per_page,
        max_per_page=paging.per_page,
        error_out=False,
        statements=statements,
        values=values,
        total=total,
    )
