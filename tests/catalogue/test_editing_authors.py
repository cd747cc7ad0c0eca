"""Adding, editing and deleting authors through the forms, signed in as a curator."""

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bookshelf.catalogue.models import Author
from bookshelf.extensions import db
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

# Adding


def test_adding_an_author_leads_to_their_page(app, curator_client):
    response = fill_in(
        curator_client,
        "/authors/new",
        name="  Ursula K. Le Guin  ",
        country="United States",
        bio="Wrote of Earthsea\r\nand of Anarres.",
    )

    assert response.status_code == 303
    page = follow(curator_client, response)
    assert flash_messages(page) == ["Added “Ursula K. Le Guin”."]
    assert "<h1>Ursula K. Le Guin</h1>" in page
    [author] = shelf(app)[0]
    assert response.headers["Location"] == f"/authors/{author.id}"
    assert (author.name, author.country, author.bio) == (
        "Ursula K. Le Guin",
        "United States",
        "Wrote of Earthsea\nand of Anarres.",
    )


def test_an_author_needs_only_a_name(app, curator_client):
    response = fill_in(curator_client, "/authors/new", name="Anonymous", country=" ", bio="")
    assert response.status_code == 303
    [author] = shelf(app)[0]
    assert (author.country, author.bio) == (None, None)


def test_the_form_suggests_the_countries_on_the_shelf(curator_client, add_author):
    add_author("Chinua Achebe", country="Nigeria")
    add_author("Tove Jansson", country="Finland")
    page = curator_client.get("/authors/new").get_data(as_text=True)
    assert 'list="countries"' in page
    assert '<option value="Finland"></option><option value="Nigeria"></option>' in page


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"name": ""}, "name", "Enter the author’s name."),
        ({"name": "   "}, "name", "Enter the author’s name."),
        ({"name": "n" * 101}, "name", "A name can have at most 100 characters; this has 101."),
        (
            {"name": "Tab\there"},
            "name",
            "Remove the line breaks, tabs or control characters from this.",
        ),
        (
            {"name": "Nul\x00"},
            "name",
            "Remove the line breaks, tabs or control characters from this.",
        ),
        (
            {"name": "Bad \ufffd bytes"},
            "name",
            "This has characters that could not be read; type it again.",
        ),
        (
            {"country": "c" * 101},
            "country",
            "A country can have at most 100 characters; this has 101.",
        ),
        (
            {"country": "Bell\x07"},
            "country",
            "Remove the line breaks, tabs or control characters from this.",
        ),
        ({"bio": "b" * 5001}, "bio", "A bio can have at most 5,000 characters; this has 5001."),
        ({"bio": "Escape \x1b[31m"}, "bio", "Remove the control characters from this."),
    ],
)
def test_an_invalid_author_is_a_422_with_the_error_beside_the_field(
    app, curator_client, fields, field, error
):
    response = fill_in(curator_client, "/authors/new", **({"name": "Valid Name"} | fields))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_errors(page, field) == [error]
    described_by = f"{field}-errors" if field == "name" else f"{field}-hint {field}-errors"
    assert f'aria-describedby="{described_by}" aria-invalid="true"' in page
    assert "Nothing was saved" in page
    assert shelf(app) == ((), ())
    assert recorded_changes(app) == []


def test_an_invalid_form_keeps_what_was_typed(curator_client):
    page = fill_in(
        curator_client, "/authors/new", name="", country="Peru", bio="Line one\nline two"
    ).get_data(as_text=True)
    assert 'value="Peru"' in page
    # WTForms starts a textarea with a line break, which HTML ignores there.
    assert ">\r\nLine one\nline two</textarea>" in page


def test_a_bio_may_have_line_breaks_and_tabs(app, curator_client):
    fill_in(curator_client, "/authors/new", name="Poet", bio="First line\n\tindented")
    [author] = shelf(app)[0]
    assert author.bio == "First line\n\tindented"


def test_names_at_the_column_limit_after_trimming_are_accepted(app, curator_client):
    response = fill_in(curator_client, "/authors/new", name=f"  {'n' * 100}  ")
    assert response.status_code == 303
    assert shelf(app)[0][0].name == "n" * 100


# Editing


def test_editing_an_author_saves_the_fields_and_says_so(app, curator_client, add_author):
    author_id = add_author("Ursula Le Guin", country="USA")

    response = fill_in(
        curator_client, f"/authors/{author_id}/edit", name="Ursula K. Le Guin", bio="Earthsea."
    )

    page = follow(curator_client, response)
    assert response.headers["Location"] == f"/authors/{author_id}"
    assert flash_messages(page) == ["Saved your changes to “Ursula K. Le Guin”."]
    author = author_row(app, author_id)
    assert (author.name, author.country, author.bio, author.version) == (
        "Ursula K. Le Guin",
        "USA",
        "Earthsea.",
        2,
    )


def test_the_edit_form_starts_with_the_authors_values_and_version(curator_client, add_author):
    author_id = add_author("Octavia E. Butler", country="United States", bio="Kindred.")
    fields = open_form(curator_client, f"/authors/{author_id}/edit")
    assert {name: fields[name] for name in ("name", "country", "bio", "version")} == {
        "name": "Octavia E. Butler",
        "country": "United States",
        "bio": "Kindred.",
        "version": "1",
    }


def test_saving_an_unchanged_form_writes_nothing(app, curator_client, add_author):
    author_id = add_author("Octavia E. Butler", country="United States")
    before = shelf(app)

    response = fill_in(curator_client, f"/authors/{author_id}/edit")

    assert flash_messages(follow(curator_client, response)) == [
        "Nothing to save: the author is as it was."
    ]
    assert shelf(app) == before
    assert recorded_changes(app) == []


def test_an_invalid_edit_is_a_422_and_writes_nothing(app, curator_client, add_author):
    author_id = add_author("Octavia E. Butler")
    before = shelf(app)
    response = fill_in(curator_client, f"/authors/{author_id}/edit", name="")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "name") == ["Enter the author’s name."]
    assert shelf(app) == before


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1", "9" * 5000])
def test_an_edit_without_a_readable_version_is_a_400(app, curator_client, add_author, version):
    author_id = add_author()
    fields = open_form(curator_client, f"/authors/{author_id}/edit") | {"name": "Changed"}
    if version is None:
        del fields["version"]
    else:
        fields["version"] = version
    before = shelf(app)

    response = curator_client.post(f"/authors/{author_id}/edit", data=fields)

    assert response.status_code == 400
    assert "did not say which version" in response.get_data(as_text=True)
    assert shelf(app) == before


def test_two_edits_from_one_form_version_the_second_is_a_409_with_both_values(
    app, curator_client, add_author
):
    author_id = add_author("Ursula Le Guin", country="USA")
    url = f"/authors/{author_id}/edit"
    first, second = open_form(curator_client, url), open_form(curator_client, url)

    assert curator_client.post(url, data=first | {"name": "Ursula K. Le Guin"}).status_code == 303
    before = shelf(app)
    response = curator_client.post(url, data=second | {"name": "U. K. Le Guin", "country": "US"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this author while you were editing" in page
    # Theirs, beside the form, and ours, in it.
    assert "<dt>Name</dt><dd>Ursula K. Le Guin</dd>" in page
    assert form_fields(page, url) | {"csrf_token": ""} == second | {
        "csrf_token": "",
        "name": "U. K. Le Guin",
        "country": "US",
        "version": "2",
    }
    assert shelf(app) == before
    assert len(recorded_changes(app)) == 1


def test_after_a_conflict_saving_again_replaces_the_other_change(app, curator_client, add_author):
    author_id = add_author("Ursula Le Guin")
    url = f"/authors/{author_id}/edit"
    first, second = open_form(curator_client, url), open_form(curator_client, url)
    curator_client.post(url, data=first | {"name": "Ursula K. Le Guin"})
    conflict = curator_client.post(url, data=second | {"name": "U. K. Le Guin"})

    again = curator_client.post(url, data=form_fields(conflict.get_data(as_text=True), url))

    assert again.status_code == 303
    assert author_row(app, author_id).name == "U. K. Le Guin"


def test_editing_an_author_deleted_meanwhile_is_a_404(app, curator_client, add_author):
    author_id = add_author()
    url = f"/authors/{author_id}/edit"
    fields = open_form(curator_client, url)
    fill_in(curator_client, f"/authors/{author_id}/delete")

    response = curator_client.post(url, data=fields | {"name": "Too late"})

    assert response.status_code == 404
    assert "someone may have deleted them" in response.get_data(as_text=True)
    assert shelf(app) == ((), ())


@pytest.mark.parametrize("path", ["/authors/999/edit", "/authors/999/delete"])
def test_the_forms_of_an_unknown_author_are_a_404(curator_client, path):
    assert curator_client.get(path).status_code == 404


def test_stored_markup_is_shown_as_text_after_editing(curator_client, add_author):
    author_id = add_author("Plain")
    fill_in(
        curator_client,
        f"/authors/{author_id}/edit",
        name="<script>alert('name')</script>",
        country="<b>Nowhere</b>",
        bio='<img src=x onerror="alert(1)">',
    )

    for url in ("/authors/", f"/authors/{author_id}", f"/authors/{author_id}/edit"):
        page = curator_client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<b>Nowhere</b>" not in page
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    history = curator_client.get(f"/authors/{author_id}/history").get_data(as_text=True)
    assert "<script>alert" not in history
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in history


# Deleting


def test_the_delete_page_says_how_many_books_go_with_the_author(curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])
    page = text_of(curator_client.get(f"/authors/{author_id}/delete").get_data(as_text=True))
    assert "Delete Ursula K. Le Guin?" in page
    assert "Their 2 books will be deleted with them." in page
    assert "Delete the author and 2 books" in page


def test_deleting_an_author_deletes_their_books(app, curator_client, add_author):
    keep = add_author("Octavia E. Butler", books=["Kindred"])
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed", "The Lathe of Heaven"])

    response = fill_in(curator_client, f"/authors/{author_id}/delete")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/authors/{author_id}/history"
    assert flash_messages(follow(curator_client, response)) == [
        "Deleted “Ursula K. Le Guin” and 2 books. The history below can restore them."
    ]
    assert author_row(app, author_id) is None
    assert book_rows(app, author_id) == []
    assert author_row(app, keep).book_count == 1
    assert curator_client.get(f"/authors/{author_id}").status_code == 404
    page = curator_client.get("/authors/").get_data(as_text=True)
    assert "Ursula K. Le Guin" not in page
    assert '<td class="number">1</td>' in page


def test_deleting_an_author_without_books(app, curator_client, add_author):
    author_id = add_author("Nobody Yet")
    assert "They have no books." in text_of(
        curator_client.get(f"/authors/{author_id}/delete").get_data(as_text=True)
    )
    response = fill_in(curator_client, f"/authors/{author_id}/delete")
    assert flash_messages(follow(curator_client, response)) == [
        "Deleted “Nobody Yet” and no books. The history below can restore them."
    ]
    assert shelf(app) == ((), ())


def test_deleting_an_author_deleted_meanwhile_is_a_404(app, curator_client, add_author):
    author_id = add_author(books=["Kindred"])
    url = f"/authors/{author_id}/delete"
    fields = open_form(curator_client, url)
    assert curator_client.post(url, data=fields).status_code == 303

    response = curator_client.post(url, data=fields)

    assert response.status_code == 404
    assert len(recorded_changes(app)) == 2


def test_the_database_refuses_to_leave_a_deleted_authors_books_behind(
    make_app, migrated, database_url
):
    """The foreign key from books to authors has no ON DELETE action: deleting an author who
    still has books is refused, so the books are deleted first, in the same transaction.
    SQLite enforces it too: Bookshelf's connections ask it to."""
    app = make_app(migrated(database_url))
    refused = "fk_books_author_id_authors|FOREIGN KEY constraint failed"
    with app.app_context(), pytest.raises(IntegrityError, match=refused):
        db.session.execute(delete(Author).where(Author.name == "J.R.R. Tolkien"))
