"""Pooled connections: a busy worker reuses them as they are, and one that has been idle
is pinged first, so a connection the server dropped meanwhile never reaches a request."""

import psycopg2
import pytest

from bookshelf import database


@pytest.fixture
def pings(monkeypatch, make_app, postgres_url):
    """The app on PostgreSQL, and the list of pings its pool sends."""
    app = make_app(postgres_url)
    sent = []
    with app.app_context():
        dialect = database.db.engine.dialect
    ping = dialect.do_ping

    def counted_ping(dbapi_connection):
        sent.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted_ping)
    return app, sent


def drop_the_pooled_connection(url: str) -> None:
    """End, on the server, the one connection the app's pool holds, as a restart would."""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'bookshelf' AND datname = current_database()"
        )
        assert cursor.rowcount == 1
    connection.close()


@pytest.fixture
def dropped(pings, postgres_url):
    """A client whose app has served a request, after which the server dropped the
    connection the app's pool holds."""
    app, sent = pings
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    drop_the_pooled_connection(postgres_url)
    return client, sent


def test_a_busy_worker_sends_no_pings(pings, monkeypatch):
    app, sent = pings
    client = app.test_client()
    # However slow this machine is, the requests come well within the threshold.
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 60)

    for _ in range(5):
        assert client.get("/healthz").status_code == 200

    assert sent == []


def test_a_connection_the_server_dropped_while_idle_is_replaced(dropped, monkeypatch):
    client, sent = dropped
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0)

    assert client.get("/healthz").status_code == 200
    assert len(sent) == 1


def test_without_the_ping_the_dropped_connection_would_fail_a_request(dropped, monkeypatch):
    """What the ping saves a request from: a connection used a moment ago is trusted, so
    one the server dropped within that moment fails the request that takes it."""
    client, sent = dropped
    monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 3600)

    assert client.get("/healthz").status_code == 503
    assert sent == []
    assert client.get("/healthz").status_code == 200
