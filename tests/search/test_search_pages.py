"""The search page and its JSON twin: what a reader sees for an empty query, no match, a
near spelling, many results, and hostile text. Which results come first is in
test_relevance.py."""

import html
import re

import pytest

from bookshelf.catalogue.list_options import DEFAULT_PER_PAGE
from bookshelf.search.queries import COUNT_BOUND, COUNT_TRUSTED_PAST
from tests.schema.test_search_key_revisions import run


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", markup)).split())


def group(page: str, heading_id: str) -> str:
    """The markup of one group of results, by its heading's id."""
    return page.split(f'<h2 id="{heading_id}">', 1)[1].split("</section>", 1)[0]


def names_of_authors(page: str) -> list[str]:
    return [
        text_of(name)
        for name in re.findall(r"<li>\s*<a [^>]*>(.*?)</a>", group(page, "found-authors"))
    ]


def items_of(page: str, heading_id: str) -> list[str]:
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", group(page, heading_id), re.S)]


def get_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_search_finds_authors_by_name_and_books_by_title_and_author(client, add_author):
    add_author("J.R.R. Tolkien", country="United Kingdom", books=["The Two Towers", "The Hobbit"])
    add_author("Tove Jansson", country="Finland", books=["Comet in Moominland"])

    page = get_page(client, "/search?q=tolkien")

    assert items_of(page, "found-authors") == ["J.R.R. Tolkien United Kingdom · 2 books"]
    assert items_of(page, "found-books") == [
        "The Hobbit by J.R.R. Tolkien",
        "The Two Towers by J.R.R. Tolkien",
    ]
    assert "1 author" in text_of(group(page, "found-authors"))
    assert "2 books" in text_of(group(page, "found-books"))


def test_a_book_links_to_its_authors_page(client, add_author):
    author_id = add_author("Tove Jansson", books=["Comet in Moominland"])
    books = group(get_page(client, "/search?q=comet"), "found-books")
    assert f'<a href="/authors/{author_id}"><cite>' in books


def test_the_words_found_are_marked_whatever_their_accents_and_case(client, add_author):
    add_author("Émile Zola", books=["Thérèse Raquin"])

    page = get_page(client, "/search?q=EMILE+therese")

    assert "<mark>Thérèse</mark> Raquin" in group(page, "found-books")
    assert "<mark>Émile</mark> Zola" in group(page, "found-books")


def test_stored_markup_and_the_query_are_escaped(client, add_author):
    add_author("<b>Bold</b> & Co", books=["<script>alert(1)</script> Ring"])

    page = get_page(client, "/search?q=%3Cscript%3E+ring")

    assert "<script>" not in page
    assert (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; <mark>Ring</mark>" in page
    )
    assert "by &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page
    assert "Results for “&lt;script&gt; ring”" in page
    assert 'name="q" value="&lt;script&gt; ring"' in page


def test_an_empty_query_asks_for_words(client, add_author):
    add_author("Tove Jansson")
    for url in ("/search", "/search?q=", "/search?q=++"):
        page = get_page(client, url)
        assert "Type some words of an author’s name or a book’s title" in page, url
        assert "found-authors" not in page
    # Punctuation alone holds no word to find.
    assert "Nothing on the shelf matches “!?”" in get_page(client, "/search?q=%21%3F")


def test_no_match_says_so_and_tries_no_spelling_it_cannot_find(client, add_author):
    add_author("Tove Jansson", books=["Comet in Moominland"])

    page = get_page(client, "/search?q=zzyzx")

    assert "Nothing on the shelf matches “zzyzx”" in page
    assert "Showing results for" not in page
    body = client.get("/api/search?q=zzyzx").get_json()
    assert body == {
        "query": "zzyzx",
        "corrected": None,
        "authors": [],
        "books": [],
        "authors_total": 0,
        "books_total": 0,
    }


def test_a_misspelling_shows_the_near_spelling_and_a_way_back_to_the_words_typed(
    client, add_author
):
    add_author("J.R.R. Tolkien", books=["The Hobbit"])

    page = get_page(client, "/search?q=tolkein")

    assert "Showing results for tolkien." in text_of(page)
    assert items_of(page, "found-books") == ["The Hobbit by J.R.R. Tolkien"]
    link = re.search(r'<a href="([^"]+)">Search for “tolkein” as typed</a>', page)[1]
    as_typed = get_page(client, html.unescape(link))
    assert "Nothing on the shelf matches “tolkein”" in as_typed
    assert "Showing results for" not in as_typed


def test_results_are_paged_and_the_pages_keep_their_length(client, add_author):
    add_author("Isaac Asimov", books=[f"Robot {n:02}" for n in range(1, 8)])

    first = get_page(client, "/search?q=robot&per_page=3")
    third = get_page(client, "/search?q=robot&per_page=3&page=3")
    past = get_page(client, "/search?q=robot&per_page=3&page=9")

    assert items_of(first, "found-books")[0] == "Robot 01 by Isaac Asimov"
    assert 'href="/search?q=robot&amp;page=2&amp;per_page=3">Next →' in first
    assert "Page 1 of 3" in first
    assert items_of(third, "found-books") == ["Robot 07 by Isaac Asimov"]
    assert 'rel="next"' not in third
    assert "No more books on this page." in past
    assert 'href="/search?q=robot&amp;page=3&amp;per_page=3">← Previous' in past


def test_counts_stop_at_the_bound_and_say_more(client, add_authors):
    add_authors(1, books_each=COUNT_BOUND + 1)

    page = get_page(client, "/search?q=book")
    body = client.get("/api/search?q=book&per_page=100&page=11").get_json()

    assert "more than 1,000 books" in page
    assert f"Page 1 of {COUNT_BOUND // 25:,}" in page
    assert body["books_total"] is None
    assert body["authors_total"] == 0
    # Paging stops at the bound.
    assert body["books"] == []


def test_past_the_bound_the_books_rank_as_within_it(client, add_author):
    """Within the bound every match is read and ranked at once; past it, the tiers are read
    one by one, and give the same order: titles starting with the words (the exact one
    first), then those holding them whole, then as a prefix; each by title."""
    add_author(books=["The Bookshop 1", "A Book of Hours", "Books of Blood", "Book", "Bookends"])
    within = client.get("/api/search?q=book").get_json()
    more = [f"The Bookshop {n:04}" for n in range(2, COUNT_BOUND + 2)]
    add_author("Penelope Fitzgerald", books=more)
    past = client.get("/api/search?q=book").get_json()

    starting = ["Book", "Bookends", "Books of Blood"]
    assert [book["title"] for book in within["books"]] == [
        *starting,
        "A Book of Hours",
        "The Bookshop 1",
    ]
    assert within["books_total"] == 5
    assert [book["title"] for book in past["books"]] == [
        *starting,
        "A Book of Hours",
        *more[: DEFAULT_PER_PAGE - 4],
    ]
    assert past["books_total"] is None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_word_in_too_many_books_to_count_is_counted_when_its_books_run_out(
    app, client, add_authors
):
    """PostgreSQL counts no word its statistics put in COUNT_TRUSTED_PAST books or more;
    when those statistics are stale (the books deleted since the last ANALYZE), a page
    that runs out of books still gives their number."""
    run(app, "ALTER TABLE books SET (autovacuum_enabled = false)")  # no ANALYZE but ours
    books = COUNT_TRUSTED_PAST + 1_000
    add_authors(1, books_each=books)
    run(app, "ANALYZE books")

    common = client.get("/api/search?q=book").get_json()

    kept = ["Book 001", f"Book {books // 2}", f"Book {books}"]
    run(app, "DELETE FROM books WHERE title <> ALL(:kept)", kept=kept)
    [(books_in_statistics,)] = run(app, "SELECT reltuples FROM pg_class WHERE relname = 'books'")
    assert books_in_statistics >= COUNT_TRUSTED_PAST
    few = client.get("/api/search?q=book").get_json()

    assert common["books_total"] is None
    assert len(common["books"]) == DEFAULT_PER_PAGE
    assert few["books_total"] == 3
    assert [book["title"] for book in few["books"]] == kept


def test_the_api_gives_what_the_page_shows_in_the_same_order(client, add_author):
    tolkien = add_author("J.R.R. Tolkien", country="United Kingdom", books=["The Hobbit"])
    add_author("Christopher Tolkien", books=["The History of Middle-earth"])

    page = get_page(client, "/search?q=tolkien")
    body = client.get("/api/search?q=tolkien").get_json()

    assert [author["name"] for author in body["authors"]] == names_of_authors(page)
    assert body["authors"][1] == {
        "id": tolkien,
        "name": "J.R.R. Tolkien",
        "country": "United Kingdom",
        "book_count": 1,
    }
    assert [f"{b['title']} by {b['author_name']}" for b in body["books"]] == items_of(
        page, "found-books"
    )
    assert body["query"] == "tolkien"
    assert body["corrected"] is None
    assert body["authors_total"] == 2
    assert body["books_total"] == 2


def test_the_old_list_search_leads_to_the_search(client):
    response = client.get("/authors/?q=le+guin&sort=books")
    assert response.status_code == 301
    assert response.headers["Location"] == "/search?q=le+guin"
    assert client.get("/authors/?q=+").status_code == 200


def test_a_search_costs_a_bounded_number_of_statements(client, add_authors, sql_statements):
    add_authors(3, books_each=5)
    sql_statements.clear()
    client.get("/search?q=book")
    few = list(sql_statements)

    add_authors(60, books_each=5)
    sql_statements.clear()
    client.get("/search?q=book")
    many = list(sql_statements)

    # The vocabulary, the authors' count, no page of authors (none match), every matching
    # book (15 or 300, within the bound), and the page's books. And the shelf's version, for
    # the page's validator (bookshelf.caching). PostgreSQL also asks its statistics how many
    # books hold the word.
    postgresql = client.application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    extra = 1 if postgresql else 0
    assert (len(few), len(many)) == (5 + extra, 5 + extra)
    if postgresql:
        # The same SQL for a page of 15 books as for one of 25: pg_stat_statements adds
        # every search of a shape into one line.
        assert few == many
