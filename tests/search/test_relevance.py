"""Relevance is tested like code: every case of tests/search_cases.toml, on SQLite and
PostgreSQL, asks GET /api/search what a reader would type and checks the results a reader
expects come first, in order; the search page shows the same."""

import html
import re
import tomllib
from pathlib import Path

import pytest

from bookshelf.catalogue.list_options import MAX_PER_PAGE
from tests.search.shelf import shelf_books

CASES_FILE = Path(__file__).parent.parent / "search_cases.toml"
with CASES_FILE.open("rb") as file:
    CASES = tomllib.load(file)["cases"]

EXPECTATIONS = {
    "expect_authors",
    "expect_books",
    "authors_total",
    "books_total",
    "expect_no_results",
    "expect_corrected",
}


def case_id(case: dict) -> str:
    query = case["query"]
    return query if len(query) <= 40 else f"{query[:37]}..."


def book_line(title: str, author: str) -> str:
    """A book as the cases name it: "Title — Author"."""
    return f"{title} — {author}"


def api_search(client, query: str, **paging) -> dict:
    response = client.get("/api/search", query_string={"q": query, **paging})
    assert response.status_code == 200, f"{query!r}: {response.status_code} {response.data[:300]}"
    return response.get_json()


def found(body: dict) -> dict:
    """What a search found, as the cases name it."""
    return {
        "authors": [author["name"] for author in body["authors"]],
        "books": [book_line(book["title"], book["author_name"]) for book in body["books"]],
        "authors_total": body["authors_total"],
        "books_total": body["books_total"],
        "corrected": body["corrected"],
    }


def misses(case: dict, got: dict) -> list[str]:
    """How the results fall short of the case's expectations (none when they meet them)."""
    expected = {
        "corrected": case.get("expect_corrected"),
        "authors_total": 0 if case.get("expect_no_results") else case.get("authors_total"),
        "books_total": 0 if case.get("expect_no_results") else case.get("books_total"),
    }
    wrong = [
        f"{name}: expected {value!r}, got {got[name]!r}"
        for name, value in expected.items()
        if (value is not None or name == "corrected") and got[name] != value
    ]
    for group in ("authors", "books"):
        first = case.get(f"expect_{group}", [])
        if got[group][: len(first)] != first:
            wrong.append(f"{group}: expected to start with {first}, got {got[group]}")
        if case.get("expect_no_results") and got[group]:
            wrong.append(f"{group}: expected none, got {got[group]}")
    return wrong


# The cases themselves


def test_every_case_says_why_and_expects_something():
    for case in CASES:
        keys = set(case)
        assert keys <= EXPECTATIONS | {"query", "why"}, f"{case['query']!r}: {keys}"
        assert case.get("why"), f"{case['query']!r} does not say why"
        assert keys & EXPECTATIONS, f"{case['query']!r} expects nothing"
        if case.get("expect_no_results"):
            assert keys & EXPECTATIONS == {"expect_no_results"}, case["query"]
    queries = [case["query"] for case in CASES]
    assert len(set(queries)) == len(queries), "a query is in the file twice"


def test_cases_expect_only_what_the_shelf_holds():
    """A typo in an expected name or title would fail its case for the wrong reason."""
    shelf = shelf_books()
    books = {book_line(title, author) for author, titles in shelf.items() for title in titles}
    for case in CASES:
        assert set(case.get("expect_authors", [])) <= set(shelf), case["query"]
        assert set(case.get("expect_books", [])) <= books, case["query"]


# The search


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_readers_find_what_they_expect_first(search_client, case):
    got = found(api_search(search_client, case["query"], per_page=MAX_PER_PAGE))
    wrong = misses(case, got)
    if wrong:
        pytest.fail(f"query {case['query']!r} ({case['why']}):\n  " + "\n  ".join(wrong))


def test_pages_of_results_continue_the_ranking(search_client):
    everything = found(api_search(search_client, "james", per_page=MAX_PER_PAGE))
    pages = [found(api_search(search_client, "james", page=n, per_page=2)) for n in range(1, 7)]
    assert [name for page in pages for name in page["authors"]] == everything["authors"]
    assert [line for page in pages for line in page["books"]] == everything["books"]
    assert {page["books_total"] for page in pages} == {everything["books_total"]}


# The search page shows what the API answers


def text_of(markup: str) -> str:
    """What a reader sees of a fragment: its text, without tags such as <mark>."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", markup)).split())


def group_on(page: str, heading_id: str) -> list[str]:
    """The list items of the results group headed `heading_id`, as markup."""
    group = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", group[1], re.S) if group else []


def shown_on(page: str) -> dict:
    authors = [
        text_of(re.search(r"<a [^>]*>(.*?)</a>", item, re.S)[1])
        for item in group_on(page, "found-authors")
    ]
    books = [
        book_line(
            text_of(re.search(r"<cite>(.*?)</cite>", item, re.S)[1]),
            text_of(re.search(r'<span class="detail">\s*by (.*?)</span>', item, re.S)[1]),
        )
        for item in group_on(page, "found-books")
    ]
    return {"authors": authors, "books": books}


@pytest.mark.parametrize(
    "query", ["tolkien ring", "james", "o'brien", "towers", "ÉMILE ZOLA", "harry poter"]
)
def test_the_search_page_shows_the_apis_results_in_its_order(search_client, query):
    response = search_client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    api = found(api_search(search_client, query))

    assert shown_on(page) == {"authors": api["authors"], "books": api["books"]}, query
    assert api["authors"] or api["books"], f"{query!r} finds nothing to compare"
    if api["corrected"]:
        assert f"Showing results for {api['corrected']}" in text_of(page)
