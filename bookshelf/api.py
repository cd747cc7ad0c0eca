"""The JSON API, with the endpoints of the Neon guide.

Lists come a page at a time (`page`, `per_page`; 25 by default, at most 100, read as
forgivingly as the pages read them): still a JSON array, with the way to the other pages
in a Link header and the total in X-Total-Count. An array of every book of a prolific
author, or of every author of a big shelf, would grow without bound.
"""

from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, jsonify, request, send_from_directory, url_for
from flask_sqlalchemy.pagination import Pagination

from bookshelf import queries
from bookshelf.list_options import Paging

bp = Blueprint("api", __name__, url_prefix="/api")


def isoformat(moment: datetime) -> str:
    """An ISO 8601 timestamp; SQLite hands back naive UTC times, so they are marked UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def author_json(author) -> dict:
    return {
        "id": author.id,
        "name": author.name,
        "bio": author.bio,
        "country": author.country,
        "created_at": isoformat(author.created_at),
    }


def book_json(book) -> dict:
    return {
        "id": book.id,
        "title": book.title,
        "author_id": book.author_id,
        "created_at": isoformat(book.created_at),
    }


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI description of these endpoints (and /healthz)."""
    return send_from_directory(Path(__file__).parent, "openapi.json")


def paged_json(pagination: Pagination, serialize, endpoint: str, **args):
    """The page's items as a JSON array; Link and X-Total-Count tell of the rest."""
    response = jsonify([serialize(item) for item in pagination.items])
    pages = {"first": 1, "last": max(pagination.pages, 1)}
    if pagination.has_prev and pagination.page <= pagination.pages:
        pages["prev"] = pagination.prev_num
    if pagination.has_next:
        pages["next"] = pagination.next_num
    links = [
        (url_for(endpoint, **args, **Paging(page, pagination.per_page).link_args()), rel)
        for rel, page in pages.items()
    ]
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links)
    response.headers["X-Total-Count"] = str(pagination.total)
    return response


@bp.get("/authors/")
def authors():
    page = queries.authors_by_id_page(Paging.from_args(request.args))
    return paged_json(page, author_json, "api.authors")


@bp.get("/books/<row_id:author_id>")
def books(author_id: int):
    author = queries.author_or_404(author_id)
    page = queries.books_page(author, Paging.from_args(request.args))
    return paged_json(page, book_json, "api.books", author_id=author_id)
