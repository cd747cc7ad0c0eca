"""Reading a list's query string: every bad value falls back or is clamped, never an error."""

import pytest
from werkzeug.datastructures import MultiDict

from bookshelf.catalogue.list_options import MAX_PAGE, AuthorListOptions, Paging
from bookshelf.catalogue.queries import AUTHOR_ORDERS


def read(query: dict | list) -> AuthorListOptions:
    return AuthorListOptions.from_args(MultiDict(query))


def test_no_arguments_give_the_defaults():
    assert read({}) == AuthorListOptions(page=1, per_page=25, country="", sort="name")


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("3", 3),
        ("0", 1),
        ("-4", 1),
        ("x", 1),
        ("", 1),
        ("2.5", 1),
        ("1e3", 1),
        ("10" * 30, MAX_PAGE),
    ],
)
def test_page_is_clamped_or_defaulted(raw, page):
    assert read({"page": raw}).page == page


@pytest.mark.parametrize(
    ("raw", "per_page"),
    [("10", 10), ("100", 100), ("101", 100), ("100000", 100), ("0", 1), ("-5", 1), ("many", 25)],
)
def test_per_page_is_clamped_to_1_through_100(raw, per_page):
    assert read({"per_page": raw}).per_page == per_page


@pytest.mark.parametrize(
    ("raw", "sort"), [("books", "books"), ("newest", "newest"), ("price", "name")]
)
def test_unknown_sort_orders_fall_back_to_name(raw, sort):
    assert read({"sort": raw}).sort == sort


def test_text_is_trimmed_and_loses_nul_characters():
    assert read({"country": "  \x00United Kingdom "}).country == "United Kingdom"


def test_a_repeated_argument_counts_once():
    assert read([("page", "2"), ("page", "7")]).page == 2


def test_link_args_keep_only_what_differs_from_the_defaults():
    options = read({"country": "Peru", "page": "3", "sort": "name", "per_page": "25"})
    assert options.link_args() == {"country": "Peru", "page": 3}
    assert options.link_args(page=1, sort="books") == {"country": "Peru", "sort": "books"}


def test_paging_alone_reads_the_same_way():
    assert Paging.from_args(MultiDict({"page": "-1", "per_page": "500"})) == Paging(1, 100)


def test_every_sort_order_offered_has_its_statement():
    assert set(AUTHOR_ORDERS) == set(AuthorListOptions.SORT_ORDERS)
