"""Near spellings: when a query finds nothing, the words the shelf holds that its unknown
words were probably meant to be ("tolkein" -> tolkien, "harry poter" -> harry potter).

A word is unknown when the vocabulary (search_words) has no such word, or, for the last
word, no word starting with it. Its candidates share its first letter (typing slips are
rarely there, and it keeps the candidates an index range), are at most two letters longer
or shorter, and are at most one edit away for words of up to four letters, two beyond,
counting a swap of neighbours as one edit (rapidfuzz's optimal string alignment). The
nearest wins; among equally near ones, the one most books hold, then A to Z.
"""

from functools import cache

from rapidfuzz.distance import OSA
from sqlalchemy import Select, bindparam, func, select

from bookshelf.catalogue.models import Book
from bookshelf.database import read
from bookshelf.search.queries import (
    Terms,
    books_with_vectors,
    bounded_count,
    holds_words,
    matches_sqlite,
    on_postgresql,
)
from bookshelf.search.vocabulary import KnownWords, vocabulary
from bookshelf.search.words import following

# How many of the equally near candidates are weighed by how many books hold them.
CANDIDATES_WEIGHED = 5

CANDIDATES = select(vocabulary.c.word).where(
    vocabulary.c.word >= bindparam("first"),
    vocabulary.c.word < bindparam("after_first"),
    func.length(vocabulary.c.word).between(bindparam("shortest"), bindparam("longest")),
)


@cache
def books_holding_statement(postgresql: bool) -> Select:
    if postgresql:
        return bounded_count(books_with_vectors, holds_words(books_with_vectors, "all_whole"))
    return bounded_count(Book.__table__, matches_sqlite(1, last_whole=True))


def corrected(known: KnownWords) -> tuple[str, ...] | None:
    """The query with each word the vocabulary does not know replaced by its nearest known
    one, or None when every word is known or an unknown one has nothing near it."""
    replaced = list(known.words)
    for position, word in enumerate(known.words):
        if known.knows(position):
            continue
        nearest = nearest_word(word)
        if nearest is None:
            return None
        replaced[position] = nearest
    return tuple(replaced) if replaced != list(known.words) else None


def nearest_word(word: str) -> str | None:
    candidates = read(CANDIDATES, candidate_range(word)).scalars()
    tied = nearest_candidates(word, candidates)
    if len(tied) <= 1:
        return tied[0] if tied else None
    return max(tied[:CANDIDATES_WEIGHED], key=lambda word: (books_holding(word), -tied.index(word)))


def candidate_range(word: str) -> dict:
    """CANDIDATES's values: words of the same first letter and about the same length."""
    allowed = most_edits(word)
    return {
        "first": word[0],
        "after_first": following(word[0]),
        "shortest": len(word) - allowed,
        "longest": len(word) + allowed,
    }


def nearest_candidates(word: str, candidates) -> list[str]:
    """The candidates nearest `word`, A to Z, if any is near enough."""
    allowed = most_edits(word)
    near = {}
    for candidate in candidates:
        distance = OSA.distance(word, candidate, score_cutoff=allowed)
        if distance <= allowed:
            near[candidate] = distance
    closest = min(near.values(), default=None)
    return sorted(word for word, distance in near.items() if distance == closest)


def most_edits(word: str) -> int:
    return 1 if len(word) <= 4 else 2


def books_holding(word: str) -> int:
    """How many books hold the word, up to the search's count bound."""
    statement = books_holding_statement(on_postgresql())
    return read(statement, Terms((word,)).values()).scalar_one()
