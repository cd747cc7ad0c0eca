"""What a reader asked a list for in its query string, read forgivingly: a missing,
malformed or out-of-range value falls back to its default or is clamped, so no query
string makes a list fail."""

from dataclasses import dataclass, fields, replace
from typing import ClassVar, Self
from urllib.parse import parse_qsl, urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
# Past any real shelf, and small enough that the OFFSET it makes stays a small number.
MAX_PAGE = 1_000_000


def clean_text(value: str | None) -> str:
    """The value trimmed, with NUL characters (which PostgreSQL rejects in text) removed."""
    return (value or "").replace("\x00", "").strip()


def whole_number(value: str | None, default: int, lowest: int, highest: int) -> int:
    """`value` as an int clamped to lowest..highest, or `default` when it is not a number."""
    try:
        number = int(clean_text(value))
    except ValueError:
        return default
    return min(max(number, lowest), highest)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its %, _ and \\ taken as plain characters."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def has_previous_page(pagination) -> bool:
    """Whether a page before this one exists: a page past the end offers the last instead."""
    return pagination.has_prev and pagination.page <= pagination.pages


@dataclass(frozen=True)
class Paging:
    """Which page of a list, and how long a page is."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    @classmethod
    def from_args(cls, args: MultiDict) -> Self:
        return cls(**read_paging(args))

    def link_args(self, **changes) -> dict:
        """These options with `changes` applied, leaving out the ones at their default."""
        changed = replace(self, **changes) if changes else self
        # Not dataclasses.asdict, which deep-copies: pages call this for every link.
        return {
            field.name: getattr(changed, field.name)
            for field in fields(self)
            if getattr(changed, field.name) != field.default
        }


@dataclass(frozen=True)
class AuthorListOptions(Paging):
    """A page of the author list: a country, a sort order and the paging."""

    # The orders the list offers, each with the label its link shows.
    SORT_ORDERS: ClassVar[dict[str, str]] = {
        "name": "Name",
        "books": "Most books",
        "newest": "Newest",
    }

    country: str = ""
    sort: str = "name"

    @classmethod
    def from_args(cls, args: MultiDict) -> Self:
        sort = clean_text(args.get("sort"))
        return cls(
            **read_paging(args),
            country=clean_text(args.get("country")),
            sort=sort if sort in cls.SORT_ORDERS else cls.sort,
        )

    @classmethod
    def from_query_string(cls, query: str) -> Self:
        """The options a query string names, such as the `back` an author's page gets, so
        that a forged one can only ever lead back to a valid list."""
        return cls.from_args(MultiDict(parse_qsl(query)))


def author_page_links(author_id: int, paging: Paging, back: str) -> dict:
    """The links an author's page carries: the arguments of its pages of books, which keep
    `back`, and the way back to the list. `back` is re-read as list options, so that only
    a valid author-list link comes out of it."""
    list_options = AuthorListOptions.from_query_string(back)
    back = urlencode(list_options.link_args())
    return {
        "books_args": {"author_id": author_id, "back": back or None} | paging.link_args(page=1),
        "back_url": url_for("catalogue.authors_page", **list_options.link_args()),
    }


def read_paging(args: MultiDict) -> dict:
    return {
        "page": whole_number(args.get("page"), 1, 1, MAX_PAGE),
        "per_page": whole_number(args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    }
