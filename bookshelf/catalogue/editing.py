"""The pages curators change the shelf with: adding, editing and deleting authors and books.

Each form answers 422 with its errors beside the fields when its input is refused, 409
when the row changed since the form was opened, and 404 when the row is gone; each change
is one transaction (bookshelf.catalogue.writes) and ends in a redirect (303) to a page
that says what was done.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bookshelf.catalogue import queries, writes
from bookshelf.catalogue.forms import AuthorForm, BookForm, EditAuthorForm, EditBookForm
from bookshelf.catalogue.models import Author, Book
from bookshelf.curators import curators_only
from bookshelf.database import reads_primary
from bookshelf.extensions import db

bp = Blueprint("editing", __name__)
curators_only(bp)

NO_SUCH_AUTHOR = "There is no author with that id; someone may have deleted them."
NO_SUCH_BOOK = "This author has no book with that id; someone may have deleted or moved it."
MALFORMED_FORM = (
    "This form did not say which version of the row it edits. "
    "Go back, reload the page and try again."
)


def see_other(endpoint: str, **values):
    """The answer to a change that worked: the browser GETs the page that shows it."""
    return redirect(url_for(endpoint, **values), code=303)


def author_page(author_id: int):
    return see_other("catalogue.author_page", author_id=author_id)


@bp.route("/authors/new", methods=["GET", "POST"])
@reads_primary
def new_author():
    form = AuthorForm()
    if form.validate_on_submit():
        author_id = writes.add_author(current_user.id, **form.fields())
        flash(f"Added “{form.name.data}”.", "success")
        return author_page(author_id)
    return author_form(form, None, 422 if form.is_submitted() else 200)


@bp.route("/authors/<row_id:author_id>/edit", methods=["GET", "POST"])
@reads_primary
def edit_author(author_id: int):
    author = db.session.get(Author, author_id) or abort(404, description=NO_SUCH_AUTHOR)
    if not is_post():
        return author_form(EditAuthorForm(obj=author), author)
    # No obj: a field missing from the POST is refused, never filled in from the row.
    form = EditAuthorForm()
    if not form.validate():
        refuse_a_malformed_version(form)
        return author_form(form, author, 422)
    if form.version.data != author.version:
        return author_conflict(form, author)
    try:
        changed = writes.edit_author(current_user.id, author, **form.fields())
    except writes.ChangedMeanwhile:
        author = db.session.get(Author, author_id) or abort(404, description=NO_SUCH_AUTHOR)
        return author_conflict(form, author)
    if changed:
        flash(f"Saved your changes to “{form.name.data}”.", "success")
    else:
        flash("Nothing to save: the author is as it was.", "info")
    return author_page(author_id)


def is_post() -> bool:
    return request.method == "POST"


def refuse_a_malformed_version(form) -> None:
    """A form without a readable version did not come from our page as served."""
    if form.version.errors:
        abort(400, description=MALFORMED_FORM)


def author_form(form, author: Author | None, status: int = 200, conflict: Author | None = None):
    return (
        render_template(
            "catalogue/author_form.html",
            form=form,
            author=author,
            conflict=conflict,
            countries=queries.country_counts(),
        ),
        status,
    )


def author_conflict(form: EditAuthorForm, author: Author):
    """Someone saved the author since this form was opened: the form comes back with the
    user's input and the other change's values beside it, at the new version, so that
    saving again is a choice made knowing both."""
    form.version.move_to(author.version)
    return author_form(form, author, 409, conflict=author)


@bp.route("/authors/<row_id:author_id>/delete", methods=["GET", "POST"])
@reads_primary
def delete_author(author_id: int):
    if not is_post():
        author = queries.author_or_404(author_id)
        return render_template("catalogue/delete_author.html", author=author)
    deleted = writes.delete_author(current_user.id, author_id)
    if deleted is None:
        abort(404, description=NO_SUCH_AUTHOR)
    flash(
        f"Deleted “{deleted.name}” and {writes.books_phrase(deleted.books)}. "
        "The history below can restore them.",
        "success",
    )
    return see_other("history.author_history", author_id=author_id)


@bp.route("/authors/<row_id:author_id>/books/new", methods=["GET", "POST"])
@reads_primary
def new_book(author_id: int):
    author = queries.author_or_404(author_id)
    form = BookForm()
    if form.validate_on_submit():
        if writes.add_book(current_user.id, author_id, form.title.data) is None:
            abort(404, description=NO_SUCH_AUTHOR)
        flash(f"Added “{form.title.data}” to {author.name}’s books.", "success")
        return author_page(author_id)
    return book_form(form, author, None, 422 if form.is_submitted() else 200)


@bp.route("/authors/<row_id:author_id>/books/<row_id:book_id>/edit", methods=["GET", "POST"])
@reads_primary
def edit_book(author_id: int, book_id: int):
    book = db.session.get(Book, book_id) or abort(404, description=NO_SUCH_BOOK)
    if not is_post():
        if book.author_id != author_id:
            # Moved since the link was made: the same form, at the book's new address.
            return redirect(url_for(".edit_book", author_id=book.author_id, book_id=book_id))
        form = EditBookForm(title=book.title, author_id=book.author.name, version=book.version)
        return book_form(form, book.author, book)
    form = EditBookForm()
    valid = form.validate()
    refuse_a_malformed_version(form)
    choice = writes.AuthorChoice()
    if not form.author_id.errors:
        choice = writes.choose_author(form.author_id.data, book.author)
        if choice.author is None:
            form.author_id.errors.append(choice.problem)
            valid = False
    if not valid:
        return book_form(form, book.author, book, 422, choice=choice)
    if form.version.data != book.version:
        return book_conflict(form, book)
    if book.author_id != author_id:
        abort(404, description=NO_SUCH_BOOK)
    # Read before the commit, which expires what the session holds.
    new_author_id, new_author_name = choice.author.id, choice.author.name
    moved = new_author_id != book.author_id
    try:
        changed = writes.edit_book(current_user.id, book, form.title.data, new_author_id)
    except writes.ChangedMeanwhile:
        book = db.session.get(Book, book_id) or abort(404, description=NO_SUCH_BOOK)
        return book_conflict(form, book)
    except writes.AuthorGone:
        book = db.session.get(Book, book_id) or abort(404, description=NO_SUCH_BOOK)
        form.author_id.errors.append(f"{new_author_name} was deleted meanwhile; choose another.")
        return book_form(form, book.author, book, 422)
    if moved:
        flash(f"Moved “{form.title.data}” to {new_author_name}.", "success")
    elif changed:
        flash(f"Saved your changes to “{form.title.data}”.", "success")
    else:
        flash("Nothing to save: the book is as it was.", "info")
    return author_page(new_author_id)


def book_form(form, author, book: Book | None, status: int = 200, **context):
    """The form for a new book (`book` None) or an existing one; `author` is the book's."""
    context = {"choice": writes.AuthorChoice(), "conflict": None} | context
    page = render_template(
        "catalogue/book_form.html", form=form, author=author, book=book, **context
    )
    return page, status


def book_conflict(form: EditBookForm, book: Book):
    form.version.move_to(book.version)
    return book_form(form, book.author, book, 409, conflict=book)


@bp.route("/authors/<row_id:author_id>/books/<row_id:book_id>/delete", methods=["GET", "POST"])
@reads_primary
def delete_book(author_id: int, book_id: int):
    if not is_post():
        book = db.session.get(Book, book_id)
        if book is None or book.author_id != author_id:
            abort(404, description=NO_SUCH_BOOK)
        return render_template("catalogue/delete_book.html", book=book, author=book.author)
    title = writes.delete_book(current_user.id, author_id, book_id)
    if title is None:
        abort(404, description=NO_SUCH_BOOK)
    flash(f"Deleted “{title}”. The author’s history can restore it.", "success")
    return author_page(author_id)
