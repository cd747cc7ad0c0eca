"""A database whose schema is not the code's: readers get a 503 page saying so, the API a 503
JSON error, the health check a 503 naming the cause, and the log one line per request."""

import flask_migrate
import pytest
from sqlalchemy import text

from bookshelf.extensions import db
from tests.schema.revisions import revision_id

PATHS = ["/authors/", "/authors/1", "/api/authors/", "/api/books/1"]


def schema_lines(caplog) -> list:
    return [r for r in caplog.records if "schema mismatch" in r.getMessage()]


def migrate_to(app, revision: str) -> None:
    with app.app_context():
        flask_migrate.upgrade(revision=revision)


@pytest.mark.parametrize("path", PATHS)
def test_an_unmigrated_database_is_a_503_that_says_to_upgrade(empty_app, caplog, path):
    response = empty_app.test_client().get(path)

    assert response.status_code == 503
    if path.startswith("/api/"):
        assert response.mimetype == "application/json"
        assert "flask db upgrade" in response.get_json()["error"]
    else:
        assert response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert "run flask db upgrade first" in page
        # Every page needs the database: the way on is to try this one again, not another.
        assert "Browse all authors" not in page
        assert f'<a href="{path}">Try again</a>' in page
    [line] = schema_lines(caplog)
    assert f"GET {path}" in line.getMessage()
    assert line.exc_info is None
    assert "Traceback" not in caplog.text


def test_the_health_check_names_the_cause(empty_app, caplog):
    response = empty_app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {
        "error": "The database has no tables yet: run flask db upgrade first."
    }
    assert len(schema_lines(caplog)) == 1


def test_a_database_behind_the_code_says_which_revision_it_is_at(empty_app):
    add_country = revision_id("add-country-to-author")
    migrate_to(empty_app, add_country)
    client = empty_app.test_client()

    page = client.get("/authors/")
    health = client.get("/healthz")

    assert page.status_code == 503
    assert f"at revision {add_country}" in page.get_data(as_text=True)
    assert health.status_code == 503
    assert "not up to date" in health.get_json()["error"]


def test_once_upgraded_the_same_app_serves_without_a_restart(empty_app):
    client = empty_app.test_client()
    assert client.get("/healthz").status_code == 503

    migrate_to(empty_app, "head")

    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/authors/").status_code == 200


def test_a_database_migrated_by_newer_code_stays_healthy(app):
    """During a deploy the old release still serves after the new one has migrated (its
    revisions expand before they contract), so a monitor must not pull it."""
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = 'f00dfacefeed'"))
        db.session.commit()

    response = app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_a_missing_table_on_a_current_schema_is_still_a_fault(app, caplog):
    """The 503 is for a schema behind the code; a table dropped by hand is a 500 to fix."""
    with app.app_context():
        # A word the shelf holds, or the search would know it finds no book without asking.
        db.session.execute(text("INSERT INTO search_words (word) VALUES ('ring')"))
        db.session.execute(text("DROP TABLE books"))
        db.session.commit()

    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise
    response = app.test_client().get("/search?q=ring")

    assert response.status_code == 500
    assert schema_lines(caplog) == []
    page = response.get_data(as_text=True)
    assert '<a href="/search?q=ring">Try again</a>' in page
