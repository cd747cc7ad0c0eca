"""The HTML pages readers browse."""

from flask import Blueprint, abort, redirect, render_template, url_for

from bookshelf import queries

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return redirect(url_for("pages.authors_page"))


@bp.get("/authors/")
def authors_page():
    return render_template("authors.html", authors=queries.author_list())


@bp.get("/authors/<row_id:author_id>")
def author_page(author_id: int):
    author = queries.find_author(author_id)
    if author is None:
        abort(404, description="There is no author with that id.")
    return render_template("author.html", author=author, books=queries.books_by(author_id))


@bp.get("/books/<row_id:author_id>")
def books_of_author(author_id: int):
    """The URL the Neon guide used for an author's books; it now lives at the author's page."""
    return redirect(url_for("pages.author_page", author_id=author_id), code=301)
