"""The HTML pages readers browse."""

from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, url_for

from bookshelf.caching import shared
from bookshelf.catalogue import queries
from bookshelf.catalogue.list_options import (
    AuthorListOptions,
    Paging,
    author_page_links,
    clean_text,
)

bp = Blueprint("catalogue", __name__)


@bp.get("/")
def home():
    return redirect(url_for("catalogue.authors_page"))


@bp.get("/authors/")
@shared
def authors_page():
    if clean_text(request.args.get("q")):
        # The list's search box of earlier releases: links to it find the search now.
        return redirect(url_for("search.search_page", q=request.args["q"]), code=301)
    options = AuthorListOptions.from_args(request.args)
    return render_template(
        "catalogue/authors.html",
        authors=queries.authors_page(options),
        countries=queries.country_counts(),
        options=options,
        # Author links carry where the reader is, so the author's page can link back here.
        back=urlencode(options.link_args()),
    )


@bp.get("/authors/<row_id:author_id>")
@shared
def author_page(author_id: int):
    author = queries.author_or_404(author_id)
    paging = Paging.from_args(request.args)
    return render_template(
        "catalogue/author.html",
        author=author,
        books=queries.books_page(author, paging),
        **author_page_links(author_id, paging, request.args.get("back", "")),
    )


@bp.get("/books/<row_id:author_id>")
def books_of_author(author_id: int):
    """The URL the Neon guide used for an author's books; it now lives at the author's page."""
    return redirect(url_for("catalogue.author_page", author_id=author_id), code=301)
