"""/healthz tells a monitor whether the database answers; a lost connection is no 500."""

import psycopg2
from sqlalchemy import text

from bookshelf.database import read


def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unavailable_when_the_database_does_not(make_app, unreachable_postgres_url, caplog):
    app = make_app(unreachable_postgres_url)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert "not answering" in response.get_json()["error"]
    [record] = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert "GET /healthz" in record.getMessage()
    assert record.exc_info is None


def test_pages_are_a_friendly_503_when_the_database_does_not_answer(
    make_app, unreachable_postgres_url
):
    app = make_app(unreachable_postgres_url)

    response = app.test_client().get("/authors/")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "Please try again shortly" in response.get_data(as_text=True)


def test_a_connection_lost_after_the_last_query_fails_no_request(make_app, postgres_url):
    """The page is made, then the server drops the connection before the request ends."""
    app = make_app(postgres_url)

    @app.get("/query-then-lose-the-connection")
    def query_then_lose_the_connection():
        backend = read(text("SELECT pg_backend_pid()")).scalar()
        killer = psycopg2.connect(postgres_url)
        killer.autocommit = True
        killer.cursor().execute("SELECT pg_terminate_backend(%s)", (backend,))
        killer.close()
        return "made"

    client = app.test_client()
    response = client.get("/query-then-lose-the-connection")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "made"
    assert client.get("/healthz").status_code == 200
