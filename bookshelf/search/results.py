"""A search as a reader asked for it: the query's words, both groups of results, and the
near spelling tried when the words as typed find nothing."""

from dataclasses import dataclass

from bookshelf.catalogue.list_options import Paging
from bookshelf.search.queries import COUNT_BOUND, Found, Terms, search_authors, search_books
from bookshelf.search.spelling import corrected
from bookshelf.search.words import MAX_QUERY_WORDS, search_words

# PostgreSQL's longest lexeme: its search vectors leave longer words out (only a crafted
# title holds one), so neither database looks for one, and both answer alike.
LONGEST_WORD_BYTES = 2047
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
    results = search_terms(query, words, paging)
    if results.empty and words and not as_typed:
        spelt = corrected(words)
        if spelt:
            results = search_terms(query, spelt, paging, corrected=" ".join(spelt))
    return results


def search_terms(
    query: str, words: tuple[str, ...], paging: Paging, corrected: str | None = None
) -> SearchResults:
    if not words or any(len(word.encode()) > LONGEST_WORD_BYTES for word in words):
        return SearchResults(query, words, corrected, NOTHING, NOTHING)
    terms = Terms(words)
    return SearchResults(
        query,
        words,
        corrected,
        search_authors(terms, paging.page, paging.per_page),
        search_books(terms, paging.page, paging.per_page),
    )
