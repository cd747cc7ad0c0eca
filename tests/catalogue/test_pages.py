"""The HTML pages: what a reader sees, where links go, and what bad URLs get."""

import re

import pytest

from bookshelf.converters import MAX_ROW_ID


def test_home_leads_to_the_author_list(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/authors/"


def test_author_list_shows_every_author_with_country_and_book_count(client, add_author):
    add_author("Nobody Yet", country=None)
    tolkien = add_author(
        "J.R.R. Tolkien",
        country="United Kingdom",
        books=["The Two Towers", "The Return of the King"],
    )

    page = client.get("/authors/").get_data(as_text=True)

    assert "Showing 1–2 of 2 authors" in " ".join(page.split())
    assert f'href="/authors/{tolkien}">J.R.R. Tolkien</a>' in page
    assert "United Kingdom" in page
    assert '<td class="number">2</td>' in page
    assert '<td class="number">0</td>' in page
    assert page.index("J.R.R. Tolkien") < page.index("Nobody Yet")


def test_an_empty_shelf_says_how_to_fill_it(client):
    page = client.get("/authors/").get_data(as_text=True)
    assert "The shelf is empty" in page
    assert "flask seed" in page


def test_author_page_shows_name_country_bio_and_books_by_title(client, add_author):
    author_id = add_author(
        "George R.R. Martin",
        country="United States",
        bio="The author of the epic fantasy series A Song of Ice and Fire.",
        books=["A Game of Thrones", "A Clash of Kings"],
    )

    page = client.get(f"/authors/{author_id}").get_data(as_text=True)

    assert "<h1>George R.R. Martin</h1>" in page
    assert "United States" in page
    assert "A Song of Ice and Fire" in page
    assert page.index("A Clash of Kings") < page.index("A Game of Thrones")
    assert "2 books" in page
    assert 'href="/authors/"' in page


def test_author_without_books_says_so(client, add_author):
    page = client.get(f"/authors/{add_author()}").get_data(as_text=True)
    assert "No books by this author yet." in page


def test_the_guides_books_url_moved_permanently_to_the_author_page(client, add_author):
    author_id = add_author()
    response = client.get(f"/books/{author_id}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/authors/{author_id}"


def test_stored_markup_is_shown_as_text(client, add_author):
    author_id = add_author(
        "<script>alert('name')</script>",
        country="<b>Nowhere</b>",
        bio='<img src=x onerror="alert(1)">',
        books=["<i>Title</i> & more"],
    )

    for url in ("/authors/", f"/authors/{author_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<b>Nowhere</b>" not in page
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in page
        assert "&lt;b&gt;Nowhere&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
    assert "&lt;i&gt;Title&lt;/i&gt; &amp; more" in page


@pytest.mark.parametrize(
    "path",
    [
        "/authors/999",
        f"/authors/{MAX_ROW_ID}",
        f"/authors/{MAX_ROW_ID + 1}",
        "/authors/99999999999999999999999999",
        "/authors/0",
        "/authors/-1",
        "/authors/abc",
        "/authors/1.5",
        "/authors/1/extra",
        "/books/99999999999999999999",
        "/books/abc",
        "/no-such-page",
        "/authors/%00",
        "/authors/01",
        "/authors/%EF%BC%91",  # a fullwidth digit one
        "/authors/%D9%A1",  # an Arabic-Indic digit one
        "/authors/%FF",
        "/api/books/%EF%BC%91",
    ],
)
def test_unknown_and_malformed_paths_are_a_404(client, add_author, path):
    add_author()
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.mimetype == "application/json"
    else:
        assert response.mimetype == "text/html"
        assert "Browse all authors" in response.get_data(as_text=True)


def test_the_404_page_names_the_problem(client):
    page = client.get("/authors/999").get_data(as_text=True)
    assert "<h1>Not Found</h1>" in page
    assert "There is no author with that id." in page


def test_pages_only_answer_get(client):
    response = client.post("/authors/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_pages_use_the_stylesheet_from_static(client):
    page = client.get("/authors/").get_data(as_text=True)
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="(/static/style\.css\?v=\w+)">', page)
    assert client.get(stylesheet).status_code == 200


@pytest.mark.parametrize("path", ["/authors/", "/authors/1", "/no-such-page", "/login", "/search"])
def test_pages_have_a_language_landmarks_and_a_labelled_search(client, add_author, path):
    add_author()
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<a class="skip-link" href="#content">' in page
    for landmark in ('<header class="site-header">', '<main id="content">', "<footer"):
        assert landmark in page
    # The search box is in every page's header.
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<form class="search" role="search" method="get" action="/search">' in header
    assert '<label for="q" class="visually-hidden">Search authors and books</label>' in header


def test_a_query_string_that_is_not_utf8_is_a_400(client):
    response = client.get("/search", environ_overrides={"QUERY_STRING": "q=\xff\xfe"})
    assert response.status_code == 400
    assert "not valid UTF-8" in response.get_data(as_text=True)
