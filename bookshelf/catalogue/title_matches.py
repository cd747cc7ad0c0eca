"""Why a search found an author, when a book title is the reason: the first few of their
titles that match, and how many more do."""

from collections import namedtuple
from collections.abc import Iterable

TITLES_SHOWN = 3
TitleMatches = namedtuple("TitleMatches", ["titles", "more"])


def group_by_author(rows: Iterable[tuple[int, str, int]]) -> dict[int, TitleMatches]:
    """(author id, title, the author's number of matches) rows, by author."""
    titles, matches = {}, {}
    for author_id, title, count in rows:
        titles.setdefault(author_id, []).append(title)
        matches[author_id] = count
    return {
        author_id: TitleMatches(shown, matches[author_id] - len(shown))
        for author_id, shown in titles.items()
    }
