"""authors.book_count follows every change to books, however it is made."""

import random
import threading

import psycopg2
import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import delete, func, insert, select, text, update

from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db


def book_counts(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Author.name, Author.book_count)).all())


def test_adding_books_counts_them(app, add_author):
    add_author("Ann Leckie", books=["Ancillary Justice", "Ancillary Sword"])
    add_author("Nobody")
    assert book_counts(app) == {"Ann Leckie": 2, "Nobody": 0}


def test_a_bulk_insert_moving_and_deleting_keep_the_counts(app, add_author):
    leckie = add_author("Ann Leckie")
    jemisin = add_author("N.K. Jemisin")
    with app.app_context():
        db.session.execute(
            insert(Book),
            [{"title": f"Book {n}", "author_id": leckie if n % 3 else jemisin} for n in range(30)],
        )
        db.session.commit()
        assert book_counts(app) == {"Ann Leckie": 20, "N.K. Jemisin": 10}

        db.session.execute(
            update(Book).where(Book.title.in_(["Book 1", "Book 2"])).values(author_id=jemisin)
        )
        db.session.commit()
        assert book_counts(app) == {"Ann Leckie": 18, "N.K. Jemisin": 12}

        db.session.execute(update(Book).values(title=Book.title + " (revised)"))
        db.session.commit()
        assert book_counts(app) == {"Ann Leckie": 18, "N.K. Jemisin": 12}

        db.session.execute(delete(Book).where(Book.author_id == leckie))
        db.session.commit()
        assert book_counts(app) == {"Ann Leckie": 0, "N.K. Jemisin": 12}


def test_a_rolled_back_insert_leaves_the_count(app, add_author):
    author_id = add_author("Becky Chambers", books=["A Closed and Common Orbit"])
    with app.app_context():
        db.session.add(Book(title="Never Published", author_id=author_id))
        db.session.flush()
        db.session.rollback()
    assert book_counts(app) == {"Becky Chambers": 1}


def test_sqlite_triggers_come_back_after_a_revision_rebuilds_books(make_app, tmp_path):
    """Batch mode rebuilds a SQLite table for most ALTERs, and the rebuilt table has no
    triggers; every migration run puts them back."""
    app = make_app(f"sqlite:///{tmp_path / 'shelf.sqlite'}")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context(), db.engine.begin() as connection:
        operations = Operations(MigrationContext.configure(connection))
        with operations.batch_alter_table("books", recreate="always"):
            pass
        assert not books_triggers(connection)

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    with app.app_context(), db.engine.connect() as connection:
        # The shelf's version is kept by triggers on books too (add-shelf-version).
        assert {f"books_{change}_shelf_version" for change in ("insert", "update", "delete")} < (
            books_triggers(connection)
        )

    with app.app_context():
        author = Author(name="Ann Leckie", books=[Book(title="Provenance")])
        db.session.add(author)
        db.session.commit()
    assert book_counts(app) == {"Ann Leckie": 1}


def books_triggers(connection) -> set[str]:
    statement = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'books'"
    return {name for (name,) in connection.exec_driver_sql(statement)}


@pytest.fixture
def postgres_app(make_app, migrated, postgres_url):
    """For what only PostgreSQL has: TRUNCATE, concurrent writers."""
    return make_app(migrated(postgres_url, seed=False))


def add_authors_to(app, names: list[str], books: list[str] = ()) -> list[int]:
    with app.app_context():
        authors = [Author(name=name, books=[Book(title=t) for t in books]) for name in names]
        db.session.add_all(authors)
        db.session.commit()
        return [author.id for author in authors]


def test_truncating_books_resets_the_counts(postgres_app):
    app = postgres_app
    add_authors_to(app, ["Ann Leckie"], ["Ancillary Justice"])
    with app.app_context():
        db.session.execute(text("TRUNCATE books"))
        db.session.commit()
    assert book_counts(app) == {"Ann Leckie": 0}


def test_concurrent_writers_to_the_same_authors_do_not_deadlock(postgres_app, postgres_url):
    """Each transaction adds books for several authors, in a different order each time;
    the triggers lock the authors in id order, so writers queue instead of deadlocking."""
    app = postgres_app
    ids = add_authors_to(app, [f"Author {n}" for n in range(6)])
    errors = []

    def write(worker: int) -> None:
        connection = psycopg2.connect(postgres_url)
        order = random.Random(worker)
        try:
            for _ in range(25):
                chosen = order.sample(ids, 4)
                with connection, connection.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO books (author_id, title) "
                        "SELECT unnest(%s::int[]), 'Concurrent'",
                        (chosen,),
                    )
                    cursor.execute("SELECT pg_sleep(0.001)")
                    cursor.execute(
                        "DELETE FROM books WHERE id IN (SELECT id FROM books "
                        "WHERE author_id = %s LIMIT 1)",
                        (chosen[-1],),
                    )
        except psycopg2.Error as error:
            errors.append(error.pgcode)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with app.app_context():
        stored = dict(
            db.session.execute(select(Book.author_id, func.count()).group_by(Book.author_id)).all()
        )
    assert book_counts(app) == {f"Author {n}": stored.get(ids[n], 0) for n in range(6)}
