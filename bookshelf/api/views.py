"""The JSON API's endpoints. Lists come a page at a time (`page`, `per_page`, read as
forgivingly as the pages read them): a prolific author's books, or a big shelf's
authors, would otherwise grow without bound."""

from pathlib import Path

from flask import Blueprint, jsonify, request, send_from_directory

from bookshelf.api.json_bodies import author_json, book_json, paged_json, search_json
from bookshelf.caching import shared
from bookshelf.catalogue import queries
from bookshelf.catalogue.list_options import Paging, clean_text
from bookshelf.search.results import search

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI description of these endpoints (and /healthz)."""
    return send_from_directory(Path(__file__).parent, "openapi.json")


@bp.get("/authors/")
@shared(per_cookie=False)
def authors():
    page = queries.authors_by_id_page(Paging.from_args(request.args))
    return paged_json(page, author_json, "api.authors")


@bp.get("/books/<row_id:author_id>")
@shared(per_cookie=False)
def books(author_id: int):
    author = queries.author_or_404(author_id)
    page = queries.books_page(author, Paging.from_args(request.args))
    return paged_json(page, book_json, "api.books", author_id=author_id)


@bp.get("/search")
@shared(per_cookie=False)
def search_results():
    """What /search shows, in the same order: `corrected` is the near spelling searched
    when the query as typed found nothing (`as_typed=1` never tries one)."""
    query = clean_text(request.args.get("q"))
    as_typed = request.args.get("as_typed") == "1"
    return jsonify(search_json(search(query, Paging.from_args(request.args), as_typed)))
