"""The ceiling Bookshelf is measured against: a bare Flask app with psycopg2 (no ORM, no
extensions) that sends the same SQL as Bookshelf and renders the same templates.

It is as fast as these pages can be with Flask and Jinja on this database, so ours/
ceiling says what SQLAlchemy, Flask-SQLAlchemy and the app's own structure cost. Its
answers are Bookshelf's, byte for byte, headers included (bench/run.py checks): it imports
Bookshelf's helpers that use neither SQLAlchemy nor a Flask extension (the query-string
reading, the id converter, the JSON bodies, the template filters, the security headers).
Serve it with `gunicorn bench.ceiling:app`, DATABASE_URL naming the database.

The search's statements vary with the number of words, so for the search, and for the read
of the shelf's version that validators are made of, the ceiling sends Bookshelf's own
statements, compiled to SQL by SQLAlchemy once for each shape (BookshelfSQL) and then run
on the bare connection; the choices between them are made as Bookshelf makes them, and the pure
parts (the words, their values, the near spellings' choice) are Bookshelf's.
"""

import math
import os
from functools import cache
from urllib.parse import urlencode

import psycopg2
import psycopg2.extras
from flask import Blueprint, Flask, abort, render_template, request
from sqlalchemy.dialects import postgresql
from werkzeug.routing import Rule

from bookshelf import PROJECT_ROOT, caching, templating
from bookshelf.api.json_bodies import author_json, book_json, paged_json
from bookshelf.caching import shared
from bookshelf.catalogue.list_options import (
    AuthorListOptions,
    Paging,
    author_page_links,
    clean_text,
)
from bookshelf.converters import RowIdConverter
from bookshelf.search import queries, spelling, vocabulary
from bookshelf.search.queries import COUNT_BOUND, WALK_ROWS, Found, Terms
from bookshelf.search.results import NOTHING, SearchResults
from bookshelf.search.words import LONGEST_WORD_BYTES, MAX_QUERY_WORDS, search_words
from bookshelf.security import SessionCookies, add_security_headers

AUTHOR_COLUMNS = (
    "authors.id, authors.name, authors.bio, authors.country, authors.created_at, authors.book_count"
)
BOOK_COLUMNS = "books.id, books.title, books.author_id, books.created_at"
ORDERS = {
    "name": "authors.name_key, authors.id",
    "books": "authors.book_count DESC, authors.name_key, authors.id",
    "newest": "authors.created_at DESC, authors.id DESC",
}
BOOK_ORDER = "books.title_key, books.id"

catalogue = Blueprint("catalogue", __name__)
api = Blueprint("api", __name__, url_prefix="/api")
search_pages = Blueprint("search", __name__)
_connection = None


def cursor():
    """A cursor on this worker's one connection. Like Bookshelf's reads, each statement
    is its own transaction (autocommit); unlike them, there is no pool, and a dropped
    connection is not replaced."""
    global _connection
    if _connection is None:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
    return _connection.cursor(cursor_factory=psycopg2.extras.NamedTupleCursor)


class Page:
    """What the templates read of a Flask-SQLAlchemy Pagination."""

    def __init__(self, items: list, total: int, paging: Paging) -> None:
        self.items, self.total = items, total
        self.page, self.per_page = paging.page, paging.per_page
        self.pages = math.ceil(total / self.per_page) if total else 0
        self.first = (self.page - 1) * self.per_page + 1 if total else 0
        self.last = min(total, self.page * self.per_page)
        self.has_prev, self.prev_num = self.page > 1, self.page - 1
        self.has_next, self.next_num = self.page < self.pages, self.page + 1

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
        end = self.pages + 1
        if end == 1:
            return
        left_end = min(1 + left_edge, end)
        yield from range(1, left_end)
        if left_end == end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, end)
        if mid_start - left_end > 0:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end == end:
            return
        right_start = max(mid_end, end - right_edge)
        if right_start - mid_end > 0:
            yield None
        yield from range(right_start, end)


def page_of(table, columns, where, params, order, paging: Paging, total=None) -> Page:
    offset = (paging.page - 1) * paging.per_page
    with cursor() as cur:
        cur.execute(
            f"SELECT {columns} FROM {table} JOIN (SELECT {table}.id AS id FROM {table}{where} "
            f"ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s) AS anon_1 "
            f"ON {table}.id = anon_1.id ORDER BY {order}",
            {**params, "limit": paging.per_page, "offset": offset},
        )
        items = cur.fetchall()
        if total is not None:
            return Page(items, total, paging)
        cur.execute(
            f"SELECT count(*) AS count_1 FROM (SELECT {table}.id AS id FROM {table}{where}) "
            "AS anon_1",
            params,
        )
        return Page(items, cur.fetchone()[0], paging)


@catalogue.get("/authors/")
@shared
def authors_page():
    options = AuthorListOptions.from_args(request.args)
    conditions, params = [], {}
    if options.country:
        params["country_1"] = options.country
        conditions.append("authors.country = %(country_1)s")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    authors = page_of("authors", AUTHOR_COLUMNS, where, params, ORDERS[options.sort], options)
    with cursor() as cur:
        cur.execute(
            "SELECT authors.country, count(*) AS authors FROM authors WHERE authors.country "
            "IS NOT NULL AND authors.country != %(country_1)s GROUP BY authors.country "
            "ORDER BY authors.country",
            {"country_1": ""},
        )
        countries = cur.fetchall()
    return render_template(
        "catalogue/authors.html",
        authors=authors,
        countries=countries,
        options=options,
        back=urlencode(options.link_args()),
    )


def find_author(author_id: int):
    with cursor() as cur:
        cur.execute(
            f"SELECT {AUTHOR_COLUMNS} FROM authors WHERE authors.id = %(pk_1)s", {"pk_1": author_id}
        )
        author = cur.fetchone()
    if author is None:
        abort(404)
    return author


def books_page(author, paging: Paging) -> Page:
    return page_of(
        "books",
        BOOK_COLUMNS,
        " WHERE books.author_id = %(author_id_1)s",
        {"author_id_1": author.id},
        BOOK_ORDER,
        paging,
        total=author.book_count,
    )


@catalogue.get("/authors/<row_id:author_id>")
@shared
def author_page(author_id: int):
    author = find_author(author_id)
    paging = Paging.from_args(request.args)
    return render_template(
        "catalogue/author.html",
        author=author,
        books=books_page(author, paging),
        **author_page_links(author_id, paging, request.args.get("back", "")),
    )


@api.get("/authors/")
@shared(per_cookie=False)
def authors():
    paging = Paging.from_args(request.args)
    page = page_of("authors", AUTHOR_COLUMNS, "", {}, "authors.id", paging)
    return paged_json(page, author_json, "api.authors")


@api.get("/books/<row_id:author_id>")
@shared(per_cookie=False)
def books(author_id: int):
    author = find_author(author_id)
    paging = Paging.from_args(request.args)
    page = books_page(author, paging)
    return paged_json(page, book_json, "api.books", author_id=author_id)


class BookshelfSQL:
    """A statement of Bookshelf's as the SQL it sends, with the values it binds itself
    (its LIMITs)."""

    def __init__(self, statement) -> None:
        compiled = statement.compile(dialect=postgresql.dialect())
        self.sql = compiled.string
        self.defaults = {k: v for k, v in compiled.params.items() if v is not None}

    def run(self, values: dict) -> list:
        with cursor() as cur:
            cur.execute(self.sql, {**self.defaults, **values})
            return cur.fetchall()


@cache
def author_sql(word_count: int) -> tuple[BookshelfSQL, BookshelfSQL]:
    return tuple(map(BookshelfSQL, queries.author_statements(word_count)))


@cache
def book_sql(word_count: int) -> tuple:
    every, tiers, rows = queries.book_statements(True, word_count)
    tiers = [(BookshelfSQL(t.gather), t.walk is not None and BookshelfSQL(t.walk)) for t in tiers]
    return BookshelfSQL(every), tiers, BookshelfSQL(rows)


SEARCH_STATEMENTS = {
    name: BookshelfSQL(statement)
    for name, statement in {
        "estimate": queries.ESTIMATE,
        "candidates": spelling.CANDIDATES,
        "books holding": spelling.books_holding_statement(True),
    }.items()
}


@cache
def lookup_sql(word_count: int) -> BookshelfSQL:
    return BookshelfSQL(vocabulary.lookup_statement(word_count))


def known_words(words: tuple[str, ...]) -> vocabulary.KnownWords:
    rows = lookup_sql(len(words)).run(vocabulary.lookup_values(words))
    return vocabulary.known_from(words, rows)


def counted(count: BookshelfSQL, values: dict) -> int | None:
    found = count.run(values)[0][0]
    return found if found <= COUNT_BOUND else None


def search_authors(terms: Terms, paging: Paging) -> Found:
    page_rows, count = author_sql(len(terms.words))
    values = terms.values()
    total = counted(count, values)
    offset = (paging.page - 1) * paging.per_page
    if offset >= COUNT_BOUND if total is None else offset >= total:
        return Found([], total)
    return Found(page_rows.run(values | {"limit": paging.per_page, "offset": offset}), total)


def search_books(terms: Terms, paging: Paging) -> Found:
    every, tiers, page_rows = book_sql(len(terms.words))
    values = terms.values()
    offset, per_page = (paging.page - 1) * paging.per_page, paging.per_page
    estimate = len(terms.words) == 1 and SEARCH_STATEMENTS["estimate"].run(values)[0][0][0]
    found = None
    if not (estimate and estimate["Plan"]["Plan Rows"] >= queries.COUNT_TRUSTED_PAST):
        found = every.run(values)
    if found is not None and len(found) <= COUNT_BOUND:
        total = len(found)
        ids = queries.in_rank_order(found, values)[offset : offset + per_page]
    elif offset >= COUNT_BOUND:
        return Found([], None)
    else:
        total, ids = walked_tiers(tiers, terms, values, offset, per_page)
    by_id = {row.id: row for row in page_rows.run({"ids": ids})} if ids else {}
    return Found([by_id[book_id] for book_id in ids if book_id in by_id], total)


def walked_tiers(tiers, terms: Terms, values: dict, offset: int, per_page: int):
    if terms.endings == terms.words[-1:]:
        tiers = tiers[:-1]
    ranked = []
    for gather, walk in tiers:
        up_to = offset + per_page - len(ranked)
        found = []
        if walk:
            found = [row[0] for row in walk.run(values | {"up_to": up_to, "walk": WALK_ROWS})]
        if len(found) < up_to:
            found = [row[0] for row in gather.run(values | {"up_to": up_to})]
        ranked += found
        if len(ranked) >= offset + per_page:
            return None, ranked[offset : offset + per_page]
    total = len(ranked) if len(ranked) <= COUNT_BOUND else None
    return total, ranked[offset : offset + per_page]


def corrected(known: vocabulary.KnownWords) -> tuple[str, ...] | None:
    replaced = list(known.words)
    for position, word in enumerate(known.words):
        if known.knows(position):
            continue
        candidates = SEARCH_STATEMENTS["candidates"].run(spelling.candidate_range(word))
        tied = spelling.nearest_candidates(word, [row[0] for row in candidates])
        if not tied:
            return None
        replaced[position] = (
            tied[0]
            if len(tied) == 1
            else max(
                tied[: spelling.CANDIDATES_WEIGHED],
                key=lambda w: (
                    SEARCH_STATEMENTS["books holding"].run(Terms((w,)).values())[0][0],
                    -tied.index(w),
                ),
            )
        )
    return tuple(replaced) if replaced != list(known.words) else None


def search_known(query, known, paging, corrected=None) -> SearchResults:
    if not known.knows_all:
        return SearchResults(query, known.words, corrected, NOTHING, NOTHING)
    terms = known.terms()
    return SearchResults(
        query, known.words, corrected, search_authors(terms, paging), search_books(terms, paging)
    )


@search_pages.get("/search")
@shared
def search_page():
    query = clean_text(request.args.get("q"))
    paging = Paging.from_args(request.args)
    as_typed = request.args.get("as_typed") == "1"
    words = tuple(search_words(query)[:MAX_QUERY_WORDS])
    if not words or any(len(word.encode()) > LONGEST_WORD_BYTES for word in words):
        results = SearchResults(query, words, None, NOTHING, NOTHING)
    else:
        known = known_words(words)
        results = search_known(query, known, paging)
        if results.empty and not as_typed:
            spelt = corrected(known)
            if spelt:
                results = search_known(query, known_words(spelt), paging, " ".join(spelt))
    link_args = Paging(per_page=paging.per_page).link_args() | ({"as_typed": 1} if as_typed else {})
    return render_template(
        "search/results.html",
        results=results,
        query=query,
        paging=paging,
        last_page=results.last_page(paging.per_page),
        link_args=link_args,
        count_bound=COUNT_BOUND,
    )


VERSION = BookshelfSQL(caching.VERSION)


def answer_unchanged():
    """bookshelf.caching's, reading the version on the bare connection."""
    view = app.view_functions.get(request.endpoint)
    if not caching.is_shareable_request(view):
        return None
    return caching.answer_for_version(view, VERSION.run({})[0][0])


app = Flask(
    __name__, template_folder=PROJECT_ROOT / "templates", static_folder=PROJECT_ROOT / "static"
)
app.url_map.converters["row_id"] = RowIdConverter
# The signed-out header links to the sign-in page, which the ceiling need not serve.
app.url_map.add(Rule("/login", endpoint="accounts.login", build_only=True))
# Readers are signed out; the pages still look at the session (for messages and who is
# signed in), which Bookshelf answers with Vary: Cookie, so the ceiling does too.
app.secret_key = "ceiling"
app.session_interface = SessionCookies()
app.context_processor(lambda: {"curator": None})

templating.init_app(app)
app.register_blueprint(catalogue)
app.register_blueprint(api)
app.register_blueprint(search_pages)
app.after_request(add_security_headers)
# The answers' validators and Cache-Control, and static files linked by their content.
app.config.update(CACHE_MAX_AGE=60, CACHE_STALE_SECONDS=300)
app.extensions["release"] = caching.release_fingerprint()
app.before_request(answer_unchanged)
app.after_request(caching.mark_shareable)
app.url_defaults(caching.link_static_files_by_content)
