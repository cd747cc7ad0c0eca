"""The search: the authors whose names, and the books whose titles and authors' names,
hold every word of a query, best first.

Every word but the last must match a whole word, and the last may be the start of one,
so results come as a reader types. Results rank in tiers: the whole name or title is the
query, then it starts with the query, then every word matches whole, then the last only
as a prefix. Within a tier, authors with more books come first, then names A to Z; books
come by title. The same statements run on PostgreSQL and SQLite, over the search keys
(bookshelf.search.words): LIKE patterns that PostgreSQL's trigram indexes serve, and
ranges of the keys that their B-tree indexes serve.

Books are read tier by tier, each tier in title order with a LIMIT, so a query that
matches half a million books reads a page's worth of each tier from an index rather than
ranking them all. Counts stop at COUNT_BOUND.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, func, literal, not_, select, union_all

from bookshelf.catalogue.models import Author, Book
from bookshelf.catalogue.queries import read_rows
from bookshelf.database import read
from bookshelf.search.words import following

authors = Author.__table__
books = Book.__table__

# Counts are exact up to here; past it a page says "more than 1,000", and paging stops.
COUNT_BOUND = 1_000


@dataclass(frozen=True)
class Terms:
    """A query's words as the values the search statements bind."""

    words: tuple[str, ...]

    def values(self) -> dict:
        """`whole_N` and `prefix_N` LIKE patterns for each word; `exact`, the key the whole
        query makes; `start` and `stop`, the range of keys that begin with the query."""
        start = " " + " ".join(self.words)
        values = {"exact": start + " ", "start": start, "stop": following(start)}
        for number, word in enumerate(self.words):
            values[f"whole_{number}"] = f"% {word} %"
            values[f"prefix_{number}"] = f"% {word}%"
        return values


def matches(key, word_count: int, last_whole: bool = False):
    """`key` holds every word whole, the last perhaps only as a prefix."""
    last = word_count - 1
    conditions = [key.like(bindparam(f"whole_{n}")) for n in range(last)]
    conditions.append(key.like(bindparam(f"whole_{last}" if last_whole else f"prefix_{last}")))
    return and_(*conditions)


def starts_with_query(key):
    return and_(key >= bindparam("start"), key < bindparam("stop"))


@cache
def author_statements(word_count: int) -> tuple[Select, Select]:
    """A page of matching authors, best first, and their count up to the bound."""
    key = authors.c.name_key
    tier = case(
        (key == bindparam("exact"), 0),
        (starts_with_query(key), 1),
        (matches(key, word_count, last_whole=True), 2),
        else_=3,
    )
    matching = matches(key, word_count)
    page = (
        select(authors.c.id, authors.c.name, authors.c.country, authors.c.book_count)
        .where(matching)
        .order_by(tier, authors.c.book_count.desc(), key, authors.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return page, bounded_count(authors, matching)


@cache
def book_statements(word_count: int) -> tuple[Select, Select]:
    """A page of matching books, best first, and their count up to the bound.

    Each tier is its own SELECT in title order with a LIMIT of the rows up to the end of
    the page, and excludes the tiers before it, so the planner can read each from an index
    in order and stop, or, for a rare word, gather it from the trigram index and sort it.
    """
    title, text = books.c.title_key, books.c.search_text
    tiers = [
        title == bindparam("exact"),
        and_(starts_with_query(title), title != bindparam("exact")),
        and_(matches(text, word_count, last_whole=True), not_(starts_with_query(title))),
        and_(
            matches(text, word_count),
            not_(text.like(bindparam(f"whole_{word_count - 1}"))),
            not_(starts_with_query(title)),
        ),
    ]
    # Each tier in a subquery of its own: SQLite allows no LIMIT on a UNION's parts.
    tier_rows = [
        select(literal(number).label("tier"), books.c.id, title)
        .where(condition)
        .order_by(title, books.c.id)
        .limit(bindparam("up_to"))
        .subquery(f"tier_{number}")
        for number, condition in enumerate(tiers)
    ]
    ranked = union_all(*(select(rows) for rows in tier_rows)).subquery("ranked")
    page = (
        select(books.c.id, books.c.title, books.c.author_id, authors.c.name.label("author_name"))
        .select_from(ranked)
        .join(books, books.c.id == ranked.c.id)
        .join(authors, authors.c.id == books.c.author_id)
        .order_by(ranked.c.tier, ranked.c.title_key, ranked.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return page, bounded_count(books, matches(text, word_count))


def bounded_count(table, condition) -> Select:
    """How many rows meet `condition`, counting no further than one past the bound."""
    found = select(literal(1)).select_from(table).where(condition).limit(COUNT_BOUND + 1)
    return select(func.count()).select_from(found.subquery())


@dataclass(frozen=True)
class Found:
    """One group's page of results, and how many there are (None: more than the bound)."""

    rows: list
    total: int | None


def found(statements: tuple[Select, Select], terms: Terms, page: int, per_page: int) -> Found:
    page_rows, count = statements
    values = terms.values()
    counted = read(count, values).scalar_one()
    offset = (page - 1) * per_page
    if offset >= min(counted, COUNT_BOUND):
        rows = []
    else:
        bounds = {"limit": per_page, "offset": offset, "up_to": offset + per_page}
        rows = read_rows(page_rows, values | bounds)
    return Found(rows, counted if counted <= COUNT_BOUND else None)


def search_authors(terms: Terms, page: int, per_page: int) -> Found:
    return found(author_statements(len(terms.words)), terms, page, per_page)


def search_books(terms: Terms, page: int, per_page: int) -> Found:
    return found(book_statements(len(terms.words)), terms, page, per_page)
