"""A search as a reader asked for it: the query's words, both groups of results, and the
near spelling tried when the words as typed find nothing."""

from dataclasses import dataclass

from bookshelf.catalogue.list_options import Paging
from bookshelf.search.queries import COUNT_BOUND, Found, search_authors, search_books
from bookshelf.search.spelling import corrected
from bookshelf.search.vocabulary import KnownWords, known_words
from bookshelf.search.words import LONGEST_WORD_BYTES, MAX_QUERY_WORDS, search_words

NOTHING = Found([], 0)


@dataclass(frozen=True)
class SearchResults:
    query: str
    # The words searched for: the query's, or those of the near spelling tried instead.
    words: tuple[str, ...]
    # The near spelling, when the query's words found nothing.
    corrected: str | None
    authors: Found
    books: Found

    @property
    def empty(self) -> bool:
        return self.authors.total == 0 and self.books.total == 0

    def last_page(self, per_page: int) -> int:
        """The last page either group has results on (paging stops at the count's bound)."""
        shown = max(COUNT_BOUND if group.total is None else group.total for group in self.groups)
        return max(-(-shown // per_page), 1)

    @property
    def groups(self) -> tuple[Found, Found]:
        return self.authors, self.books


def search(query: str, paging: Paging, as_typed: bool = False) -> SearchResults:
    """Both groups' page of what `query` finds; unless `as_typed`, a query that finds
    nothing is tried again spelt as the shelf spells its words."""
    words = tuple(search_words(query)[:MAX_QUERY_WORDS])
    if not words or any(len(word.encode()) > LONGEST_WORD_BYTES for word in words):
        return SearchResults(query, words, None, NOTHING, NOTHING)
    known = known_words(words)
    results = search_known(query, known, paging)
    if results.empty and not as_typed:
        spelt = corrected(known)
        if spelt:
            results = search_known(query, known_words(spelt), paging, " ".join(spelt))
    return results


def search_known(
    query: str, known: KnownWords, paging: Paging, corrected: str | None = None
) -> SearchResults:
    """A word the vocabulary lacks is in no name and no title: no table is asked."""
    if not known.knows_all:
        return SearchResults(query, known.words, corrected, NOTHING, NOTHING)
    terms = known.terms()
    return SearchResults(
        query,
        known.words,
        corrected,
        search_authors(terms, paging.page, paging.per_page),
        search_books(terms, paging.page, paging.per_page),
    )
