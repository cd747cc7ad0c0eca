"""Pooled connections the server dropped: a request that takes one reads on through a new
connection (the pool renews them all), and only a connection that died is given up on."""

import threading
import time

import flask_migrate
import psycopg2
import pytest
from flask import abort
from sqlalchemy import event, text
from sqlalchemy.exc import DataError

from bookshelf.database import read
from bookshelf.extensions import db


def end_connections(url: str, condition: str = "true", values: tuple = ()) -> int:
    """End, on the server, the app's connections (those `condition` picks), as a restart
    would; how many."""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
            f"application_name = 'bookshelf' AND datname = current_database() AND {condition}",
            values,
        )
        ended = cursor.rowcount
    connection.close()
    return ended


@pytest.fixture
def app(make_app, postgres_url):
    """The app on PostgreSQL, with a page that reads its database connection's server
    process id twice, one that drops its connection after its first read, and one that
    drops it after its only read."""
    app = make_app(postgres_url)
    with app.app_context():
        flask_migrate.upgrade()
        # The tests end the app's connections and count them: only the reads engine's stays.
        db.engine.dispose()

    def backend_id() -> int:
        return read(text("SELECT pg_backend_pid()")).scalar_one()

    @app.get("/backend")
    def backend():
        return {"before": backend_id(), "after": backend_id()}

    @app.get("/backend-dropped-midway")
    def backend_dropped_midway():
        before = backend_id()
        if end_connections(postgres_url) != 1:
            abort(500)
        return {"before": before, "after": backend_id()}

    @app.get("/backend-dropped-at-the-end")
    def backend_dropped_at_the_end():
        backend_id()
        if end_connections(postgres_url) != 1:
            abort(500)
        return "made"

    return app


def test_a_connection_the_server_dropped_in_the_pool_fails_no_request(app, postgres_url):
    client = app.test_client()
    first = client.get("/backend").get_json()

    assert end_connections(postgres_url) == 1
    response = client.get("/backend")

    assert response.status_code == 200
    assert response.get_json()["before"] != first["before"]


def test_a_connection_dropped_between_two_reads_of_a_request_fails_neither(app):
    client = app.test_client()

    response = client.get("/backend-dropped-midway")

    assert response.status_code == 200
    assert response.get_json()["after"] != response.get_json()["before"]
    assert client.get("/healthz").status_code == 200


def test_a_connection_lost_after_the_last_query_fails_no_request(app):
    """The page is made, then the server drops the connection before the request ends."""
    client = app.test_client()
    response = client.get("/backend-dropped-at-the-end")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "made"
    assert client.get("/healthz").status_code == 200


def test_a_live_connection_serves_request_after_request(app):
    client = app.test_client()

    backends = {client.get("/backend").get_json()["before"] for _ in range(5)}

    assert len(backends) == 1


def test_a_statement_that_fails_for_another_reason_runs_once(app, sql_statements):
    @app.get("/divide-by-zero")
    def divide_by_zero():
        return {"value": read(text("SELECT 1 / 0")).scalar_one()}

    client = app.test_client()
    backend = client.get("/backend").get_json()["before"]
    with pytest.raises(DataError, match="division by zero"):
        client.get("/divide-by-zero")

    assert sql_statements.count("SELECT 1 / 0") == 1
    assert client.get("/backend").get_json()["before"] == backend


def test_a_statement_cut_off_while_it_ran_is_not_run_again(app, postgres_url, sql_statements):
    """An administrator ending a runaway query ends it: the app does not send it again."""
    slow = "SELECT pg_sleep(30)"

    @app.get("/slow")
    def slow_page():
        return {"value": read(text(slow)).scalar_one()}

    def end_the_slow_query() -> None:
        # Well past LOST_CONNECTION_FAILS_WITHIN_SECONDS, so it cannot pass for a dead connection.
        running_for_a_while = "query = %s AND now() - query_start > interval '3 seconds'"
        for _ in range(100):
            time.sleep(0.1)
            if end_connections(postgres_url, running_for_a_while, (slow,)):
                break

    killer = threading.Thread(target=end_the_slow_query)
    killer.start()
    response = app.test_client().get("/slow")
    killer.join()

    assert response.status_code == 503
    assert sql_statements.count(slow) == 1


def statements_on(app, bind: str) -> list[str]:
    """The statements an engine of the app sends from now on."""
    sent = []
    with app.app_context():
        event.listen(
            db.engines[bind],
            "before_cursor_execute",
            lambda conn, cursor, statement, *rest: sent.append(statement),
        )
    return sent


def test_with_a_replica_a_readers_pages_read_from_it_and_open_no_session(
    make_app, migrated, postgres_url
):
    url = migrated(postgres_url)
    app = make_app(url, replica_url=url)  # the same server, standing in for a replica
    on_replica, on_primary = statements_on(app, "replica-0"), statements_on(app, "reads")

    for path in ["/authors/", "/authors/1", "/api/authors/", "/search?q=tolkien"]:
        response = app.test_client().get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers

    assert any("FROM authors" in statement for statement in on_replica)
    assert on_primary == []
    assert "Cookie" not in app.test_client().get("/api/authors/").headers.get("Vary", "")


def test_with_its_replica_down_a_reader_reads_from_the_primary(
    make_app, migrated, postgres_url, unreachable_postgres_url
):
    url = migrated(postgres_url)
    app = make_app(url, replica_url=unreachable_postgres_url)
    on_primary = statements_on(app, "reads")

    for path in ["/authors/", "/authors/1", "/api/authors/"]:
        assert app.test_client().get(path).status_code == 200
    assert any("FROM authors" in statement for statement in on_primary)
