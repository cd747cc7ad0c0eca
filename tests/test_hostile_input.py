"""Hostile and malformed requests to every route: always a 4xx or a correct 200, never a 500,
every echo escaped, and the database unchanged afterwards."""

from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from bookshelf.catalogue.list_options import clean_text
from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db

MARKUP = "<script>alert(1)</script>"

HOSTILE_IDS = [
    "2147483648",  # one past PostgreSQL's integer
    "9223372036854775808",  # one past bigint
    "9" * 400,
    "-1",
    "0",
    "00001",
    "1.5",
    "1e3",
    "abc",
    "%00",
    "1%00",
    "%FF",
    "%C0%AF",  # overlong UTF-8 for "/"
    "%EF%BC%91",  # a fullwidth digit
    "1%20OR%201%3D1",
    "1'%20OR%20'1'%3D'1",
    "1;DROP%20TABLE%20authors",
    "%25",
    "_",
    "..%2F..%2Fetc%2Fpasswd",
    quote(MARKUP, safe=""),
    "x" * 10_000,
]

HOSTILE_QUERIES = [
    "q=%00",
    "q=Tol%00kien",
    "q=%FF%FE%FD",
    "q=%C3%28",  # invalid UTF-8 sequence
    "q=" + "a" * 10_000,
    "q=" + quote("' OR 1=1 --"),
    "q=" + quote("%'; DROP TABLE authors; --"),
    "q=" + quote("\\"),
    "q=%25",
    "q=_",
    "q=" + quote(MARKUP),
    "q=%F0%9F%93%9A",  # an emoji
    "q=%E2%80%AE",  # right-to-left override
    "q=" + quote("ǅ İ ß ﬁ"),  # letters whose case mapping is tricky
    "q=1&q=2&q=" + quote(MARKUP),
    "page=99999999999999999999",
    "page=-1",
    "page=0",
    "page=abc",
    "page=1e9",
    "page=%00",
    "page=" + "9" * 5000,
    "per_page=0",
    "per_page=-5",
    "per_page=1000000",
    "per_page=%FF",
    "page=1&page=2&per_page=3&per_page=4",
    "sort=" + quote("name; DROP TABLE authors"),
    "sort=books&sort=newest",
    "sort=%00",
    "country=%00",
    "country=" + quote("' OR ''='"),
    "country=" + quote(MARKUP),
    "country=" + "c" * 10_000,
    "back=" + quote("javascript:alert(1)"),
    "back=" + quote("https://evil.example/"),
    "back=%FF",
    "back=" + quote("q=" + MARKUP + "&page=-9&sort=evil"),
    "unknown=1&another=%00",
    "%00=%00",
    "=",
    "&&&",
    "q",
    "a[]=1&a[x]=2",
]

ROUTES = [
    "/",
    "/authors/",
    "/authors/{id}",
    "/books/{id}",
    "/api/authors/",
    "/api/books/{id}",
    "/search",
    "/api/search",
    "/api/openapi.json",
    "/healthz",
    "/static/style.css",
]


def requests_for(route: str) -> list[tuple[str, str]]:
    """(method, url) pairs: hostile ids where the route takes one, hostile query strings
    on a valid URL, and the methods a GET route does not take."""
    valid = route.format(id=1)
    requests = [("GET", route.format(id=hostile)) for hostile in HOSTILE_IDS if "{id}" in route]
    requests += [("GET", f"{valid}?{query}") for query in HOSTILE_QUERIES]
    requests += [(method, valid) for method in ("POST", "PUT", "DELETE", "PATCH", "HEAD")]
    return requests


def snapshot(app) -> tuple:
    with app.app_context():
        authors = db.session.execute(select(Author.__table__).order_by(Author.id)).all()
        books = db.session.execute(select(Book.__table__).order_by(Book.id)).all()
        return tuple(authors), tuple(books)


@pytest.fixture
def stocked_app(app, add_author):
    add_author("J.R.R. Tolkien", country="United Kingdom", books=["The Two Towers"])
    add_author("Octavia E. Butler", country="United States", books=["Kindred"])
    return app


@pytest.mark.parametrize("route", ROUTES)
def test_hostile_requests_never_break_a_route(stocked_app, route):
    requests = requests_for(route)
    assert len(requests) >= 40
    client = stocked_app.test_client()
    before = snapshot(stocked_app)

    problems = []
    for method, url in requests:
        response = client.open(url, method=method)
        body = response.get_data(as_text=True)
        if response.status_code >= 500:
            problems.append(f"{method} {url[:80]}: {response.status_code}")
        elif MARKUP in body and not response.is_json:
            # JSON may carry it as data (/api/search echoes its query); nosniff keeps any
            # browser from reading that as a page.
            problems.append(f"{method} {url[:80]}: echoes markup unescaped")
        elif response.is_json and response.headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{method} {url[:80]}: JSON a browser might sniff as a page")
        elif method in ("POST", "PUT", "DELETE", "PATCH") and response.status_code != 405:
            problems.append(f"{method} {url[:80]}: {response.status_code}, not 405")

    assert problems == []
    assert snapshot(stocked_app) == before


def test_head_answers_like_get_without_a_body(client, add_author):
    author_id = add_author()
    response = client.head(f"/authors/{author_id}")
    assert response.status_code == 200
    assert response.data == b""


query_keys = st.sampled_from(["q", "page", "per_page", "sort", "country", "back", "other"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pairs=st.lists(st.tuples(query_keys | st.text(max_size=5), st.text(max_size=60)), max_size=6),
    raw=st.binary(max_size=40),
)
def test_any_query_string_gives_the_search_page(stocked_app, pairs, raw):
    client = stocked_app.test_client()
    before = snapshot(stocked_app)
    for query in (urlencode(pairs, errors="surrogatepass"), "q=" + quote_from_bytes(raw)):
        response = client.get(f"/search?{query}")
        assert response.status_code == 200, query
        page = response.get_data(as_text=True)
        assert "<h1" in page
        # The search it echoes comes back escaped, exactly as Jinja escapes.
        searched = clean_text(response.request.args.get("q"))
        assert f'name="q" value="{escape(searched)}"' in page
    assert snapshot(stocked_app) == before
