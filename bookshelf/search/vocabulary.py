"""What the search vocabulary (search_words: every word of every name and title the shelf
has held) knows of a query's words, asked once, before any table is read.

A query with a word the vocabulary lacks, or whose last word begins none of its words,
finds nothing, so no table is asked; those are the words a near spelling replaces
(bookshelf.search.spelling). And a last word that begins few words is searched on
PostgreSQL as those words (queries.Terms.endings).
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Select, bindparam, literal, select, union_all

from bookshelf.catalogue.models import SearchWord
from bookshelf.database import read
from bookshelf.search.queries import Terms
from bookshelf.search.words import following

vocabulary = SearchWord.__table__
# A last word that begins more of the vocabulary's words than this is searched as a prefix.
MOST_ENDINGS = 20


@dataclass(frozen=True)
class KnownWords:
    words: tuple[str, ...]
    # Of the words before the last, those the vocabulary holds.
    whole: frozenset[str]
    # The vocabulary's words that begin with the last word, at most MOST_ENDINGS + 1.
    endings: tuple[str, ...]

    def knows(self, position: int) -> bool:
        if position == len(self.words) - 1:
            return bool(self.endings)
        return self.words[position] in self.whole

    @property
    def knows_all(self) -> bool:
        return all(self.knows(position) for position in range(len(self.words)))

    def terms(self) -> Terms:
        return Terms(self.words, self.endings if len(self.endings) <= MOST_ENDINGS else ())


@cache
def lookup_statement(word_count: int) -> Select:
    """The words before the last that the vocabulary holds, as ("whole", word), and the
    words that begin with the last, as ("ending", word): one round trip."""
    word = vocabulary.c.word
    endings = (
        select(literal("ending").label("kind"), word)
        .where(word >= bindparam("last"), word < bindparam("after_last"))
        .order_by(word)
        .limit(MOST_ENDINGS + 1)
    )
    if word_count == 1:
        return endings
    whole = select(literal("whole").label("kind"), word).where(
        word.in_([bindparam(f"word_{n}") for n in range(word_count - 1)])
    )
    return union_all(whole, select(endings.subquery()))


def lookup_values(words: tuple[str, ...]) -> dict:
    values = {f"word_{n}": word for n, word in enumerate(words[:-1])}
    return values | {"last": words[-1], "after_last": following(words[-1])}


def known_words(words: tuple[str, ...]) -> KnownWords:
    rows = read(lookup_statement(len(words)), lookup_values(words)).all()
    return known_from(words, rows)


def known_from(words: tuple[str, ...], rows) -> KnownWords:
    whole = frozenset(word for kind, word in rows if kind == "whole")
    return KnownWords(words, whole, tuple(word for kind, word in rows if kind == "ending"))
