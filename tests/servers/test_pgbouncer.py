"""Through PgBouncer in transaction pooling mode, as behind Neon's pooled URL."""

import json
from concurrent.futures import ThreadPoolExecutor

import psycopg2
from sqlalchemy import create_engine, inspect

from bookshelf.seeding.sample_shelf import SAMPLE_SHELF


def pooler_stats(bouncer, database: str) -> dict:
    """PgBouncer's running totals for `database`: transactions and queries carried so far."""
    connection = psycopg2.connect(bouncer.admin_url())
    connection.autocommit = True  # the admin console takes no transactions
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW STATS")
            columns = [column.name for column in cursor.description]
            for row in cursor.fetchall():
                stats = dict(zip(columns, row, strict=True))
                if stats["database"] == database:
                    return stats
            return {"total_xact_count": 0, "total_query_count": 0}
    finally:
        connection.close()


def transactions_through(bouncer, database: str) -> int:
    """How many transactions PgBouncer has carried to `database` so far."""
    return pooler_stats(bouncer, database)["total_xact_count"]


def test_migrations_go_through_the_direct_url_and_the_app_through_the_pooler(
    pgbouncer, throwaway_database, make_app
):
    app = make_app(pgbouncer.url(), direct_url=throwaway_database)
    runner = app.test_cli_runner()
    before = transactions_through(pgbouncer, pgbouncer.database)

    result = runner.invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert transactions_through(pgbouncer, pgbouncer.database) == before
    direct = create_engine(throwaway_database.replace("postgresql://", "postgresql+psycopg2://"))
    assert {"authors", "books", "alembic_version"} <= set(inspect(direct).get_table_names())
    direct.dispose()

    assert runner.invoke(args=["seed"]).exit_code == 0
    assert transactions_through(pgbouncer, pgbouncer.database) > before


def test_a_page_gives_the_server_connection_back_after_each_statement(
    pgbouncer, throwaway_database, migrated, make_app
):
    """Each statement of a page is its own transaction, so PgBouncer lends the page a
    server connection per statement, not for the whole request and its rendering."""
    migrated(throwaway_database)
    client = make_app(pgbouncer.url()).test_client()
    assert client.get("/authors/1").status_code == 200  # connects, and reads the server's settings
    before = pooler_stats(pgbouncer, pgbouncer.database)

    assert client.get("/authors/1").status_code == 200

    after = pooler_stats(pgbouncer, pgbouncer.database)
    queries = after["total_query_count"] - before["total_query_count"]
    transactions = after["total_xact_count"] - before["total_xact_count"]
    # The shelf's version (bookshelf.caching), the author, a page of books.
    assert queries == transactions == 3


def expected_answers() -> dict[str, tuple[int, str]]:
    """Each path with its status and a text its body must hold, for the sample shelf."""
    tolkien, martin, rowling = SAMPLE_SHELF
    return {
        "/authors/": (200, "Showing 1–3"),
        "/search?q=thrones": (200, martin["name"]),
        "/api/search?q=martin+thrones": (200, martin["books"][0]),
        "/authors/?country=United+Kingdom&sort=books": (200, tolkien["name"]),
        "/authors/?sort=newest&page=2&per_page=2": (200, "Showing 3–3"),
        "/authors/1": (200, tolkien["books"][0]),
        "/authors/3?page=1&per_page=1": (200, rowling["books"][1]),
        "/authors/99": (404, "There is no author with that id."),
        "/api/authors/": (200, rowling["bio"]),
        "/api/books/2": (200, martin["books"][1]),
        "/api/books/99": (404, "There is no author with that id."),
        "/healthz": (200, '"ok"'),
    }


def test_every_page_answers_correctly_under_concurrent_load(
    pgbouncer, throwaway_database, migrated, gunicorn
):
    migrated(throwaway_database)
    server = gunicorn(pgbouncer.url())
    expected = expected_answers()
    requests = list(expected) * 30

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(server.get, requests))

    wrong = [
        (path, status, body[:200])
        for path, (status, _, body) in zip(requests, answers, strict=True)
        if (status, True) != (expected[path][0], expected[path][1] in body)
    ]
    assert wrong == []
    assert json.loads(server.get("/api/authors/")[2])[0]["name"] == SAMPLE_SHELF[0]["name"]
    assert "Traceback" not in server.log()
