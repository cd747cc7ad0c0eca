"""Bookshelf behind a real shared cache (Varnish with its stock configuration), as a
deployer puts one in front: signed-out pages come out of the cache; what a signed-in
curator is given, and any cookie, never comes out of it for anyone else; and an edit shows
through once the page's max-age has passed."""

import shutil
import time

import pytest

from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD
from tests.form_pages import form_fields
from tests.servers.http_browser import Browser
from tests.servers.varnish import Varnish

MAX_AGE = 2
SHARED = ["/authors/", "/authors/1", "/search?q=tolkien", "/api/authors/", "/api/books/1"]


@pytest.fixture
def cache_in_front(shelf, gunicorn):
    if not shutil.which("varnishd"):
        pytest.skip("varnishd is not installed: apt-get install -y varnish")
    server = gunicorn(shelf, CACHE_MAX_AGE=str(MAX_AGE))
    cache = Varnish(server.port)
    try:
        cache.start()
        yield cache
    finally:
        cache.stop()


def test_signed_out_pages_come_out_of_the_cache(cache_in_front):
    for path in SHARED:
        status, headers, body, hit = cache_in_front.get(path)
        assert (status, hit) == (200, False), path
        assert "Set-Cookie" not in headers
        again = cache_in_front.get(path)
        assert again[3], f"{path} was not served from the cache"
        assert again[2] == body


def test_nothing_of_a_curators_comes_out_of_the_cache_for_anyone_else(cache_in_front):
    curator = Browser(cache_in_front)
    assert curator.sign_in(CURATOR_PASSWORD) == 303
    for path in SHARED[:3]:
        page = curator.request("GET", path)
        assert page.status == 200
        assert page.getheader("Cache-Control") == "private, no-store"
        if not path.startswith("/api/"):
            assert CURATOR_EMAIL in page.text

    for path in SHARED[:3]:
        for _ in range(2):
            status, headers, body, _ = cache_in_front.get(path)
            assert status == 200
            assert CURATOR_EMAIL not in body, path
            assert "Sign out" not in body, path
            assert "Set-Cookie" not in headers, path


def test_a_cookie_is_never_handed_to_a_second_reader(cache_in_front):
    """The sign-in form sets a session cookie for its CSRF token: each reader gets their own."""
    cookies = [cache_in_front.get("/login")[1]["Set-Cookie"] for _ in range(3)]
    assert all(cookies) and len(set(cookies)) == 3


def test_an_edit_shows_through_the_cache_within_its_max_age(cache_in_front):
    assert "J.R.R. Tolkien" in cache_in_front.get("/authors/1")[2]
    assert cache_in_front.get("/authors/1")[3]  # cached

    curator = Browser(cache_in_front)
    assert curator.sign_in(CURATOR_PASSWORD) == 303
    form = form_fields(curator.request("GET", "/authors/1/edit").text, "/authors/1/edit")
    saved = curator.request("POST", "/authors/1/edit", form | {"name": "John Ronald Tolkien"})
    assert saved.status == 303
    edited = time.monotonic()

    while "John Ronald Tolkien" not in cache_in_front.get("/authors/1")[2]:
        assert time.monotonic() - edited < MAX_AGE + 1, "the edit did not show through"
        time.sleep(0.1)
