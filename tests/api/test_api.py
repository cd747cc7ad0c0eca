"""The JSON API mirrors the Neon guide's two endpoints."""

from datetime import datetime

import pytest


def test_authors_endpoint_lists_every_author(client, add_author):
    first = add_author("J.R.R. Tolkien", country="United Kingdom", bio="Middle-earth.")
    second = add_author("J.K. Rowling")

    response = client.get("/api/authors/")

    assert response.status_code == 200
    authors = response.get_json()
    assert [author["id"] for author in authors] == [first, second]
    assert set(authors[0]) == {"id", "name", "bio", "country", "created_at"}
    assert authors[0]["name"] == "J.R.R. Tolkien"
    assert authors[0]["country"] == "United Kingdom"
    assert authors[0]["bio"] == "Middle-earth."
    assert authors[1]["country"] is None
    assert datetime.fromisoformat(authors[0]["created_at"]).tzinfo is not None


def test_books_endpoint_lists_the_authors_books(client, add_author):
    author_id = add_author(books=["The Left Hand of Darkness", "A Wizard of Earthsea"])
    add_author("Someone Else", books=["Not This One"])

    response = client.get(f"/api/books/{author_id}")

    assert response.status_code == 200
    books = response.get_json()
    assert [book["title"] for book in books] == [
        "A Wizard of Earthsea",
        "The Left Hand of Darkness",
    ]
    assert set(books[0]) == {"id", "title", "author_id", "created_at"}
    assert {book["author_id"] for book in books} == {author_id}
    assert datetime.fromisoformat(books[0]["created_at"]).tzinfo is not None


def test_an_author_without_books_has_an_empty_list(client, add_author):
    assert client.get(f"/api/books/{add_author()}").get_json() == []


@pytest.mark.parametrize("path", ["/api/books/12345", "/api/books/99999999999999", "/api/books/x"])
def test_unknown_author_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert "error" in response.get_json()


def test_stored_markup_comes_back_as_data(client, add_author):
    add_author("<script>x</script>")
    assert client.get("/api/authors/").get_json()[0]["name"] == "<script>x</script>"


def test_wrong_method_is_a_json_405(client):
    response = client.delete("/api/authors/")
    assert response.status_code == 405
    assert response.get_json() == {"error": "The method is not allowed for the requested URL."}


def test_lists_come_a_page_at_a_time_with_links_to_the_rest(client, add_author):
    author_id = add_author(books=[f"Book {n:02}" for n in range(30)])

    first = client.get(f"/api/books/{author_id}")
    second = client.get(f"/api/books/{author_id}?page=2")
    small = client.get(f"/api/books/{author_id}?per_page=10&page=2")

    assert [book["title"] for book in first.get_json()] == [f"Book {n:02}" for n in range(25)]
    assert first.headers["X-Total-Count"] == "30"
    assert first.headers["Link"] == (
        f'</api/books/{author_id}>; rel="first", </api/books/{author_id}?page=2>; rel="last", '
        f'</api/books/{author_id}?page=2>; rel="next"'
    )
    assert [book["title"] for book in second.get_json()] == [f"Book {n:02}" for n in range(25, 30)]
    assert f'</api/books/{author_id}>; rel="prev"' in second.headers["Link"]
    assert "next" not in second.headers["Link"]
    assert [book["title"] for book in small.get_json()] == [f"Book {n:02}" for n in range(10, 20)]
    assert f'</api/books/{author_id}?page=3&per_page=10>; rel="next"' in small.headers["Link"]


def test_the_author_list_pages_the_same_way(client, add_authors):
    add_authors(120)
    response = client.get("/api/authors/?per_page=500&page=-4")
    assert len(response.get_json()) == 100
    assert response.headers["X-Total-Count"] == "120"
    assert client.get("/api/authors/?page=99").get_json() == []
