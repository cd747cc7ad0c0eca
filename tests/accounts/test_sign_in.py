"""Signing in and out through the form: where it leads, what a failure says, the CSRF
token it needs, and that a wrong email costs what a wrong password does."""

import html
import re
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import DECOY_HASH, needs_rehash, password_matches
from bookshelf.accounts.views import path_on_this_site
from bookshelf.extensions import db
from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD, csrf_token_on, submit


def sign_in(client, email=CURATOR_EMAIL, password=CURATOR_PASSWORD, next_path=None):
    url = "/login" if next_path is None else f"/login?next={quote(next_path, safe='')}"
    return submit(client, url, {"email": email, "password": password})


def test_the_form_asks_for_email_and_password(client):
    response = client.get("/login")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Sign in</h1>" in page
    assert re.search(r'<input[^>]*name="email"[^>]*type="email"', page)
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"', page)
    assert re.search(r'<input[^>]*name="csrf_token"[^>]*type="hidden"', page)
    assert 'autocomplete="current-password"' in page


def test_signing_in_leads_to_the_author_list_and_shows_who_is_signed_in(app, client, curator):
    response = sign_in(client)

    assert response.status_code == 303
    assert response.headers["Location"] == "/authors/"
    page = client.get("/authors/").get_data(as_text=True)
    assert CURATOR_EMAIL in page
    assert 'action="/logout"' in page
    assert "Sign in</a>" not in page


def test_the_email_is_taken_in_any_case_and_with_surrounding_space(client, curator):
    response = sign_in(client, email=f"  {CURATOR_EMAIL.upper()} ")
    assert response.status_code == 303


def test_signing_in_leads_back_to_the_page_it_came_from_even_after_a_failure(client, curator):
    page = client.get("/authors/?sort=books&page=2").get_data(as_text=True)
    link = html.unescape(re.search(r'href="(/login\?next=[^"]+)"', page).group(1))

    failed = submit(client, link, {"email": CURATOR_EMAIL, "password": "not the password"})
    action = re.search(r'<form method="post" action="([^"]+)"', failed.get_data(as_text=True))
    response = submit(
        client,
        html.unescape(action.group(1)),
        {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/authors/?sort=books&page=2"


# Each would take a browser to another site, or run script, if followed as it stands or
# once decoded; browsers read a backslash as a slash and drop tabs and newlines.
OPEN_REDIRECTS = [
    "//evil.example",
    "//evil.example/authors/",
    "///evil.example",
    " //evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "%2F%5Cevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_no_next_that_leads_elsewhere_is_taken(target):
    assert path_on_this_site(target) is None


@pytest.mark.parametrize(
    "target", ["/authors/", "/authors/1?page=2&back=sort%3Dbooks", "/search?q=a%2Fb"]
)
def test_a_path_on_this_site_is_taken(target):
    assert path_on_this_site(target) == target


def test_signing_in_never_leads_to_another_site(app, curator):
    targets = [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
    ]
    locations = {}
    for target in targets:
        response = sign_in(app.test_client(), next_path=target)
        assert response.status_code == 303
        locations[target] = response.headers["Location"]

    assert locations == dict.fromkeys(targets, "/authors/")


def test_a_wrong_password_is_refused_with_the_form_again(client, curator):
    response = sign_in(client, password="not the password")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "That email and password do not match an account." in page
    assert f'value="{CURATOR_EMAIL}"' in page
    assert "not the password" not in page
    assert client.get("/authors/").get_data(as_text=True).count("Sign in</a>") == 1


def comparable(page: str, email: str) -> str:
    """The page without what differs between two answers of the same kind: the email
    echoed, and the CSRF token (signed with the time)."""
    page = page.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token"', page)


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(client, curator):
    wrong_password = sign_in(client, password="not the password")
    unknown_email = sign_in(client, email="nobody@bookshelf.example", password="not the password")

    assert unknown_email.status_code == wrong_password.status_code == 422
    assert comparable(unknown_email.get_data(as_text=True), "nobody@bookshelf.example") == (
        comparable(wrong_password.get_data(as_text=True), CURATOR_EMAIL)
    )


@pytest.fixture
def argon2_verifications(monkeypatch):
    """How many argon2 verifications the app runs while the test does."""
    calls = []
    verify = PasswordHasher.verify

    def counted(self, hash, password):
        calls.append(hash)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return calls


def test_every_attempt_costs_exactly_one_argon2_verification(
    app, curator, add_user, argon2_verifications
):
    add_user("disabled@bookshelf.example", CURATOR_PASSWORD, disabled=True)
    attempts = {
        "wrong password": (CURATOR_EMAIL, "not the password"),
        "unknown email": ("nobody@bookshelf.example", "not the password"),
        "disabled account": ("disabled@bookshelf.example", CURATOR_PASSWORD),
        "right password": (CURATOR_EMAIL, CURATOR_PASSWORD),
    }
    verifications = {}
    for kind, (email, password) in attempts.items():
        client = app.test_client()
        token = csrf_token_on(client.get("/login").get_data(as_text=True))
        argon2_verifications.clear()
        client.post("/login", data={"csrf_token": token, "email": email, "password": password})
        verifications[kind] = len(argon2_verifications)

    assert verifications == dict.fromkeys(attempts, 1)


def test_the_decoy_hash_costs_what_a_real_one_does():
    """If this fails, the hashing parameters changed: make DECOY_HASH again."""
    assert not needs_rehash(DECOY_HASH)
    assert not password_matches(DECOY_HASH, CURATOR_PASSWORD)


def test_a_disabled_account_cannot_sign_in(client, add_user):
    add_user("disabled@bookshelf.example", CURATOR_PASSWORD, disabled=True)
    response = sign_in(client, email="disabled@bookshelf.example")

    assert response.status_code == 422
    assert "That email and password do not match an account." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "", "password": CURATOR_PASSWORD}, "Enter an email address."),
        ({"password": CURATOR_PASSWORD}, "Enter an email address."),
        ({"email": "curator", "password": CURATOR_PASSWORD}, "like name@example.org"),
        ({"email": CURATOR_EMAIL, "password": ""}, "Enter your password."),
        ({"email": CURATOR_EMAIL}, "Enter your password."),
        ({"email": CURATOR_EMAIL, "password": "x" * 129}, "too long to be anyone"),
    ],
)
def test_an_incomplete_form_says_what_is_missing(client, data, message):
    response = submit(client, "/login", data)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_hash_made_with_older_parameters_is_upgraded_at_sign_in(app, client, add_user):
    older = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    add_user(CURATOR_EMAIL, CURATOR_PASSWORD, password_hash=older.hash(CURATOR_PASSWORD))

    assert sign_in(client).status_code == 303

    with app.app_context():
        upgraded = db.session.scalar(select(User.password_hash))
    assert not needs_rehash(upgraded)
    assert password_matches(upgraded, CURATOR_PASSWORD)
    client.post(
        "/logout",
        data={"csrf_token": csrf_token_on(client.get("/authors/").get_data(as_text=True))},
    )
    assert sign_in(client).status_code == 303


def test_a_current_hash_is_left_as_it_is(app, client, curator):
    with app.app_context():
        before = db.session.scalar(select(User.password_hash))
    sign_in(client)
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)) == before


def test_signing_in_starts_a_new_session(client, curator):
    """Nothing of the anonymous session carries over: not its flashed messages, not the
    CSRF token of a form opened before."""
    with client.session_transaction() as session:
        session["left_by_a_stranger"] = "planted"
    form_before = client.get("/login").get_data(as_text=True)

    assert sign_in(client).status_code == 303

    with client.session_transaction() as session:
        assert "left_by_a_stranger" not in session
    response = client.post("/logout", data={"csrf_token": csrf_token_on(form_before)})
    assert response.status_code == 400


def test_signing_out_ends_the_session(curator_client):
    token = csrf_token_on(curator_client.get("/authors/").get_data(as_text=True))

    response = curator_client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 303
    assert response.headers["Location"] == "/authors/"
    page = curator_client.get("/authors/").get_data(as_text=True)
    assert "You are signed out." in page
    assert "Sign in</a>" in page
    assert CURATOR_EMAIL not in page


def test_signing_out_takes_a_post(curator_client):
    assert curator_client.get("/logout").status_code == 405
    assert CURATOR_EMAIL in curator_client.get("/authors/").get_data(as_text=True)


def test_a_post_to_login_without_the_csrf_token_is_refused(client, curator):
    response = client.post("/login", data={"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD})

    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    assert "Sign in</a>" in client.get("/authors/").get_data(as_text=True)


def test_a_post_to_login_with_a_forged_token_is_refused(client, curator):
    client.get("/login")
    response = client.post(
        "/login",
        data={"csrf_token": "forged", "email": CURATOR_EMAIL, "password": CURATOR_PASSWORD},
    )
    assert response.status_code == 400


def test_a_post_to_logout_without_the_csrf_token_is_refused(curator_client):
    response = curator_client.post("/logout")

    assert response.status_code == 400
    assert CURATOR_EMAIL in curator_client.get("/authors/").get_data(as_text=True)


def test_a_token_from_another_session_is_refused(app, curator_client):
    stranger = app.test_client()
    stranger_token = csrf_token_on(stranger.get("/login").get_data(as_text=True))

    response = curator_client.post("/logout", data={"csrf_token": stranger_token})

    assert response.status_code == 400
