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


def table_files(connection) -> dict[str, int]:
    """Each catalogue table's file on disk, which a rewrite replaces."""
    rows = connection.exec_driver_sql(
        "SELECT relname, relfilenode FROM pg_class WHERE relname IN ('authors', 'books')"
    )
    return {name: file for name, file in rows}


def test_row_versions_are_added_without_rewriting_the_tables(make_app, migrated, postgres_url):
    """A constant default is a catalogue change on PostgreSQL 11 and later: no rewrite, so no
    long lock on a big shelf. (Checked at 1,000,000 books too: bench/FINDINGS.md.)"""
    app = make_app(migrated(postgres_url, seed=False))
    runner = app.test_cli_runner()
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO authors (name) SELECT 'Author ' || n FROM generate_series(1, 100) AS n"
        )
        connection.exec_driver_sql(
            "INSERT INTO books (title, author_id) SELECT 'Book ' || n, 1 + mod(n, 100) "
            "FROM generate_series(1, 20000) AS n"
        )
    assert runner.invoke(args=["db", "downgrade", revision_id("add-users")]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        before = table_files(connection)

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    with app.app_context(), db.engine.connect() as connection:
        assert table_files(connection) == before
        versions = connection.exec_driver_sql("SELECT DISTINCT version FROM books").scalars()
        assert list(versions) == [1]


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
