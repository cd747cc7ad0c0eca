"""The search: the authors whose names, and the books whose titles and authors' names,
hold every word of a query, best first.

Every word but the last must match a whole word, and the last may be the start of one,
so results come as a reader types. Results rank in tiers: the whole name or title is the
query, then it starts with the query, then every word matches whole, then the last only
as a prefix. Within a tier, authors with more books come first, then names A to Z; books
come by title.

Names and titles are compared through their search keys (bookshelf.search.words): "is" and
"starts with" are ranges of a key, which a B-tree index reads. Whether a book holds the
words is asked differently on each database, with the same answers: PostgreSQL asks its
search vector (a tsquery of the words as they are, which a GIN index serves); SQLite, and
the author search on both, match the keys with LIKE patterns (on PostgreSQL, a trigram
index serves the names').

Counts stop at COUNT_BOUND, and so does paging. Books within the bound are read at once
and ranked in Python; past it, tier by tier, each in title order with a LIMIT, and only as
far as the page needs. Then the words are common enough that walking the titles in order
finds a page of them sooner than gathering every match and sorting it: PostgreSQL walks up
to WALK_ROWS titles (with each book's words in the index beside them), and gathers only if
that walk falls short, as it does when matches cluster far down the alphabet.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    not_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR

from bookshelf.catalogue.models import Author, Book, SearchKey
from bookshelf.catalogue.queries import read_rows
from bookshelf.database import read, read_connection
from bookshelf.search.words import following

authors = Author.__table__
books = Book.__table__
# The columns of books that a search on PostgreSQL reads, search_vector among them: the
# models leave it out, since SQLite has none (the add-book-search-vectors revision).
books_with_vectors = Table(
    "books",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("title_key", SearchKey),
    Column("search_text", SearchKey),
    Column("search_vector", TSVECTOR),
)

# Counts are exact up to here; past it a page says "more than 1,000", and paging stops.
COUNT_BOUND = 1_000
# How many titles a walk reads at most: past the bound, at least 1 book in 1,000 matches,
# so a page of 25 is likely within the first 25,000; in practice common words fill it
# within a few hundred, and a walk of all 10,000 costs a few milliseconds.
WALK_ROWS = 10_000
# A one-word search whose word PostgreSQL's statistics put in this many books or more is not
# counted: its page says "more than 1,000" at once. Counting to the bound costs a thousand
# reads of the table, the most of any statement in a search at 1,000,000 books, and ANALYZE
# keeps the frequency of the commonest words from a sample of 30,000 rows, close enough that
# five times the bound is never a word of fewer than 1,000 books. Should the statistics be
# stale, a page that runs out of matches still gives their number (search_books).
COUNT_TRUSTED_PAST = 5 * COUNT_BOUND
ESTIMATE = text(
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM books WHERE search_vector @@ CAST(:last_prefix AS tsquery)"
)


@dataclass(frozen=True)
class Terms:
    """A query's words as the values the search statements bind."""

    words: tuple[str, ...]
    # The vocabulary's words that begin with the last word, when there are few
    # (bookshelf.search.vocabulary); PostgreSQL searches for them instead of the prefix.
    endings: tuple[str, ...] = ()

    def values(self) -> dict:
        """`whole_N` and `prefix_N` LIKE patterns for each word; `exact`, the key the whole
        query makes; `start` and `stop`, the range of keys that begin with the query."""
        start = " " + " ".join(self.words)
        values = {"exact": start + " ", "start": start, "stop": following(start)}
        for number, word in enumerate(self.words):
            values[f"whole_{number}"] = f"% {word} %"
            values[f"prefix_{number}"] = f"% {word}%"
        # The same as tsqueries: words are letters and digits only, so quoting needs no
        # escapes, and a quoted word is taken as it is, with no parser or stemming.
        # A prefix is the words it may stand for when the vocabulary has few: GIN finds a
        # few words' books by skipping through them with the other words', where a prefix
        # (`:*`) gathers all its books first.
        *first, last = (f"'{word}'" for word in self.words)
        endings = " | ".join(f"'{word}'" for word in self.endings)
        values["all_whole"] = " & ".join([*first, last])
        values["last_prefix"] = " & ".join([*first, f"({endings})" if endings else last + ":*"])
        values["last_prefix_only"] = values["last_prefix"] + f" & !{last}"
        return values


def matches(key, word_count: int, last_whole: bool = False):
    """`key` holds every word whole, the last perhaps only as a prefix."""
    last = word_count - 1
    conditions = [key.like(bindparam(f"whole_{n}")) for n in range(last)]
    conditions.append(key.like(bindparam(f"whole_{last}" if last_whole else f"prefix_{last}")))
    return and_(*conditions)


def starts_with_query(key):
    """The key starts with the query's words. In a key's byte order an exact match comes
    first among them (after the words, its space sorts before any letter or digit), so
    books read in title order within this range are the exact tier, then the next."""
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


def on_postgresql() -> bool:
    return read_connection().dialect.name == "postgresql"


@dataclass(frozen=True)
class BookTier:
    """The ids of a tier's books in title order, up to `up_to` of them: `gather` finds them
    all and sorts them; `walk`, when there is one, reads at most WALK_ROWS titles in order."""

    gather: Select
    walk: Select | None = None


@cache
def book_statements(postgresql: bool, word_count: int) -> tuple[Select, list[BookTier], Select]:
    """Every match, up to one past the bound; each tier's statements, for when there are
    more; and the page's rows for chosen ids."""
    rows = select(
        books.c.id, books.c.title, books.c.author_id, authors.c.name.label("author_name")
    ).join(authors, authors.c.id == books.c.author_id)
    if not postgresql:
        rows = rows.where(books.c.id.in_(bindparam("ids", expanding=True)))
        whole = books.c.search_text.like(bindparam(f"whole_{word_count - 1}"))
        found = select(books.c.id, books.c.title_key, whole).where(matches_sqlite(word_count))
        return found.limit(COUNT_BOUND + 1), sqlite_book_tiers(word_count), rows
    table = books_with_vectors
    found = select(table.c.id, table.c.title_key, holds_words(table, "all_whole").label("whole"))
    found = found.where(holds_words(table))
    if word_count > 1:
        found = select(every_match(found))
    # The ids as one array rather than a list of values: SQLAlchemy need not write a
    # parameter for each into the SQL at every search (bench/FINDINGS.md), and
    # pg_stat_statements sees one statement, not one for each length of the list.
    rows = rows.where(books.c.id == any_(bindparam("ids", type_=ARRAY(Integer))))
    return found.limit(COUNT_BOUND + 1), postgresql_book_tiers(), rows


def in_rank_order(found: list, values: dict) -> list[int]:
    """The ids of `found` (id, title key, whether the last word is whole: every match) best
    first, as the tiers would read them: titles that start with the query (the exact one
    first, in a key's order), then those holding every word whole, then the rest; each by
    title. Python orders strings as the C collation does their UTF-8 bytes. (A book's
    search text, which matched, and its title key are written together.)"""

    def rank(match) -> tuple:
        book_id, title_key, whole = match
        tier = 0 if values["start"] <= title_key < values["stop"] else 1 if whole else 2
        return tier, title_key, book_id

    return [match[0] for match in sorted(found, key=rank)]


def matches_sqlite(word_count: int, last_whole: bool = False):
    return matches(books.c.search_text, word_count, last_whole)


def holds_words(source, words: str = "last_prefix"):
    """On PostgreSQL, the book holds the query's words, as one of Terms.values's tsqueries:
    `last_prefix`, `all_whole` or `last_prefix_only`."""
    return source.c.search_vector.bool_op("@@")(cast(bindparam(words), TSQUERY))


def sqlite_book_tiers(word_count: int) -> list[BookTier]:
    title = books.c.title_key
    tiers = [
        starts_with_query(title),
        and_(matches_sqlite(word_count, last_whole=True), not_(starts_with_query(title))),
        and_(
            matches_sqlite(word_count),
            not_(books.c.search_text.like(bindparam(f"whole_{word_count - 1}"))),
            not_(starts_with_query(title)),
        ),
    ]
    return [BookTier(in_title_order(books, condition)) for condition in tiers]


def postgresql_book_tiers() -> list[BookTier]:
    table = books_with_vectors
    walked = (
        select(table.c.id, table.c.title_key, table.c.search_vector)
        .order_by(table.c.title_key, table.c.id)
        .limit(bindparam("walk"))
        .subquery("walked")
    )

    def word_tier(source, words: str):
        return and_(holds_words(source, words), not_(starts_with_query(source.c.title_key)))

    return [
        BookTier(in_title_order(table, starts_with_query(table.c.title_key))),
        *(
            BookTier(
                in_title_order(table, word_tier(table, words), planned_for_all=True),
                in_title_order(walked, word_tier(walked, words)),
            )
            for words in ("all_whole", "last_prefix_only")
        ),
    ]


def in_title_order(source, condition, planned_for_all: bool = False) -> Select:
    if planned_for_all:
        source = every_match(select(source.c.id, source.c.title_key).where(condition))
        condition = None
    found = select(source.c.id).order_by(source.c.title_key, source.c.id)
    return (found if condition is None else found.where(condition)).limit(bindparam("up_to"))


def bounded_count(table, condition, planned_for_all: bool = False) -> Select:
    """How many rows meet `condition`, counting no further than one past the bound."""
    found = select(literal(1)).select_from(table).where(condition)
    if planned_for_all:
        found = select(literal(1)).select_from(every_match(found))
    found = found.limit(COUNT_BOUND + 1)
    return select(func.count()).select_from(found.subquery())


def every_match(found: Select):
    """`found` planned as if every row it matches were read, though only as many are read as
    the statement around it asks for (PostgreSQL reads a MATERIALIZED CTE on demand).

    Under a LIMIT, PostgreSQL's planner takes the plan that is cheapest for the first rows:
    a walk of the table or of the titles in order, expecting matches to turn up as often as
    its statistics say. For one word they say it well; for several it multiplies their
    frequencies, and two common words that never meet ("beyond songs") send it reading all
    1,000,000 books (285 ms) where the GIN index answers in 18 ms. Nor can it know when
    the books holding a word cluster in the title order ("silent" is mostly "The Silent
    ..."), where the GIN index and a sort beat walking the titles.
    """
    return found.cte("matching").prefix_with("MATERIALIZED")


@dataclass(frozen=True)
class Found:
    """One group's page of results, and how many there are (None: more than the bound)."""

    rows: list
    total: int | None


def estimated_books(values: dict) -> float:
    """How many books PostgreSQL's statistics say hold the one word of a query (or, as the
    last word, start with it): the rows its planner expects."""
    [plan] = read(ESTIMATE, values).scalar_one()
    return plan["Plan"]["Plan Rows"]


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
    """Within the bound, every match is read at once and ranked here, so the index finds
    the books holding the words once. Past it, the tiers are read best first, each only as
    far as the page needs, so a page that the best tiers fill reads nothing of the others:
    a common word's exact and starting matches fill the first page from an index, and the
    thousands of books that merely hold the word are never ranked."""
    postgresql = on_postgresql()
    every, tiers, page_rows = book_statements(postgresql, len(terms.words))
    values = terms.values()
    offset = (page - 1) * per_page
    found = None
    if not (postgresql and len(terms.words) == 1 and estimated_books(values) >= COUNT_TRUSTED_PAST):
        found = read(every, values).all()
    if found is not None and len(found) <= COUNT_BOUND:
        total = len(found)
        ids = in_rank_order(found, values)[offset : offset + per_page]
    elif offset >= COUNT_BOUND:
        return Found([], None)
    else:
        total, ids = walked_tiers(tiers, terms, values, offset, per_page)
    by_id = {row.id: row for row in read_rows(page_rows, {"ids": ids})} if ids else {}
    return Found([by_id[book_id] for book_id in ids if book_id in by_id], total)


def walked_tiers(tiers, terms: Terms, values: dict, offset: int, per_page: int):
    """The total (None: past the bound) and the page's ids, read tier by tier."""
    if terms.endings == terms.words[-1:]:
        tiers = tiers[:-1]  # the last word begins no other word: no book holds it as a prefix
    ranked: list[int] = []
    for tier in tiers:
        up_to = offset + per_page - len(ranked)
        found = []
        if tier.walk is not None:
            found = read(tier.walk, values | {"up_to": up_to, "walk": WALK_ROWS}).scalars().all()
        if len(found) < up_to:
            found = read(tier.gather, values | {"up_to": up_to}).scalars().all()
        ranked += found
        if len(ranked) >= offset + per_page:
            return None, ranked[offset : offset + per_page]
    # Every tier ran out before the page filled: these are all the matches, perhaps fewer
    # than the statistics said (search_books).
    total = len(ranked) if len(ranked) <= COUNT_BOUND else None
    return total, ranked[offset : offset + per_page]
