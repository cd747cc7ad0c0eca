"""Sessions (OWASP ASVS 7): a cookie copied before signing out, a new password or
disabling is refused afterwards; the cookie's flags; and what caches may keep."""

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD, csrf_token_on, submit

NEW_PASSWORD = "a louder shelf of vellum"


def signed_in_as(client) -> str | None:
    """Whose email the header shows, or None when it offers to sign in."""
    page = client.get("/authors/").get_data(as_text=True)
    if 'action="/logout"' not in page:
        assert "Sign in</a>" in page
        return None
    assert CURATOR_EMAIL in page
    return CURATOR_EMAIL


@pytest.fixture
def copied_session(app, curator_client):
    """Another client holding a copy of the curator's session cookie, as an attacker who
    took it would."""
    copy = app.test_client()
    copy.set_cookie("session", curator_client.get_cookie("session").value)
    assert signed_in_as(copy) == CURATOR_EMAIL
    return copy


def sign_out(client):
    token = csrf_token_on(client.get("/authors/").get_data(as_text=True))
    return client.post("/logout", data={"csrf_token": token})


def test_a_cookie_copied_before_signing_out_is_refused_after(curator_client, copied_session):
    assert sign_out(curator_client).status_code == 303

    assert signed_in_as(copied_session) is None
    assert signed_in_as(curator_client) is None


def test_a_cookie_issued_before_a_new_password_is_refused_after(
    app, runner, curator_client, copied_session
):
    result = runner.invoke(
        args=["users", "set-password", CURATOR_EMAIL, "--password-stdin"], input=NEW_PASSWORD
    )
    assert result.exit_code == 0, result.output

    assert signed_in_as(copied_session) is None
    assert signed_in_as(curator_client) is None
    client = app.test_client()
    refused = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    assert submit(client, "/login", refused).status_code == 422
    accepted = {"email": CURATOR_EMAIL, "password": NEW_PASSWORD}
    assert submit(client, "/login", accepted).status_code == 303


def test_a_cookie_issued_before_disabling_is_refused_after(
    app, runner, curator_client, copied_session
):
    result = runner.invoke(args=["users", "disable", CURATOR_EMAIL])
    assert result.exit_code == 0, result.output

    assert signed_in_as(copied_session) is None
    assert signed_in_as(curator_client) is None
    credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    assert submit(app.test_client(), "/login", credentials).status_code == 422


def test_signing_in_again_does_not_revive_an_old_cookie(app, curator_client, copied_session):
    sign_out(curator_client)
    credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    assert submit(curator_client, "/login", credentials).status_code == 303

    assert signed_in_as(curator_client) == CURATOR_EMAIL
    assert signed_in_as(copied_session) is None


def test_a_forged_session_naming_the_curator_is_refused(app, curator):
    """A cookie the app did not sign, however it names the user, is no session."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{curator}:guessed-token"
    assert signed_in_as(client) is None


def session_cookie_of(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0]


def test_the_session_cookie_is_http_only_same_site_and_not_secure_by_default(client, curator):
    credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    cookie = session_cookie_of(submit(client, "/login", credentials))

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_when_configured(app, client, curator):
    app.config["SESSION_COOKIE_SECURE"] = True
    credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    response = submit(client, "/login", credentials)

    assert "; Secure" in session_cookie_of(response)


ANONYMOUS_READS = [
    "/",
    "/authors/",
    "/authors/?sort=books",
    "/search?q=earthsea",
    "/api/search?q=earthsea",
    "/authors/{id}",
    "/books/{id}",
    "/authors/999999",
    "/api/authors/",
    "/api/books/{id}",
    "/api/openapi.json",
    "/healthz",
    "/static/style.css",
    "/no-such-page",
]


def test_browsing_signed_out_sets_no_cookie(client, add_author):
    """So that a shared cache or CDN can serve the catalogue to everyone."""
    author_id = add_author(books=["A Wizard of Earthsea"])
    problems = []
    for path in ANONYMOUS_READS:
        response = client.get(path.format(id=author_id))
        if response.status_code >= 500 or "Set-Cookie" in response.headers:
            problems.append(f"{path}: {response.status_code} {response.headers.get('Set-Cookie')}")
        elif "private" in response.headers.get("Cache-Control", ""):
            problems.append(f"{path}: kept out of shared caches")

    assert problems == []


def test_browsing_signed_out_asks_nothing_of_the_users_table(client, add_author, sql_statements):
    author_id = add_author(books=["A Wizard of Earthsea"])
    for path in ("/authors/", f"/authors/{author_id}", "/api/authors/"):
        assert client.get(path).status_code == 200

    assert sql_statements
    assert [s for s in sql_statements if "users" in s] == []


def test_pages_that_show_who_is_signed_in_vary_with_the_cookie(client, add_author):
    author_id = add_author()
    for path in ("/authors/", f"/authors/{author_id}", "/login"):
        assert "Cookie" in client.get(path).headers.get("Vary", "")


SIGNED_IN_READS = [*ANONYMOUS_READS, "/login"]


def test_every_answer_to_a_curator_is_private_and_not_stored(curator_client, add_author):
    author_id = add_author(books=["A Wizard of Earthsea"])
    problems = []
    for path in SIGNED_IN_READS:
        response = curator_client.get(path.format(id=author_id))
        page = response.get_data(as_text=True)
        if response.headers.get("Cache-Control") != "private, no-store":
            problems.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')}")
        # Every page built on the layout shows who is signed in.
        elif 'class="site-header"' in page and (
            "Cookie" not in response.headers.get("Vary", "") or CURATOR_EMAIL not in page
        ):
            problems.append(f"{path}: Vary {response.headers.get('Vary')}")

    assert problems == []


def test_answers_that_set_a_cookie_are_private_and_not_stored(client, curator):
    form = client.get("/login")
    assert "Set-Cookie" in form.headers
    assert form.headers["Cache-Control"] == "private, no-store"

    credentials = {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    signed_in = submit(client, "/login", credentials)
    assert signed_in.headers["Cache-Control"] == "private, no-store"

    signed_out = sign_out(client)
    assert "Set-Cookie" in signed_out.headers
    assert signed_out.headers["Cache-Control"] == "private, no-store"


def test_the_sign_in_form_is_never_cached_for_others(client):
    """Its CSRF token is this browser's: the second time the form is shown, no cookie is
    set, and it must still be private."""
    client.get("/login")
    again = client.get("/login")

    assert "Set-Cookie" not in again.headers
    assert again.headers["Cache-Control"] == "private, no-store"


class FiveHoursAgo(TimestampSigner):
    """Signs as Flask-WTF's signer does, dated five hours back."""

    def get_timestamp(self) -> int:
        return super().get_timestamp() - 5 * 3600


def test_a_form_left_open_for_hours_is_still_accepted(app, client, curator):
    """Its CSRF token lasts as long as the session, not an hour: the token of a form
    opened five hours ago still signs in."""
    client.get("/login")
    with client.session_transaction() as session:
        raw_token = session["csrf_token"]
    serializer = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=FiveHoursAgo)
    token = serializer.dumps(raw_token)

    response = client.post(
        "/login", data={"csrf_token": token, "email": CURATOR_EMAIL, "password": CURATOR_PASSWORD}
    )

    assert response.status_code == 303


def test_a_readers_api_answer_does_not_vary_with_cookies(client, add_author):
    """Nothing in a signed-out API answer depends on the session, so a cache need not keep
    a copy per cookie."""
    add_author()
    response = client.get("/api/authors/")

    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
