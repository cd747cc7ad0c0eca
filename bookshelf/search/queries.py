"""The search: the authors whose names, and the books whose titles and authors' names,
hold every word of a query, best first.

Every word but the last must match a whole word, and the last may be the start of one,
so results come as a reader types. Results rank in tiers: the whole name or title is the
query, then it starts with the query, then every word matches whole, then the last only
as a prefix. Within a tier, authors with more books come first, then names A to Z; books
come by title. The same statements run on PostgreSQL and SQLite, over the search keys
(bookshelf.search.words): LIKE patterns that PostgreSQL's trigram indexes serve, and
ranges of the keys that their B-tree indexes serve.

Books are read tier by tier, each in title order with a LIMIT, and only as far as the page
needs. Counts stop at COUNT_BOUND, and so does paging.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, and_, bindparam, case, func, literal, not_, select

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
def book_statements(word_count: int) -> tuple[list[Select], Select, Select]:
    """The ids of each tier's matching books in title order, up to `up_to` of them; the
    page's rows for chosen ids; and the count of all matches up to the bound."""
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
    tier_ids = [
        select(books.c.id).where(condition).order_by(title, books.c.id).limit(bindparam("up_to"))
        for condition in tiers
    ]
    rows = (
        select(books.c.id, books.c.title, books.c.author_id, authors.c.name.label("author_name"))
        .join(authors, authors.c.id == books.c.author_id)
        .where(books.c.id.in_(bindparam("ids", expanding=True)))
    )
    return tier_ids, rows, bounded_count(books, matches(text, word_count))


def bounded_count(table, condition) -> Select:
    """How many rows meet `condition`, counting no further than one past the bound."""
    found = select(literal(1)).select_from(table).where(condition).limit(COUNT_BOUND + 1)
    return select(func.count()).select_from(found.subquery())


@dataclass(frozen=True)
class Found:
    """One group's page of results, and how many there are (None: more than the bound)."""

    rows: list
    total: int | None


def counted(count: Select, values: dict) -> int | None:
    found = read(count, values).scalar_one()
    return found if found <= COUNT_BOUND else None


def search_authors(terms: Terms, page: int, per_page: int) -> Found:
    page_rows, count = author_statements(len(terms.words))
    values = terms.values()
    total = counted(count, values)
    offset = (page - 1) * per_page
    if offset >= COUNT_BOUND if total is None else offset >= total:
        return Found([], total)
    bounds = {"limit": per_page, "offset": offset}
    return Found(read_rows(page_rows, values | bounds), total)


def search_books(terms: Terms, page: int, per_page: int) -> Found:
    """The tiers are read best first, each only as far as the page needs, so a page that the
    best tiers fill reads nothing of the others: a common word's exact and starting
    matches fill the first page from an index, and the thousands of books that merely
    hold the word are never ranked."""
    tier_ids, page_rows, count = book_statements(len(terms.words))
    values = terms.values()
    total = counted(count, values)
    offset = (page - 1) * per_page
    if offset >= COUNT_BOUND if total is None else offset >= total:
        return Found([], total)
    ranked: list[int] = []
    for statement in tier_ids:
        up_to = offset + per_page - len(ranked)
        ranked += read(statement, values | {"up_to": up_to}).scalars()
        if len(ranked) >= offset + per_page:
            break
    ids = ranked[offset : offset + per_page]
    by_id = {row.id: row for row in read_rows(page_rows, {"ids": ids})} if ids else {}
    return Found([by_id[book_id] for book_id in ids if book_id in by_id], total)
