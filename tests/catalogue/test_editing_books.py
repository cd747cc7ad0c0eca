"""Adding, editing, moving and deleting books through the forms, signed in as a curator."""

import re

import pytest

from tests.conftest import submit
from tests.form_pages import (
    author_row,
    book_rows,
    field_errors,
    fill_in,
    flash_messages,
    follow,
    form_fields,
    open_form,
    recorded_changes,
    shelf,
    text_of,
)


def only_book(app, author_id: int):
    [book] = book_rows(app, author_id)
    return book


def candidate_buttons(page: str) -> list[tuple[str, str]]:
    """(id, name) of each author a move offers to choose from."""
    return re.findall(
        r'<button type="submit" class="secondary" name="author_id" value="(\d+)">(.*?)</button>',
        page,
    )


# Adding


def test_adding_a_book_leads_back_to_the_author(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin")

    response = fill_in(
        curator_client, f"/authors/{author_id}/books/new", title=" The Dispossessed "
    )

    assert response.headers["Location"] == f"/authors/{author_id}"
    page = follow(curator_client, response)
    assert flash_messages(page) == ["Added “The Dispossessed” to Ursula K. Le Guin’s books."]
    assert "<li>The Dispossessed" in page
    assert only_book(app, author_id).title == "The Dispossessed"
    assert author_row(app, author_id).book_count == 1


@pytest.mark.parametrize(
    ("title", "error"),
    [
        ("", "Enter the book’s title."),
        ("t" * 201, "A title can have at most 200 characters; this has 201."),
        ("Two\nlines", "Remove the line breaks, tabs or control characters from this."),
        ("\x00", "Remove the line breaks, tabs or control characters from this."),
    ],
)
def test_an_invalid_book_is_a_422_and_writes_nothing(app, curator_client, add_author, title, error):
    author_id = add_author()
    before = shelf(app)

    response = fill_in(curator_client, f"/authors/{author_id}/books/new", title=title)

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "title") == [error]
    assert shelf(app) == before


def test_adding_a_book_to_an_unknown_author_is_a_404(curator_client):
    assert curator_client.get("/authors/999/books/new").status_code == 404


def test_adding_a_book_to_an_author_deleted_meanwhile_is_a_404(app, curator_client, add_author):
    author_id = add_author()
    fields = open_form(curator_client, f"/authors/{author_id}/books/new")
    fill_in(curator_client, f"/authors/{author_id}/delete")

    response = curator_client.post(
        f"/authors/{author_id}/books/new", data=fields | {"title": "Orphan"}
    )

    assert response.status_code == 404
    assert shelf(app) == ((), ())


# Editing


def test_editing_a_books_title(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossesed"])
    book = only_book(app, author_id)
    url = f"/authors/{author_id}/books/{book.id}/edit"
    assert open_form(curator_client, url)["author_id"] == "Ursula K. Le Guin"

    response = fill_in(curator_client, url, title="The Dispossessed")

    assert response.headers["Location"] == f"/authors/{author_id}"
    assert flash_messages(follow(curator_client, response)) == [
        "Saved your changes to “The Dispossessed”."
    ]
    assert (only_book(app, author_id).title, only_book(app, author_id).version) == (
        "The Dispossessed",
        2,
    )


def test_saving_an_unchanged_book_writes_nothing(app, curator_client, add_author):
    author_id = add_author(books=["Kindred"])
    book = only_book(app, author_id)
    before = shelf(app)
    response = fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/edit")
    assert flash_messages(follow(curator_client, response)) == [
        "Nothing to save: the book is as it was."
    ]
    assert shelf(app) == before


@pytest.mark.parametrize("by", ["id", "name"])
def test_moving_a_book_to_another_author_by_id_or_name(app, curator_client, add_author, by):
    from_id = add_author("Richard Bachman", books=["The Running Man", "Roadwork"])
    to_id = add_author("Stephen King", books=["Carrie"])
    book = book_rows(app, from_id)[0]

    response = fill_in(
        curator_client,
        f"/authors/{from_id}/books/{book.id}/edit",
        author_id=str(to_id) if by == "id" else " Stephen King ",
    )

    assert response.headers["Location"] == f"/authors/{to_id}"
    assert flash_messages(follow(curator_client, response)) == [
        "Moved “The Running Man” to Stephen King."
    ]
    assert sorted(row.title for row in book_rows(app, to_id)) == ["Carrie", "The Running Man"]
    assert author_row(app, from_id).book_count == 1
    assert author_row(app, to_id).book_count == 2


def test_a_name_several_authors_have_offers_them_to_choose_from(app, curator_client, add_author):
    from_id = add_author("Ann Author", books=["Common Ground"])
    first = add_author("John Smith", country="Wales")
    second = add_author("John Smith", country="Canada")
    book = only_book(app, from_id)
    url = f"/authors/{from_id}/books/{book.id}/edit"

    response = fill_in(curator_client, url, author_id="John Smith")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "author_id") == [
        "Several authors have that name: choose one below, or type their id."
    ]
    assert candidate_buttons(page) == [(str(first), "John Smith"), (str(second), "John Smith")]
    assert "Canada · 0 books · id" in text_of(page)
    assert book_rows(app, from_id) == [book]

    # Pressing one of them sends its id after the typed text, and moves the book.
    chosen = curator_client.post(
        url, data=form_fields(page, url) | {"author_id": ["John Smith", str(second)]}
    )

    assert chosen.headers["Location"] == f"/authors/{second}"
    assert only_book(app, second).title == "Common Ground"


def test_a_name_no_author_has_offers_the_authors_whose_names_contain_it(
    app, curator_client, add_author, add_authors
):
    from_id = add_author("Ann Author", books=["Common Ground"])
    add_authors(12)
    book = only_book(app, from_id)

    page = fill_in(
        curator_client, f"/authors/{from_id}/books/{book.id}/edit", author_id="author 0"
    ).get_data(as_text=True)

    assert field_errors(page, "author_id") == [
        "No author has exactly that name. Choose one of the authors below, or type a name or id."
    ]
    # A few, by name, and how many more there are: never the whole shelf.
    assert [name for _, name in candidate_buttons(page)] == [f"Author {n:03}" for n in range(1, 9)]
    assert "And 4 more: type more of the name to find them." in text_of(page)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("Nobody At All", "No author has exactly that name. Type an author’s name or id."),
        ("999999", "There is no author with the id 999999. Type an author’s name or id."),
        ("99999999999", "There is no author with the id 99999999999. Type an author’s name or id."),
        ("", "Enter the author’s name or id."),
        ("a" * 101, "An author’s name can have at most 100 characters; this has 101."),
    ],
)
def test_an_author_that_cannot_be_found_is_a_422(app, curator_client, add_author, typed, error):
    author_id = add_author("Ann Author", books=["Common Ground"])
    book = only_book(app, author_id)
    before = shelf(app)

    response = fill_in(
        curator_client, f"/authors/{author_id}/books/{book.id}/edit", author_id=typed
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, "author_id") == [error]
    assert candidate_buttons(page) == []
    assert shelf(app) == before


def test_the_books_own_author_is_kept_even_when_their_name_is_an_id(
    app, curator_client, add_author
):
    other = add_author("Somebody Else")
    author_id = add_author(str(other), books=["Numbers"])
    book = only_book(app, author_id)
    response = fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/edit", title="Digits")
    assert response.headers["Location"] == f"/authors/{author_id}"
    assert only_book(app, author_id).title == "Digits"


def test_both_a_bad_title_and_a_bad_author_are_reported(curator_client, app, add_author):
    author_id = add_author(books=["Kindred"])
    book = only_book(app, author_id)
    page = fill_in(
        curator_client, f"/authors/{author_id}/books/{book.id}/edit", title="", author_id="Nobody"
    ).get_data(as_text=True)
    assert field_errors(page, "title") == ["Enter the book’s title."]
    assert field_errors(page, "author_id")[0].startswith("No author has exactly that name.")


def test_two_edits_of_a_book_from_one_form_version_the_second_is_a_409(
    app, curator_client, add_author
):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossesed"])
    book = only_book(app, author_id)
    url = f"/authors/{author_id}/books/{book.id}/edit"
    first, second = open_form(curator_client, url), open_form(curator_client, url)
    curator_client.post(url, data=first | {"title": "The Dispossessed"})
    before = shelf(app)

    response = curator_client.post(url, data=second | {"title": "Dispossessed, The"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "<dt>Title</dt><dd>The Dispossessed</dd>" in page
    assert form_fields(page, url)["title"] == "Dispossessed, The"
    assert shelf(app) == before


def test_a_book_moved_meanwhile_is_a_conflict_and_its_old_form_address_leads_to_the_new(
    app, curator_client, add_author
):
    from_id = add_author("Richard Bachman", books=["Thinner"])
    to_id = add_author("Stephen King")
    book = only_book(app, from_id)
    url = f"/authors/{from_id}/books/{book.id}/edit"
    stale = open_form(curator_client, url)
    fill_in(curator_client, url, author_id=str(to_id))

    response = curator_client.post(url, data=stale | {"title": "Thinner (1984)"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "<dt>Author</dt><dd>Stephen King</dd>" in page
    assert only_book(app, to_id).title == "Thinner"
    moved = curator_client.get(url)
    assert moved.status_code == 302
    new_url = f"/authors/{to_id}/books/{book.id}/edit"
    assert moved.headers["Location"] == new_url
    # Saving again, from the conflict's form, saves at the book's new address.
    again = curator_client.post(new_url, data=form_fields(page, new_url))
    assert again.headers["Location"] == f"/authors/{from_id}"
    assert only_book(app, from_id).title == "Thinner (1984)"


def test_editing_a_book_deleted_meanwhile_is_a_404(app, curator_client, add_author):
    author_id = add_author(books=["Kindred"])
    book = only_book(app, author_id)
    url = f"/authors/{author_id}/books/{book.id}/edit"
    stale = open_form(curator_client, url)
    fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/delete")

    response = curator_client.post(url, data=stale | {"title": "Too late"})

    assert response.status_code == 404
    assert book_rows(app, author_id) == []


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_a_book_under_another_authors_address_is_a_404(app, curator_client, add_author, action):
    author_id = add_author("Owner", books=["Kindred"])
    other = add_author("Someone Else")
    book = only_book(app, author_id)
    assert curator_client.get(f"/authors/{other}/books/999/{action}").status_code == 404
    if action == "delete":
        assert curator_client.get(f"/authors/{other}/books/{book.id}/delete").status_code == 404
        response = submit(
            curator_client,
            f"/authors/{other}/books/{book.id}/delete",
            {},
            form_url=f"/authors/{author_id}/books/{book.id}/delete",
        )
        assert response.status_code == 404
        assert book_rows(app, author_id) == [book]


# Deleting


def test_deleting_a_book(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    book = book_rows(app, author_id)[0]
    url = f"/authors/{author_id}/books/{book.id}/delete"
    assert "Delete The Dispossessed?" in text_of(curator_client.get(url).get_data(as_text=True))

    response = fill_in(curator_client, url)

    assert response.headers["Location"] == f"/authors/{author_id}"
    page = follow(curator_client, response)
    assert flash_messages(page) == [
        "Deleted “The Dispossessed”. The author’s history can restore it."
    ]
    assert "The Dispossessed" not in text_of(page).replace("Deleted “The Dispossessed”", "")
    assert [row.title for row in book_rows(app, author_id)] == ["The Lathe of Heaven"]
    assert author_row(app, author_id).book_count == 1


def test_deleting_a_book_deleted_meanwhile_is_a_404(app, curator_client, add_author):
    author_id = add_author(books=["Kindred"])
    book = only_book(app, author_id)
    url = f"/authors/{author_id}/books/{book.id}/delete"
    fields = open_form(curator_client, url)
    assert curator_client.post(url, data=fields).status_code == 303
    assert curator_client.post(url, data=fields).status_code == 404
    assert len(recorded_changes(app)) == 1
