"""Every way the shelf is written keeps its search keys current, in the write's own
transaction: after each, a search on the stored keys finds what a reader expects, and no
key differs from the one its name or title gives (keys_out_of_date)."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookshelf.catalogue import writes
from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from tests.conftest import submit
from tests.form_pages import book_rows, fill_in, follow, recorded_changes
from tests.search.stored_keys import (
    authors_found,
    books_found,
    keys_out_of_date,
    vocabulary,
)

TOLKIEN_BOOKS = ["The Fellowship of the Ring", "The Return of the King", "The Two Towers"]


def author_id_named(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Author.id).where(Author.name == name))


def book_id_titled(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Book.id).where(Book.title == title))


def restore_last_delete(client, app, kind: str, author_id: int):
    [change] = [
        change
        for change in recorded_changes(app)
        if change.kind == kind and change.action == "delete"
    ][-1:]
    history = f"/authors/{author_id}/history"
    return submit(client, f"/changes/{change.id}/restore", {}, form_url=history)


def test_authors_and_books_added_through_the_forms_are_found_by_their_words(app, curator_client):
    follow(curator_client, fill_in(curator_client, "/authors/new", name="Émile Zola"))
    author_id = author_id_named(app, "Émile Zola")
    book_form = f"/authors/{author_id}/books/new"
    follow(curator_client, fill_in(curator_client, book_form, title="Thérèse Raquin"))

    assert authors_found(app, "EMILE-ZOLA") == ["Émile Zola"]
    assert books_found(app, "zola therese") == ["Thérèse Raquin"]
    assert {"emile", "zola", "therese", "raquin"} <= vocabulary(app)
    assert keys_out_of_date(app) == []


def test_a_retitled_book_is_found_by_its_new_title_and_not_its_old(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    book_id = book_id_titled(app, "The Dispossessed")

    edit = f"/authors/{author_id}/books/{book_id}/edit"
    follow(curator_client, fill_in(curator_client, edit, title="The Lathe of Heaven"))

    assert books_found(app, "le guin lathe") == ["The Lathe of Heaven"]
    assert books_found(app, "dispossessed") == []
    assert keys_out_of_date(app) == []


def test_renaming_an_author_gives_every_one_of_their_books_the_new_names_words(
    app, runner, curator_client, sql_statements
):
    assert runner.invoke(args=["seed"]).exit_code == 0
    tolkien = author_id_named(app, "J.R.R. Tolkien")
    sql_statements.clear()

    edit = f"/authors/{tolkien}/edit"
    follow(curator_client, fill_in(curator_client, edit, name="John Ronald Reuel Tolkien"))

    search_texts = [book.search_text for book in book_rows(app, tolkien)]
    assert len(search_texts) == 3
    assert all(text.endswith(" john ronald reuel tolkien ") for text in search_texts)
    assert books_found(app, "ronald reuel") == TOLKIEN_BOOKS
    assert books_found(app, "tolkien ring") == ["The Fellowship of the Ring"]
    assert books_found(app, "jrr") == []
    assert authors_found(app, "john tolkien") == ["John Ronald Reuel Tolkien"]
    # However many books the author has, one statement updates them.
    updates = [s for s in sql_statements if s.lstrip().upper().startswith("UPDATE BOOKS")]
    assert len(updates) == 1
    assert keys_out_of_date(app) == []


def test_editing_an_author_without_renaming_them_leaves_their_books_alone(
    app, curator_client, add_author, sql_statements
):
    author_id = add_author("Octavia E. Butler", books=["Kindred", "Dawn"])
    sql_statements.clear()

    edit = f"/authors/{author_id}/edit"
    follow(curator_client, fill_in(curator_client, edit, country="United States"))

    assert not [s for s in sql_statements if s.lstrip().upper().startswith("UPDATE BOOKS")]
    assert books_found(app, "butler dawn") == ["Dawn"]
    assert keys_out_of_date(app) == []


def test_a_moved_book_is_found_by_its_new_authors_name(app, curator_client, add_author):
    add_author("Octavia E. Butler", books=["Dawn"])
    le_guin = add_author("Ursula K. Le Guin", books=["Kindred", "The Dispossessed"])
    kindred = book_id_titled(app, "Kindred")

    edit = f"/authors/{le_guin}/books/{kindred}/edit"
    follow(curator_client, fill_in(curator_client, edit, author_id="Octavia E. Butler"))

    assert books_found(app, "octavia butler") == ["Dawn", "Kindred"]
    assert books_found(app, "le guin kindred") == []
    assert books_found(app, "le guin") == ["The Dispossessed"]
    assert keys_out_of_date(app) == []


def test_a_restored_author_and_their_books_are_found_again(app, curator_client, add_author):
    add_author("Octavia E. Butler", books=["Kindred"])
    le_guin = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    follow(curator_client, fill_in(curator_client, f"/authors/{le_guin}/delete"))
    assert books_found(app, "guin") == []

    follow(curator_client, restore_last_delete(curator_client, app, "author", le_guin))

    assert authors_found(app, "ursula") == ["Ursula K. Le Guin"]
    assert books_found(app, "ursula k le guin") == ["The Dispossessed", "The Lathe of Heaven"]
    assert keys_out_of_date(app) == []


def test_a_book_restored_after_its_author_was_renamed_is_found_by_the_new_name(
    app, curator_client, add_author
):
    le_guin = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    lathe = book_id_titled(app, "The Lathe of Heaven")
    follow(curator_client, fill_in(curator_client, f"/authors/{le_guin}/books/{lathe}/delete"))
    edit = f"/authors/{le_guin}/edit"
    follow(curator_client, fill_in(curator_client, edit, name="Ursula Kroeber Le Guin"))

    follow(curator_client, restore_last_delete(curator_client, app, "book", le_guin))

    assert books_found(app, "kroeber lathe") == ["The Lathe of Heaven"]
    assert keys_out_of_date(app) == []


def test_the_sample_shelf_is_found_by_what_readers_remember(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0

    assert books_found(app, "tolkien ring") == ["The Fellowship of the Ring"]
    assert books_found(app, "rowling chamber") == ["Harry Potter and the Chamber of Secrets"]
    assert books_found(app, "J. R. R. towers") == ["The Two Towers"]
    assert books_found(app, "philosopher's stone") == ["Harry Potter and the Philosopher's Stone"]
    assert authors_found(app, "george rr martin") == ["George R.R. Martin"]
    assert keys_out_of_date(app) == []


def test_a_synthetic_shelf_is_keyed_as_it_loads_and_when_appended_to(app, runner):
    assert runner.invoke(args=["seed", "--authors", "40", "--books", "400"]).exit_code == 0
    assert runner.invoke(args=["seed", "--append", "--authors", "10"]).exit_code == 0

    assert keys_out_of_date(app) == []
    with app.app_context():
        title, name = db.session.execute(
            select(Book.title, Author.name).join(Book.author).order_by(Book.id.desc()).limit(1)
        ).one()
    assert title in books_found(app, f"{name} {title}")


def test_replacing_the_shelf_replaces_its_vocabulary(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert "tolkien" in vocabulary(app)

    replace = ["seed", "--replace", "--authors", "5", "--books", "20"]
    assert runner.invoke(args=replace).exit_code == 0

    assert "tolkien" not in vocabulary(app)
    assert keys_out_of_date(app) == []


def test_writes_through_the_orm_anywhere_keep_the_keys(app, add_author, add_authors):
    """The test fixtures, and any other code that writes through the session, get their
    keys without asking for them."""
    add_authors(3, books_each=2)
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    with app.app_context():
        author = db.session.get(Author, author_id)
        author.name = "Ursula Kroeber Le Guin"
        author.books.append(Book(title="Always Coming Home"))
        db.session.commit()

    assert books_found(app, "kroeber") == ["Always Coming Home", "The Dispossessed"]
    assert books_found(app, "author 003") == ["Book 001", "Book 002"]
    assert keys_out_of_date(app) == []


def test_a_book_added_after_a_rename_committed_meanwhile_has_the_new_name(app, add_author, curator):
    """The session adding the book still holds the author as it read them, before the
    rename; the key comes from the row as it is when the book is written."""
    author_id = add_author("Ursula K. Le Guin")
    with app.app_context():
        as_read = db.session.get(Author, author_id)
        with Session(db.engine) as another_curators:
            another_curators.get(Author, author_id).name = "Ursula Le Guin"
            another_curators.commit()
        assert db.session.get(Author, author_id).name == as_read.name == "Ursula K. Le Guin"

        writes.add_book(curator, author_id, "The Telling")

    [book] = book_rows(app, author_id)
    assert book.search_text == " the telling ursula le guin "
    assert keys_out_of_date(app) == []


def test_words_are_remembered_once_however_often_they_are_written(app, add_author):
    add_author("Ursula K. Le Guin", books=["The Word for World Is Forest"])
    add_author("Ursula Parrott", books=["Ex-Wife"])

    words = sorted(vocabulary(app))

    assert words == sorted(set(words))
    assert re.findall(r"\bursula\b", " ".join(words)) == ["ursula"]
