"""Undoing a delete from the history: the row comes back with its old id and values (an
author with the books deleted with them), and the restore is recorded; what cannot be
restored says why."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from bookshelf.catalogue.models import Author
from bookshelf.extensions import db
from tests.conftest import csrf_token_on, submit
from tests.form_pages import (
    author_row,
    book_rows,
    fill_in,
    flash_messages,
    follow,
    open_form,
    recorded_changes,
    shelf,
    text_of,
)


def restore_buttons(page: str) -> list[str]:
    """The change ids the page's Restore buttons post to."""
    return re.findall(r'<form class="restore" method="post" action="/changes/(\d+)/restore">', page)


def last_change(app, **matching):
    return [
        change
        for change in recorded_changes(app)
        if all(getattr(change, name) == value for name, value in matching.items())
    ][-1]


def restore(client, change_id: int, history: str):
    return submit(client, f"/changes/{change_id}/restore", {}, form_url=history)


def without_versions(rows) -> list[dict]:
    """Rows by column, with the version left out: a restore moves it on."""
    return [
        {column: value for column, value in row._mapping.items() if column != "version"}
        for row in rows
    ]


def test_restoring_an_author_brings_back_their_books_with_old_ids_and_values(
    app, curator_client, add_author
):
    other = add_author("Octavia E. Butler", books=["Kindred"])
    author_id = add_author(
        "Ursula K. Le Guin",
        country="United States",
        bio="Earthsea & Anarres.",
        books=["The Dispossessed", "The Lathe of Heaven"],
    )
    before_authors, before_books = shelf(app)
    fill_in(curator_client, f"/authors/{author_id}/delete")
    add_author("Added Meanwhile", books=["New Book"])
    history = f"/authors/{author_id}/history"
    author_delete = last_change(app, kind="author", action="delete")
    assert restore_buttons(curator_client.get(history).get_data(as_text=True)) == [
        str(author_delete.id)
    ]

    response = restore(curator_client, author_delete.id, history)

    assert response.headers["Location"] == f"/authors/{author_id}"
    page = follow(curator_client, response)
    assert flash_messages(page) == ["Restored “Ursula K. Le Guin” with 2 books."]
    assert "The Dispossessed" in page and "The Lathe of Heaven" in page
    authors, books = shelf(app)
    restored = [row for row in authors if row.id == author_id]
    assert without_versions(restored) == without_versions(
        [row for row in before_authors if row.id == author_id]
    )
    assert restored[0].version == 2
    assert without_versions(book_rows(app, author_id)) == without_versions(
        [row for row in before_books if row.author_id == author_id]
    )
    assert author_row(app, author_id).book_count == 2
    assert author_row(app, other).book_count == 1
    # Recorded as changes themselves: the author's restore and each book's.
    restores = [change for change in recorded_changes(app) if change.action == "restore"]
    assert sorted((change.kind, change.row_id) for change in restores) == sorted(
        [("author", author_id)] + [("book", book.id) for book in book_rows(app, author_id)]
    )


def test_the_restored_author_keeps_their_place_among_the_newest(app, curator_client, add_author):
    first = add_author("Aardvark Author")
    add_author("Later Author")
    with app.app_context():
        db.session.execute(
            update(Author)
            .where(Author.id == first)
            .values(created_at=datetime(2020, 1, 1, tzinfo=UTC))
        )
        db.session.commit()
    fill_in(curator_client, f"/authors/{first}/delete")
    restore(curator_client, last_change(app, action="delete").id, f"/authors/{first}/history")

    page = curator_client.get("/authors/?sort=newest").get_data(as_text=True)
    listed = text_of(page).split("Authors, page 1", 1)[1]
    assert listed.index("Later Author") < listed.index("Aardvark Author")


def test_a_form_opened_before_a_delete_is_stale_after_the_restore(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin")
    url = f"/authors/{author_id}/edit"
    stale = open_form(curator_client, url)
    fill_in(curator_client, f"/authors/{author_id}/delete")
    restore(curator_client, last_change(app).id, f"/authors/{author_id}/history")

    assert curator_client.post(url, data=stale | {"name": "Stale"}).status_code == 409


def test_restoring_a_book(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    book = book_rows(app, author_id)[0]
    fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/delete")
    change = last_change(app, kind="book", action="delete")

    response = restore(curator_client, change.id, f"/authors/{author_id}/history")

    assert flash_messages(follow(curator_client, response)) == ["Restored “The Dispossessed”."]
    restored = [row for row in book_rows(app, author_id) if row.id == book.id]
    assert without_versions(restored) == without_versions([book])
    assert author_row(app, author_id).book_count == 2
    assert last_change(app).action == "restore"


def test_restoring_twice_says_it_was_already_restored(app, curator, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    fill_in(curator_client, f"/authors/{author_id}/delete")
    history = f"/authors/{author_id}/history"
    change = last_change(app, kind="author", action="delete")
    stale_page = curator_client.get(history).get_data(as_text=True)
    assert restore(curator_client, change.id, history).status_code == 303
    before, changes = shelf(app), recorded_changes(app)

    # The same button, from the page as it was before the first restore.
    response = curator_client.post(
        f"/changes/{change.id}/restore", data={"csrf_token": csrf_token_on(stale_page)}
    )

    assert response.status_code == 409
    page = text_of(response.get_data(as_text=True))
    assert "“Ursula K. Le Guin” was already restored, on" in page
    assert "by curator@bookshelf.example." in page
    assert (shelf(app), recorded_changes(app)) == (before, changes)
    # The history now marks the delete as undone rather than offering it again.
    history_page = curator_client.get(history).get_data(as_text=True)
    assert restore_buttons(history_page) == []
    assert "Restored since." in history_page


def test_restoring_a_book_whose_author_is_gone_says_to_restore_the_author_first(
    app, curator_client, add_author
):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    book = book_rows(app, author_id)[0]
    fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/delete")
    alone = last_change(app, kind="book", action="delete")
    fill_in(curator_client, f"/authors/{author_id}/delete")
    with_author = last_change(app, kind="book", action="delete")
    history = f"/authors/{author_id}/history"
    before, changes = shelf(app), recorded_changes(app)

    deleted_before = restore(curator_client, alone.id, history)
    deleted_with = restore(curator_client, with_author.id, history)

    assert deleted_before.status_code == deleted_with.status_code == 409
    assert (
        "The author of “The Dispossessed”, Ursula K. Le Guin, has been deleted since: restore "
        "Ursula K. Le Guin first, then this book."
    ) in text_of(deleted_before.get_data(as_text=True))
    assert (
        "“The Lathe of Heaven” was deleted with its author, Ursula K. Le Guin: restoring "
        "Ursula K. Le Guin brings it back with their other books."
    ) in text_of(deleted_with.get_data(as_text=True))
    assert (shelf(app), recorded_changes(app)) == (before, changes)
    # Only the author's delete offers a Restore button.
    author_delete = last_change(app, kind="author")
    page = curator_client.get(history).get_data(as_text=True)
    assert restore_buttons(page) == [str(author_delete.id)]

    # Restoring the author brings back the book deleted with them; then the other can follow.
    restore(curator_client, author_delete.id, history)
    assert [row.title for row in book_rows(app, author_id)] == ["The Lathe of Heaven"]
    restore(curator_client, alone.id, history)
    assert sorted(row.title for row in book_rows(app, author_id)) == [
        "The Dispossessed",
        "The Lathe of Heaven",
    ]


def test_a_delete_restored_and_deleted_again_restores_from_the_latest(
    app, curator_client, add_author
):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    history = f"/authors/{author_id}/history"
    fill_in(curator_client, f"/authors/{author_id}/delete")
    first_delete = last_change(app, kind="author", action="delete")
    restore(curator_client, first_delete.id, history)
    fill_in(curator_client, f"/authors/{author_id}/edit", name="Ursula Le Guin")
    fill_in(curator_client, f"/authors/{author_id}/delete")
    second_delete = last_change(app, kind="author", action="delete")

    assert restore(curator_client, first_delete.id, history).status_code == 409
    assert restore(curator_client, second_delete.id, history).status_code == 303
    assert author_row(app, author_id).name == "Ursula Le Guin"
    assert [row.title for row in book_rows(app, author_id)] == ["The Dispossessed"]


@pytest.mark.parametrize("action", ["create", "update"])
def test_only_a_delete_can_be_restored(app, curator_client, add_author, action):
    fill_in(curator_client, "/authors/new", name="Ursula Le Guin")
    [author] = shelf(app)[0]
    fill_in(curator_client, f"/authors/{author.id}/edit", name="Ursula K. Le Guin")
    change = last_change(app, action=action)
    before = shelf(app)

    response = restore(curator_client, change.id, f"/authors/{author.id}/history")

    assert response.status_code == 409
    assert "Only a delete can be undone." in response.get_data(as_text=True)
    assert shelf(app) == before


def test_restoring_an_unknown_change_is_a_404(curator_client):
    assert restore(curator_client, 999, "/changes").status_code == 404


def test_a_new_author_never_takes_a_deleted_authors_id(app, curator_client, add_author):
    add_author("First")
    last = add_author("Last")
    fill_in(curator_client, f"/authors/{last}/delete")
    response = fill_in(curator_client, "/authors/new", name="Newcomer")
    assert response.headers["Location"] != f"/authors/{last}"
    restore(curator_client, last_change(app, action="delete").id, f"/authors/{last}/history")
    assert author_row(app, last).name == "Last"
