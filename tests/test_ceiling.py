"""The benchmark's ceiling (bench/ceiling.py) answers a reader's pages byte for byte as
Bookshelf does, headers included, or `make bench` would compare different work."""

import pytest

from bench import ceiling

PAGES = [
    "/authors/",
    "/authors/?page=2&per_page=2",
    "/authors/?country=United%20Kingdom&sort=newest",
    "/authors/1",
    "/api/authors/",
    "/api/books/1",
    "/search?q=tolkien",
    "/search?q=tolkien+ring",
    "/search?q=t",
    "/search?q=the",
    "/search?q=tolkein",
    "/search?q=the+hobbit&as_typed=1",
    "/search?q=the&page=2&per_page=2",
]


@pytest.fixture
def shelf_url(monkeypatch, migrated, postgres_url):
    """The sample shelf on PostgreSQL, which the ceiling reads through DATABASE_URL."""
    monkeypatch.setenv("DATABASE_URL", migrated(postgres_url))
    yield postgres_url
    if ceiling._connection is not None:
        ceiling._connection.close()
        ceiling._connection = None


def answer(response) -> tuple:
    headers = {name: value for name, value in response.headers.items() if name != "Date"}
    return response.status_code, headers, response.data


def test_the_ceiling_answers_a_readers_pages_as_bookshelf_does(make_app, shelf_url):
    ours, theirs = make_app(shelf_url).test_client(), ceiling.app.test_client()
    for path in PAGES:
        assert answer(theirs.get(path)) == answer(ours.get(path)), path


def test_the_ceiling_revalidates_as_bookshelf_does(make_app, shelf_url):
    ours, theirs = make_app(shelf_url).test_client(), ceiling.app.test_client()
    for path in ["/authors/", "/authors/1", "/api/authors/", "/search?q=tolkien"]:
        validator = {"If-None-Match": ours.get(path).headers["ETag"]}
        ours_304 = ours.get(path, headers=validator)
        assert ours_304.status_code == 304
        assert answer(theirs.get(path, headers=validator)) == answer(ours_304), path
