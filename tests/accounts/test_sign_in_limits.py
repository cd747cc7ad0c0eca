"""Limits on failed sign-ins, per client and per account, in process with the memory
storage (tests/servers/test_sign_in_limits_served.py has them under gunicorn and Redis).
They are counted apart from the database, so these run on SQLite alone."""

import pytest
from flask import request
from flask_limiter import Limiter

import config
from bookshelf import create_app
from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD, csrf_token_on, submit


class Browser:
    """A client at one address that opens the form once and posts it again and again,
    as a script guessing passwords would."""

    def __init__(self, app, address="198.51.100.7", headers=None):
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": address}
        self.headers = headers or {}
        page = self.client.get("/login", environ_base=self.environ).get_data(as_text=True)
        self.token = csrf_token_on(page)

    def sign_in(self, email=CURATOR_EMAIL, password="not the password", headers=None):
        return self.client.post(
            "/login",
            data={"csrf_token": self.token, "email": email, "password": password},
            environ_base=self.environ,
            headers={**self.headers, **(headers or {})},
        )

    def statuses(self, count, **kwargs):
        return [self.sign_in(**kwargs).status_code for _ in range(count)]


@pytest.fixture
def database_url(tmp_path):
    """The limits are counted apart from the database, so SQLite is enough here."""
    return f"sqlite:///{tmp_path / 'bookshelf.sqlite'}"


@pytest.fixture
def limits(app):
    """Set the limits lower than the defaults, so that few argon2 checks reach them."""

    def set_limits(per_client="1000 per minute", per_account="1000 per hour"):
        app.config["SIGN_IN_LIMIT_PER_CLIENT"] = per_client
        app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = per_account

    return set_limits


def test_a_client_is_turned_away_after_its_failed_attempts(app, curator, limits):
    limits(per_client="3 per minute")
    browser = Browser(app)

    statuses = browser.statuses(3, email="nobody@bookshelf.example")
    turned_away = browser.sign_in(password=CURATOR_PASSWORD)

    assert statuses == [422, 422, 422]
    assert turned_away.status_code == 429
    page = turned_away.get_data(as_text=True)
    assert "Too many failed attempts to sign in from here" in page
    assert 0 < int(turned_away.headers["Retry-After"]) <= 60
    assert "Set-Cookie" not in turned_away.headers


def test_another_client_may_still_sign_in(app, curator, limits):
    limits(per_client="2 per minute")
    Browser(app).statuses(3)

    assert Browser(app, "198.51.100.8").sign_in(password=CURATOR_PASSWORD).status_code == 303


def test_an_account_is_shielded_from_many_clients(app, curator, limits):
    limits(per_client="2 per minute", per_account="4 per hour")
    attempts = [Browser(app, f"203.0.113.{n}").statuses(2) for n in range(2)]

    turned_away = Browser(app, "203.0.113.9").sign_in(password=CURATOR_PASSWORD)

    assert attempts == [[422, 422], [422, 422]]
    assert turned_away.status_code == 429
    assert "Too many failed attempts to sign in to this account" in turned_away.get_data(
        as_text=True
    )
    assert 0 < int(turned_away.headers["Retry-After"]) <= 3600


def test_the_account_limit_counts_the_email_in_any_case(app, curator, limits):
    limits(per_account="2 per hour")
    Browser(app, "203.0.113.1").sign_in(email=CURATOR_EMAIL.upper())
    Browser(app, "203.0.113.2").sign_in(email=f" {CURATOR_EMAIL} ")

    assert Browser(app, "203.0.113.3").sign_in(password=CURATOR_PASSWORD).status_code == 429


def test_unknown_emails_are_limited_as_accounts_are(app, curator, limits):
    """Else the limit would tell which emails have accounts."""
    limits(per_account="2 per hour")
    for address in ("203.0.113.1", "203.0.113.2"):
        Browser(app, address).sign_in(email="nobody@bookshelf.example")

    assert Browser(app, "203.0.113.3").sign_in(email="nobody@bookshelf.example").status_code == (
        429
    )
    assert Browser(app, "203.0.113.3").sign_in(password=CURATOR_PASSWORD).status_code == 303


def test_signing_in_does_not_count(app, curator, limits):
    """A curator who signs in often is never turned away."""
    limits(per_client="2 per minute", per_account="2 per hour")
    statuses = [Browser(app).sign_in(password=CURATOR_PASSWORD).status_code for _ in range(3)]

    assert statuses == [303, 303, 303]


def test_the_attempts_turned_away_do_not_count(app, curator, limits):
    limits(per_client="2 per minute")
    browser = Browser(app)

    assert browser.statuses(4) == [422, 422, 429, 429]
    assert Browser(app, "198.51.100.8").sign_in(password=CURATOR_PASSWORD).status_code == 303


def test_the_form_itself_is_never_limited(app, curator, limits):
    limits(per_client="1 per minute")
    browser = Browser(app)
    browser.statuses(2)

    page = browser.client.get("/login", environ_base=browser.environ)
    assert page.status_code == 200


def test_reading_carries_no_limit_headers(client, add_author):
    author_id = add_author()
    for path in ("/authors/", f"/authors/{author_id}", "/api/authors/", "/login"):
        headers = client.get(path).headers
        assert not [name for name, _ in headers.items() if name.lower().startswith("x-ratelimit")]
        assert "Retry-After" not in headers


def test_reads_never_reach_the_limiter(client, add_author, monkeypatch):
    """Flask-Limiter would look for limits on every request; only signing in has any."""
    looked_at = []
    identify = Limiter.identify_request

    def counted(limiter):
        looked_at.append(request.path)
        return identify(limiter)

    monkeypatch.setattr(Limiter, "identify_request", counted)
    author_id = add_author()
    for path in ("/", "/authors/", f"/authors/{author_id}", "/api/authors/", "/healthz"):
        client.get(path)
    assert looked_at == []

    submit(client, "/login", {"email": CURATOR_EMAIL, "password": "not the password"})
    assert "/login" in looked_at


def test_x_forwarded_for_is_ignored_without_trusted_proxies(app, curator, limits):
    limits(per_client="2 per minute")
    browser = Browser(app)
    statuses = [
        browser.sign_in(headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(3)
    ]

    assert statuses == [422, 422, 429]


@pytest.fixture
def app_behind_a_proxy(database_url, tmp_path, migrated):
    """An app told that one proxy stands in front of it."""
    settings = config.TestingConfig(migrated(database_url, seed=False), tmp_path)
    settings.TRUSTED_PROXIES = 1
    settings.SIGN_IN_LIMIT_PER_CLIENT = "2 per minute"
    return create_app(settings)


def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwards(app_behind_a_proxy):
    proxy = Browser(app_behind_a_proxy, "10.0.0.2")
    first = [
        proxy.sign_in(headers={"X-Forwarded-For": "203.0.113.1"}).status_code for _ in range(3)
    ]
    second = proxy.sign_in(headers={"X-Forwarded-For": "203.0.113.2"}).status_code
    # A client cannot pose as another by sending the header itself: the proxy appends
    # the address it saw, and only that last one is trusted.
    spoofed = proxy.sign_in(headers={"X-Forwarded-For": "203.0.113.3, 203.0.113.1"}).status_code

    assert first == [422, 422, 429]
    assert second == 422
    assert spoofed == 429
