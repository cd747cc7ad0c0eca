"""Who may change the shelf: signed-in curators only, with the form's CSRF token; readers see
no edit controls, and their pages cost what they did."""

import re
from urllib.parse import quote

import pytest

from tests.conftest import csrf_token_on, submit
from tests.form_pages import recorded_changes, shelf

# Every route that changes the shelf or shows its history, with the ids filled in by
# `address`; the write routes take a POST.
PAGES = [
    "/authors/new",
    "/authors/{author}/edit",
    "/authors/{author}/delete",
    "/authors/{author}/books/new",
    "/authors/{author}/books/{book}/edit",
    "/authors/{author}/books/{book}/delete",
    "/changes",
    "/authors/{author}/history",
]
WRITES = [page for page in PAGES if "history" not in page and page != "/changes"] + [
    "/changes/{change}/restore"
]


@pytest.fixture
def ids(app, add_author, curator_client):
    """An author with a book, and a delete in the history (of another author) to restore."""
    author = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    gone = add_author("Gone Author")
    submit(curator_client, f"/authors/{gone}/delete", {})
    [change] = recorded_changes(app)
    [book] = shelf(app)[1]
    return {"author": author, "book": book.id, "change": change.id}


def address(route: str, ids: dict) -> str:
    return route.format(**ids)


def test_signed_out_the_pages_ask_to_sign_in_and_come_back(client, ids):
    for route in PAGES:
        url = address(route, ids)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == f"/login?next={quote(url, safe='')}"


def test_signing_in_from_there_comes_back_to_the_form(client, ids, curator):
    from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD

    url = f"/authors/{ids['author']}/edit"
    login = client.get(url).headers["Location"]
    response = submit(client, login, {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD})
    assert response.headers["Location"] == url
    assert client.get(url).status_code == 200


def test_signed_out_a_post_is_refused_even_with_a_valid_token(app, client, ids):
    before = (shelf(app), recorded_changes(app))
    for route in WRITES:
        url = address(route, ids)
        response = submit(client, url, {"name": "x", "title": "x"}, form_url="/login")
        assert response.status_code == 403, url
        assert "Sign in to change the shelf." in response.get_data(as_text=True)
    assert (shelf(app), recorded_changes(app)) == before


def test_a_post_without_the_forms_csrf_token_is_a_400_that_says_why(app, curator_client, ids):
    before = (shelf(app), recorded_changes(app))
    for route in WRITES:
        url = address(route, ids)
        for token in (None, "", "forged-token"):
            data = {"name": "x", "title": "x", "author_id": "1", "version": "1"}
            if token is not None:
                data["csrf_token"] = token
            response = curator_client.post(url, data=data)
            assert response.status_code == 400, (url, token)
            assert "did not come from this site" in response.get_data(as_text=True)
    assert (shelf(app), recorded_changes(app)) == before


def test_readers_see_no_edit_controls_and_get_no_cookie(client, ids):
    for url in ("/authors/", f"/authors/{ids['author']}"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
        assert "/edit" not in page
        assert "/delete" not in page
        assert "/history" not in page
        assert "Add an author" not in page
        assert "Add a book" not in page


def test_curators_see_the_edit_controls(curator_client, ids):
    author, book = ids["author"], ids["book"]
    page = curator_client.get(f"/authors/{author}").get_data(as_text=True)
    for link in (
        f'href="/authors/{author}/edit">Edit</a>',
        f'href="/authors/{author}/delete">Delete</a>',
        f'href="/authors/{author}/history">History</a>',
        f'href="/authors/{author}/books/new">Add a book</a>',
        f'href="/authors/{author}/books/{book}/edit">Edit'
        '<span class="visually-hidden"> The Dispossessed</span>',
    ):
        assert link in page
    listing = curator_client.get("/authors/").get_data(as_text=True)
    assert 'href="/authors/new">Add an author</a>' in listing
    assert 'href="/changes">Recent changes</a>' in listing


# With the shelf's version, which readers' pages read for their validator (bookshelf.caching).
@pytest.mark.parametrize(("url", "statements"), [("/authors/", 4), ("/authors/{author}", 3)])
def test_a_readers_page_costs_no_more_statements_than_before(
    client, ids, sql_statements, url, statements
):
    sql_statements.clear()
    client.get(address(url, ids))
    assert len(sql_statements) == statements


def test_the_json_api_stays_read_only_for_curators(app, curator_client, ids):
    token = csrf_token_on(curator_client.get("/authors/new").get_data(as_text=True))
    before = shelf(app)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for url in ("/api/authors/", f"/api/books/{ids['author']}"):
            response = curator_client.open(
                url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token}
            )
            assert response.status_code == 405, (method, url)
    assert shelf(app) == before


def test_the_curators_pages_have_no_inline_script_or_style(curator_client, ids):
    pages = PAGES + ["/authors/", "/authors/{author}"]
    for route in pages:
        response = curator_client.get(address(route, ids))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, route
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert "<script" not in page and "<style" not in page, route
        assert not re.search(r"\sstyle=", page), route
