"""Hostile input to every field of every form a curator fills in: NUL bytes, 10,000-character
values, bytes that are not UTF-8, markup. Never a 500, every echo escaped, and nothing
written when the input is refused."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.conftest import csrf_token_on
from tests.form_pages import form_fields, recorded_changes, shelf

MARKUP = "<script>alert(1)</script>"

# Each form, with the fields a user types into and the hidden one it carries.
FORMS = {
    "/authors/new": ["name", "country", "bio"],
    "/authors/{author}/edit": ["name", "country", "bio", "version"],
    "/authors/{author}/books/new": ["title"],
    "/authors/{author}/books/{book}/edit": ["title", "author_id", "version"],
}
HOSTILE_VALUES = [
    "\x00",
    "Tol\x00kien",
    "x" * 10_000,
    "\U0001f4da" * 10_000,
    MARKUP,
    f"  {MARKUP}  ",
    '"><img src=x onerror=alert(1)>',
    "\ufffd",
    "%FF%FE",
    "\u202eevil",
    "\x1b[2J",
    "\r\n",
    "' OR 1=1 --",
    "%_\\",
    "9" * 5000,
    "-1",
    "",
]
# Statuses a refused or accepted form may answer with.
ANSWERS = {303, 400, 409, 422}


@pytest.fixture
def urls(app, add_author):
    """Each form's address, for an author with a book."""
    author = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    [book] = shelf(app)[1]
    return {route: route.format(author=author, book=book.id) for route in FORMS}


def check(app, response, before) -> list[str]:
    """What is wrong with an answer to hostile input, if anything."""
    body = response.get_data(as_text=True)
    if response.status_code not in ANSWERS:
        return [f"{response.status_code}"]
    if MARKUP in body or "<img src=x" in body:
        return ["markup echoed unescaped"]
    if response.status_code != 303 and (shelf(app), recorded_changes(app)) != before:
        return [f"{response.status_code}, yet something was written"]
    return []


@pytest.mark.parametrize("route", FORMS)
def test_hostile_values_in_every_field(app, curator_client, urls, route):
    url = urls[route]
    problems = []
    for field in FORMS[route]:
        for value in HOSTILE_VALUES:
            fields = form_fields(curator_client.get(url).get_data(as_text=True), url)
            before = (shelf(app), recorded_changes(app))
            response = curator_client.post(url, data=fields | {field: value})
            problems += [f"{field}={value[:20]!r}: {p}" for p in check(app, response, before)]
            if response.status_code == 303:
                continue
            if response.status_code == 422 and value not in ("", "\r\n"):
                # What was typed comes back in the field, escaped as Jinja escapes it.
                page = response.get_data(as_text=True)
                if field != "version" and str(escape(value.strip())) not in page:
                    problems.append(f"{field}={value[:20]!r}: not kept")
    assert problems == []


def test_markup_is_stored_as_typed_and_shown_as_text(app, curator_client, urls):
    response = curator_client.post(
        urls["/authors/new"],
        data=form_fields(curator_client.get("/authors/new").get_data(as_text=True), "/authors/new")
        | {"name": MARKUP, "country": MARKUP, "bio": MARKUP},
    )
    author_id = response.headers["Location"].rsplit("/", 1)[1]
    stored = [row for row in shelf(app)[0] if str(row.id) == author_id][0]
    assert (stored.name, stored.country, stored.bio) == (MARKUP, MARKUP, MARKUP)
    for url in ("/authors/", f"/authors/{author_id}", f"/authors/{author_id}/edit", "/changes"):
        page = curator_client.get(url).get_data(as_text=True)
        assert MARKUP not in page
        assert str(escape(MARKUP)) in page


def multipart(fields: dict[str, str], field: str, raw: bytes) -> bytes:
    """A multipart body of `fields`, with `raw` bytes as the value of `field`."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + (raw if name == field else value.encode())
        + b"\r\n"
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


BOUNDARY = "hostile"


@pytest.mark.parametrize("route", FORMS)
def test_bytes_that_are_not_utf8_never_break_a_form(app, curator_client, urls, route):
    """Werkzeug keeps percent escapes that are not UTF-8 as the text they are (which may be
    stored, as if typed), drops a urlencoded body with raw bytes that are not (so the CSRF
    token is missing), and reads raw bytes in a multipart body as U+FFFD, which is refused."""
    url = urls[route]
    problems = []
    for field in FORMS[route]:
        fields = form_fields(curator_client.get(url).get_data(as_text=True), url)
        others = "&".join(
            f"{name}={quote(value)}" for name, value in fields.items() if name != field
        )
        for encoded in (b"%FF%FE%C3%28", b"\xff\xfe\xc3\x28"):
            before = (shelf(app), recorded_changes(app))
            response = curator_client.post(
                url,
                data=others.encode() + b"&" + field.encode() + b"=" + encoded,
                content_type="application/x-www-form-urlencoded",
            )
            problems += [f"{field} {encoded!r}: {p}" for p in check(app, response, before)]
        before = (shelf(app), recorded_changes(app))
        fields = form_fields(curator_client.get(url).get_data(as_text=True), url)
        response = curator_client.post(
            url,
            data=multipart(fields, field, b"ab\xff\xfe\x00cd"),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
        problems += [f"{field} multipart: {p}" for p in check(app, response, before)]
        if response.status_code != 422 and field != "version":
            problems.append(f"{field} multipart: {response.status_code}, not 422")
    assert problems == []


HOSTILE_PATHS = [
    "/authors/2147483648/edit",
    "/authors/0/delete",
    "/authors/abc/books/new",
    "/authors/1/books/%00/edit",
    "/authors/1/books/99999999999999999999/delete",
    "/changes/2147483648/restore",
    "/changes/-1/restore",
    "/authors/%FF/history",
]


def test_hostile_ids_in_the_edit_routes_are_a_404(app, curator_client, urls):
    token = csrf_token_on(curator_client.get("/authors/new").get_data(as_text=True))
    before = (shelf(app), recorded_changes(app))
    for path in HOSTILE_PATHS:
        assert curator_client.get(path).status_code in (404, 405), path
        assert curator_client.post(path, data={"csrf_token": token}).status_code == 404, path
    assert (shelf(app), recorded_changes(app)) == before


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.text(max_size=120), country=st.text(max_size=120), bio=st.text(max_size=200))
def test_any_text_is_saved_exactly_trimmed_or_refused(app, curator_client, name, country, bio):
    url = "/authors/new"
    fields = form_fields(curator_client.get(url).get_data(as_text=True), url)
    before = (shelf(app), recorded_changes(app))

    response = curator_client.post(
        url, data=fields | {"name": name, "country": country, "bio": bio}
    )

    assert check(app, response, before) == []
    if response.status_code == 303:
        author_id = int(response.headers["Location"].rsplit("/", 1)[1])
        [stored] = [row for row in shelf(app)[0] if row.id == author_id]
        assert stored.name == name.strip()
        assert stored.country == (country.strip() or None)
        normalised = bio.replace("\r\n", "\n").replace("\r", "\n").strip()
        assert stored.bio == (normalised or None)
    else:
        assert response.status_code == 422
