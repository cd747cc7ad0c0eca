"""Sign-in limits as served in production: gunicorn with two workers sharing their counts
through a Redis of the test's own; Redis stopped mid-run; X-Forwarded-For believed only
behind trusted proxies; and what caches are told."""

import shutil

import pytest

from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD
from tests.servers.http_browser import Browser
from tests.servers.redis import ThrowawayRedis


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: apt-get install -y redis-server")
    server = ThrowawayRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def database_url(tmp_path):
    """The limits are counted in Redis, apart from the database: SQLite is enough here."""
    return f"sqlite:///{tmp_path / 'bookshelf.sqlite'}"


def test_the_workers_share_the_limit_in_redis_and_keep_it_while_redis_is_down(
    shelf, gunicorn, redis_server
):
    server = gunicorn(
        shelf,
        REDIS_URL=redis_server.url(),
        TRUSTED_PROXIES="1",
        SIGN_IN_LIMIT_PER_CLIENT="5 per minute",
        SIGN_IN_LIMIT_PER_ACCOUNT="1000 per hour",
    )
    attacker = Browser(server, **{"X-Forwarded-For": "203.0.113.7"})

    # Each attempt on a new connection, so both workers answer: one count between them.
    assert [attacker.sign_in() for _ in range(7)] == [422] * 5 + [429] * 2
    assert any(key.startswith("LIMITS") for key in redis_server.stored_keys())
    assert Browser(server, **{"X-Forwarded-For": "203.0.113.8"}).sign_in(CURATOR_PASSWORD) == 303

    redis_server.stop()
    after = [attacker.sign_in() for _ in range(30)]
    curator = Browser(server, **{"X-Forwarded-For": "203.0.113.9"})
    signed_in = curator.sign_in(CURATOR_PASSWORD)
    page = curator.request("GET", "/authors/")

    # Sign-in keeps answering, and each worker now counts in its own memory: the
    # attacker gets at most a limit's worth of attempts from each before being held.
    assert set(after) <= {422, 429}
    assert after.count(422) <= 2 * 5
    assert after.count(429) >= 30 - 2 * 5
    assert signed_in == 303
    assert page.status == 200
    assert CURATOR_EMAIL in page.text
    assert "Traceback" not in server.log()


def test_x_forwarded_for_counts_only_behind_trusted_proxies(shelf, gunicorn, redis_server):
    limits = {
        "REDIS_URL": redis_server.url(),
        "SIGN_IN_LIMIT_PER_CLIENT": "3 per minute",
        "SIGN_IN_LIMIT_PER_ACCOUNT": "1000 per hour",
    }
    direct = gunicorn(shelf, **limits)
    behind_a_proxy = gunicorn(shelf, TRUSTED_PROXIES="1", **limits)

    # Straight to the app, the header is anyone's to write: a script that changes it on
    # every attempt is still one client.
    script = [Browser(direct, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert [browser.sign_in() for browser in script] == [422, 422, 422, 429]

    # Behind one proxy, the address it appends is the client's.
    clients = [Browser(behind_a_proxy, **{"X-Forwarded-For": f"198.51.100.{n}"}) for n in range(4)]
    assert [browser.sign_in() for browser in clients] == [422] * 4
    assert [clients[0].sign_in() for _ in range(3)] == [422, 422, 429]


def test_served_pages_tell_caches_what_they_may_keep(shelf, gunicorn):
    server = gunicorn(shelf)
    reader = Browser(server)
    for path in ("/authors/", "/authors/1", "/api/authors/", "/api/books/1"):
        response = reader.request("GET", path)
        assert response.status == 200
        assert response.getheader("Set-Cookie") is None
        assert "private" not in (response.getheader("Cache-Control") or "")

    curator = Browser(server)
    assert curator.sign_in(CURATOR_PASSWORD) == 303
    for path in ("/authors/", "/authors/1", "/api/authors/"):
        response = curator.request("GET", path)
        assert response.getheader("Cache-Control") == "private, no-store"
    assert "Cookie" in curator.request("GET", "/authors/").getheader("Vary")
