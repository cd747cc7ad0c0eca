"""The schema's history: pytest-alembic's standard checks, the country revision, the direct URL."""

import hashlib

import flask_migrate
import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as tests here)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import create_engine, inspect

from bookshelf.extensions import db
from bookshelf.schema import book_count_triggers
from tests.schema.revisions import MIGRATIONS, oldest_first, revision_id


@pytest.fixture
def alembic_config():
    return {
        "file": str(MIGRATIONS / "alembic.ini"),
        "script_location": str(MIGRATIONS),
    }


@pytest.fixture
def alembic_engine(empty_app):
    """pytest-alembic migrates this engine; env.py finds the app through the pushed context."""
    with empty_app.app_context():
        yield db.engine


def author_columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("authors")}


def test_history_starts_with_the_guides_two_revisions():
    assert [revision.doc for revision in oldest_first()[:2]] == [
        "init-setup",
        "add-country-to-author",
    ]


def test_country_migration_keeps_the_other_columns(alembic_runner):
    alembic_runner.migrate_up_to(revision_id("init-setup"))
    assert "country" not in author_columns()
    alembic_runner.insert_into("authors", {"id": 1, "name": "Octavia E. Butler", "bio": "Kindred."})
    alembic_runner.insert_into("books", {"id": 1, "title": "Kindred", "author_id": 1})

    alembic_runner.migrate_up_one()
    assert "country" in author_columns()
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT authors.name, authors.bio, authors.country, books.title "
            "FROM authors JOIN books ON books.author_id = authors.id"
        ).all()
    assert rows == [("Octavia E. Butler", "Kindred.", None, "Kindred")]

    alembic_runner.migrate_down_one()
    assert "country" not in author_columns()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name, bio FROM authors").all() == [
            ("Octavia E. Butler", "Kindred.")
        ]


def test_flask_db_check_finds_no_difference_after_upgrade(empty_app, capfd):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    # Alembic prints its verdict straight to stdout, past click's runner.
    assert "No new upgrade operations detected" in capfd.readouterr().out


def test_flask_db_upgrade_goes_through_the_direct_url(make_app, postgres_url, tmp_path):
    """The app's URL (PgBouncer on Neon) is left alone; the tables appear behind the direct URL."""
    pooled = f"sqlite:///{tmp_path / 'stands-in-for-the-pooled-url.sqlite'}"
    app = make_app(pooled, direct_url=postgres_url)

    result = app.test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    direct = create_engine(app.config["MIGRATION_DATABASE_URI"])
    assert {"authors", "books", "alembic_version"} <= set(inspect(direct).get_table_names())
    direct.dispose()
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_book_count_migration_counts_the_books_already_there(alembic_runner):
    alembic_runner.migrate_up_to(revision_id("add-country-to-author"))
    alembic_runner.insert_into("authors", [{"id": 1, "name": "Many"}, {"id": 2, "name": "None"}])
    alembic_runner.insert_into(
        "books", [{"id": n, "title": f"Book {n}", "author_id": 1} for n in range(1, 4)]
    )

    alembic_runner.migrate_up_one()

    with db.engine.connect() as connection:
        counts = connection.exec_driver_sql("SELECT name, book_count FROM authors").all()
    assert sorted(counts) == [("Many", 3), ("None", 0)]


def test_migrating_in_process_leaves_the_apps_log_on(empty_app):
    """Alembic configures logging from alembic.ini; the app's logger, which exists
    already, must stay on (it was switched off, and the app's error lines vanished)."""
    logger = empty_app.logger
    with empty_app.app_context():
        flask_migrate.upgrade()

    assert not logger.disabled


def test_the_shipped_book_count_triggers_are_unchanged():
    """add-book-count-to-author runs the SQL in bookshelf.schema.book_count_triggers; a
    revision that has shipped never changes, so neither may that SQL (a new revision adds
    its own instead). The digest is of the SQL as the revision shipped it."""
    shipped = (
        book_count_triggers.POSTGRESQL_TRIGGERS
        + book_count_triggers.POSTGRESQL_DROP_TRIGGERS
        + "".join(book_count_triggers.SQLITE_TRIGGERS + book_count_triggers.SQLITE_DROP_TRIGGERS)
    )
    assert hashlib.sha256(shipped.encode()).hexdigest() == (
        "b76b7ba25ebb47829e12bcb6e5051d73cde584efe4d12542486704c4d29d8a4e"
    )
