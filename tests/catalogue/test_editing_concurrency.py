"""Two curators writing the same author's rows at once, on PostgreSQL: the second waits for
the first, and neither is ended as a deadlock.

One side is SQL on a connection of the test's own, held open mid-transaction; the other is
Bookshelf's write, in a thread, which must wait for it before touching a row.
"""

import threading
import time

import psycopg2
import pytest

from bookshelf.accounts.models import User
from bookshelf.catalogue import writes
from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from tests.form_pages import author_row, book_rows, recorded_changes

# How long a write may take to start waiting on the held lock: far more than it needs.
WAIT_LIMIT_SECONDS = 30


@pytest.fixture
def shelf_app(make_app, migrated, postgres_url):
    """Bookshelf on PostgreSQL, with a curator."""
    app = make_app(migrated(postgres_url, seed=False))
    with app.app_context():
        user = User(email="curator@bookshelf.example", password_hash="-", session_token="-")
        db.session.add(user)
        db.session.commit()
        app.config["TEST_USER_ID"] = user.id
    return app


def in_a_thread(app, write, *args):
    """Run `write(user_id, *args)` in an app context of its own; gives (thread, outcome)."""
    outcome = {}

    def run():
        with app.app_context():
            try:
                outcome["result"] = write(app.config["TEST_USER_ID"], *args)
            except Exception as error:  # reported by the test
                outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_blocked(connection) -> None:
    """Until Bookshelf's connection waits on a lock the test's connection holds."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = 'bookshelf' AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("Bookshelf's write never waited on the held lock")


def add_shelf(app, postgres_url) -> tuple[int, int, int]:
    with psycopg2.connect(postgres_url) as connection, connection.cursor() as cursor:
        cursor.execute("INSERT INTO authors (name) VALUES ('Ursula K. Le Guin') RETURNING id")
        author_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO books (title, author_id) VALUES ('The Dispossessed', %s), "
            "('The Lathe of Heaven', %s) RETURNING id",
            (author_id, author_id),
        )
        first, second = (row[0] for row in cursor.fetchall())
    connection.close()
    return author_id, first, second


def test_a_book_deleted_while_its_author_is_deleted_waits_instead_of_deadlocking(
    shelf_app, postgres_url
):
    author_id, book_id, _ = add_shelf(shelf_app, postgres_url)
    deleting_author = psycopg2.connect(postgres_url)
    with deleting_author.cursor() as cursor:
        # What deleting an author does first: lock them.
        cursor.execute("SELECT id FROM authors WHERE id = %s FOR UPDATE", (author_id,))

    thread, outcome = in_a_thread(shelf_app, writes.delete_book, author_id, book_id)
    wait_until_blocked(deleting_author)
    with deleting_author.cursor() as cursor:
        cursor.execute("DELETE FROM books WHERE author_id = %s", (author_id,))
        cursor.execute("DELETE FROM authors WHERE id = %s", (author_id,))
    deleting_author.commit()
    deleting_author.close()
    thread.join()

    # The book went with its author; the late delete found nothing left to delete.
    assert outcome == {"result": None}
    assert author_row(shelf_app, author_id) is None
    assert recorded_changes(shelf_app) == []


def test_an_author_deleted_while_a_book_of_theirs_moves_away_keeps_the_moved_book(
    shelf_app, postgres_url
):
    author_id, moving, staying = add_shelf(shelf_app, postgres_url)
    with psycopg2.connect(postgres_url) as connection, connection.cursor() as cursor:
        cursor.execute("INSERT INTO authors (name) VALUES ('Someone Else') RETURNING id")
        other = cursor.fetchone()[0]
    connection.close()
    mover = psycopg2.connect(postgres_url)
    with mover.cursor() as cursor:
        # What a move does: lock both authors in id order, then give the book away.
        cursor.execute(
            "SELECT id FROM authors WHERE id IN (%s, %s) ORDER BY id FOR NO KEY UPDATE",
            (author_id, other),
        )
        cursor.execute(
            "UPDATE books SET author_id = %s, version = version + 1 WHERE id = %s",
            (other, moving),
        )

    thread, outcome = in_a_thread(shelf_app, writes.delete_author, author_id)
    wait_until_blocked(mover)
    mover.commit()
    mover.close()
    thread.join()

    assert outcome == {"result": writes.DeletedAuthor("Ursula K. Le Guin", 1)}
    assert [book.id for book in book_rows(shelf_app, other)] == [moving]
    assert author_row(shelf_app, other).book_count == 1
    recorded = [(change.kind, change.row_id) for change in recorded_changes(shelf_app)]
    assert recorded == [("book", staying), ("author", author_id)]


def test_an_author_deleted_while_a_book_is_added_to_them_takes_the_new_book_too(
    shelf_app, postgres_url
):
    author_id, first, second = add_shelf(shelf_app, postgres_url)
    adder = psycopg2.connect(postgres_url)
    with adder.cursor() as cursor:
        cursor.execute(
            "INSERT INTO books (title, author_id) VALUES ('The Word for World Is Forest', %s) "
            "RETURNING id",
            (author_id,),
        )
        added = cursor.fetchone()[0]

    thread, outcome = in_a_thread(shelf_app, writes.delete_author, author_id)
    wait_until_blocked(adder)
    adder.commit()
    adder.close()
    thread.join()

    assert outcome == {"result": writes.DeletedAuthor("Ursula K. Le Guin", 3)}
    recorded = [(change.kind, change.row_id) for change in recorded_changes(shelf_app)]
    assert sorted(recorded) == [("author", author_id)] + [
        ("book", book_id) for book_id in sorted((first, second, added))
    ]


def test_a_book_added_while_its_author_is_deleted_finds_them_gone(shelf_app, postgres_url):
    author_id, _, _ = add_shelf(shelf_app, postgres_url)
    deleting_author = psycopg2.connect(postgres_url)
    with deleting_author.cursor() as cursor:
        cursor.execute("SELECT id FROM authors WHERE id = %s FOR UPDATE", (author_id,))

    thread, outcome = in_a_thread(shelf_app, writes.add_book, author_id, "Too Late")
    wait_until_blocked(deleting_author)
    with deleting_author.cursor() as cursor:
        cursor.execute("DELETE FROM books WHERE author_id = %s", (author_id,))
        cursor.execute("DELETE FROM authors WHERE id = %s", (author_id,))
    deleting_author.commit()
    deleting_author.close()
    thread.join()

    assert outcome == {"result": None}
    assert recorded_changes(shelf_app) == []


def rename(user_id: int, author_id: int, name: str) -> bool:
    """What saving the edit form does once the form's version matched the row as read."""
    return writes.edit_author(user_id, db.session.get(Author, author_id), name=name)


def test_an_edit_saved_between_reading_a_row_and_updating_it_is_not_overwritten(
    shelf_app, postgres_url
):
    author_id, _, _ = add_shelf(shelf_app, postgres_url)
    other_curator = psycopg2.connect(postgres_url)
    with other_curator.cursor() as cursor:
        cursor.execute(
            "UPDATE authors SET name = 'Ursula Kroeber Le Guin', version = version + 1 "
            "WHERE id = %s",
            (author_id,),
        )

    thread, outcome = in_a_thread(shelf_app, rename, author_id, "U. K. Le Guin")
    wait_until_blocked(other_curator)
    other_curator.commit()
    other_curator.close()
    thread.join()

    assert isinstance(outcome["error"], writes.ChangedMeanwhile)
    assert author_row(shelf_app, author_id).name == "Ursula Kroeber Le Guin"
    assert recorded_changes(shelf_app) == []


def test_a_book_moved_to_an_author_deleted_meanwhile_is_refused(shelf_app, postgres_url):
    """The form chose the author; another curator deleted them before the save."""
    with shelf_app.app_context():
        user_id = shelf_app.config["TEST_USER_ID"]
        one = writes.add_author(user_id, "One", None, None)
        two = writes.add_author(user_id, "Two", None, None)
        book_id = writes.add_book(user_id, one, "The Book")
        book = db.session.get(Book, book_id)
        chosen = writes.choose_author("Two", book.author).author
        other = psycopg2.connect(postgres_url)
        with other, other.cursor() as cursor:
            cursor.execute("DELETE FROM authors WHERE id = %s", (two,))
        other.close()

        with pytest.raises(writes.AuthorGone):
            writes.edit_book(user_id, book, "The Book", chosen.id)

        assert db.session.get(Book, book_id).author_id == one
