"""Hostile and malformed sign-in forms: NUL bytes, 10,000-character values, bytes that are
not UTF-8, markup. Always a 4xx (the form again), never a 500, every echo escaped, and no
account changed."""

from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bookshelf.accounts.models import User
from bookshelf.extensions import db
from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD, csrf_token_on, submit

MARKUP = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'

HOSTILE_VALUES = [
    "\x00",
    "curator\x00@bookshelf.example",
    CURATOR_EMAIL + "\x00",
    "a" * 10_000,
    "a" * 10_000 + "@bookshelf.example",
    MARKUP,
    MARKUP + "@bookshelf.example",
    "' OR '1'='1",
    "curator@bookshelf.example' --",
    "%",
    "_@_",
    "\u202e@bookshelf.example",  # right-to-left override
    "ǅ İ ß ﬁ@bookshelf.example",
    "\r\n\t",
    " ",
]

# Bodies as sent on the wire: percent-escapes that decode to no UTF-8, and raw bytes.
HOSTILE_BODIES = [
    b"email=%FF%FE&password=%C3%28",
    b"email=%C0%AF%40b.example&password=%ED%A0%80",
    b"email=\xff\xfe@b.example&password=\xc3\x28aaaaaaaa",
    b"email=" + quote(MARKUP).encode() + b"&password=" + b"%00" * 200,
    b"email&password",
    b"=&=&&",
    b"email=a&email=b&password=c&password=d",
]


@pytest.fixture
def shelf(app, curator):
    """The curator's account, and limits high enough that the many attempts here are
    answered rather than turned away."""
    app.config["SIGN_IN_LIMIT_PER_CLIENT"] = "100000 per minute"
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "100000 per hour"
    return app


def accounts(app) -> tuple:
    with app.app_context():
        return tuple(db.session.execute(select(User.__table__).order_by(User.id)).all())


def check_answer(response, problems: list[str], what: str, expected=(400, 422)) -> None:
    body = response.get_data(as_text=True)
    if response.status_code >= 500:
        problems.append(f"{what}: {response.status_code}")
    elif response.status_code not in expected:
        problems.append(f"{what}: {response.status_code}, not {expected}")
    elif "<script>alert(1)" in body or "<img src=x" in body:
        problems.append(f"{what}: echoes markup unescaped")


def test_hostile_fields_never_break_the_form(shelf):
    client = shelf.test_client()
    token = csrf_token_on(client.get("/login").get_data(as_text=True))
    before = accounts(shelf)

    problems = []
    for value in HOSTILE_VALUES:
        for data in (
            {"email": value, "password": CURATOR_PASSWORD},
            {"email": CURATOR_EMAIL, "password": value},
            {"email": value, "password": value},
        ):
            response = client.post("/login", data={"csrf_token": token, **data})
            check_answer(response, problems, f"{data!r:.80}")

    assert problems == []
    assert accounts(shelf) == before
    assert (
        submit(client, "/login", {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}).status_code
        == 303
    )


def test_hostile_bodies_never_break_the_form(shelf):
    client = shelf.test_client()
    token = csrf_token_on(client.get("/login").get_data(as_text=True)).encode()
    before = accounts(shelf)

    problems = []
    for body in HOSTILE_BODIES:
        # Sent as multipart too, which it is not: refused as a malformed form.
        for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            response = client.post(
                "/login", data=b"csrf_token=" + token + b"&" + body, content_type=content_type
            )
            check_answer(response, problems, f"{content_type} {body!r:.60}")

    assert problems == []
    assert accounts(shelf) == before


def test_a_multipart_form_with_bytes_that_are_not_utf8_is_the_form_again(shelf):
    client = shelf.test_client()
    token = csrf_token_on(client.get("/login").get_data(as_text=True))
    boundary = "hostile"
    parts = [
        ("csrf_token", token.encode()),
        ("email", b"\xff\xfe@b.example"),
        ("password", b"\xc3\x28" * 10),
    ]
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
            for name, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )

    response = client.post(
        "/login", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )

    assert response.status_code == 422


def test_markup_in_the_email_comes_back_escaped(shelf):
    client = shelf.test_client()
    response = submit(client, "/login", {"email": MARKUP, "password": CURATOR_PASSWORD})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MARKUP not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in page


def test_hostile_next_never_breaks_the_form(shelf):
    problems = []
    for next_path in (
        "%00",
        "%FF",
        quote(MARKUP),
        "/" + "a" * 10_000,
        quote("/\x00/evil.example"),
        "%C0%AF",
    ):
        client = shelf.test_client()
        form = client.get(f"/login?next={next_path}")
        check_answer(form, problems, f"GET next={next_path:.40}", expected=(200, 400))
        if form.status_code == 200:
            token = csrf_token_on(form.get_data(as_text=True))
            credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
            response = client.post(
                f"/login?next={next_path}", data={"csrf_token": token, **credentials}
            )
            check_answer(response, problems, f"POST next={next_path:.40}", expected=(303,))
            if response.headers.get("Location") not in ("/authors/", "/" + "a" * 10_000):
                problems.append(f"next={next_path:.40}: led to {response.headers['Location']}")

    assert problems == []


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    email=st.text(max_size=300) | st.emails(),
    password=st.text(max_size=40),
    raw=st.binary(max_size=40),
)
def test_any_form_gets_an_answer(shelf, email, password, raw):
    client = shelf.test_client()
    token = csrf_token_on(client.get("/login").get_data(as_text=True))
    problems = []
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": email, "password": password},
    )
    check_answer(response, problems, "fields")
    response = client.post(
        "/login",
        data=f"csrf_token={token}&email={quote_from_bytes(raw)}&password={quote_from_bytes(raw)}",
        content_type="application/x-www-form-urlencoded",
    )
    check_answer(response, problems, "bytes")
    assert problems == []
