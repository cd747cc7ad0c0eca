"""Every change made through the forms writes a row of history in the same transaction: who,
when, which row, and its fields before and after."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from bookshelf.extensions import db
from tests.form_pages import author_row, book_rows, fill_in, recorded_changes, shelf


def recorded(change) -> tuple:
    return (change.kind, change.action, change.row_id, change.author_id, change.other_author_id)


def test_adding_editing_and_deleting_an_author_are_recorded(app, curator, curator_client):
    started = datetime.now(UTC)
    fill_in(curator_client, "/authors/new", name="Ursula Le Guin", country="USA")
    [author] = shelf(app)[0]
    fill_in(curator_client, f"/authors/{author.id}/edit", name="Ursula K. Le Guin", bio="Earthsea.")
    fill_in(curator_client, f"/authors/{author.id}/delete")

    created, edited, deleted = recorded_changes(app)

    assert [recorded(change) for change in (created, edited, deleted)] == [
        ("author", action, author.id, author.id, None) for action in ("create", "update", "delete")
    ]
    assert {change.user_id for change in (created, edited, deleted)} == {curator}
    made_at = created.made_at if created.made_at.tzinfo else created.made_at.replace(tzinfo=UTC)
    assert started - timedelta(seconds=1) <= made_at <= datetime.now(UTC)
    assert created.before is None
    shown = ("name", "country", "bio", "book_count", "version")
    assert {name: created.after[name] for name in shown} == {
        "name": "Ursula Le Guin",
        "country": "USA",
        "bio": None,
        "book_count": 0,
        "version": 1,
    }
    assert edited.before == created.after
    assert edited.after == created.after | {
        "name": "Ursula K. Le Guin",
        "bio": "Earthsea.",
        "version": 2,
    }
    assert (deleted.before, deleted.after) == (edited.after, None)


def test_a_book_moved_to_another_author_is_in_both_histories(app, curator_client, add_author):
    from_id = add_author("Richard Bachman")
    to_id = add_author("Stephen King")
    fill_in(curator_client, f"/authors/{from_id}/books/new", title="Thinner")
    [book] = book_rows(app, from_id)
    fill_in(curator_client, f"/authors/{from_id}/books/{book.id}/edit", author_id="Stephen King")
    fill_in(curator_client, f"/authors/{to_id}/books/{book.id}/delete")

    created, moved, deleted = recorded_changes(app)

    assert recorded(created) == ("book", "create", book.id, from_id, None)
    assert recorded(moved) == ("book", "update", book.id, to_id, from_id)
    assert recorded(deleted) == ("book", "delete", book.id, to_id, None)
    assert created.after["title"] == "Thinner"
    assert (moved.before["author_id"], moved.after["author_id"]) == (from_id, to_id)
    assert deleted.before == moved.after


def test_deleting_an_author_records_each_of_their_books_at_the_same_moment(
    app, curator_client, add_author
):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    books = book_rows(app, author_id)

    fill_in(curator_client, f"/authors/{author_id}/delete")

    *book_deletes, author_delete = recorded_changes(app)
    assert sorted(recorded(change) for change in book_deletes) == [
        ("book", "delete", book.id, author_id, None) for book in books
    ]
    assert {change.before["title"] for change in book_deletes} == {book.title for book in books}
    assert recorded(author_delete) == ("author", "delete", author_id, author_id, None)
    assert author_delete.before["book_count"] == 2
    assert {change.made_at for change in recorded_changes(app)} == {author_delete.made_at}


def test_a_change_and_its_record_are_one_transaction(app, curator_client, add_author):
    """When the history's row cannot be written, the change is not made either."""
    author_id = add_author("Ursula Le Guin")
    before = shelf(app)

    def refuse_history(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO CHANGES"):
            raise RuntimeError("the history is unavailable")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse_history)
    app.testing = False  # an error page, as a user would get, rather than the exception
    try:
        response = fill_in(curator_client, f"/authors/{author_id}/edit", name="Changed")
    finally:
        event.remove(engine, "before_cursor_execute", refuse_history)

    assert response.status_code == 500
    assert shelf(app) == before
    assert author_row(app, author_id).name == "Ursula Le Guin"
    assert recorded_changes(app) == []
