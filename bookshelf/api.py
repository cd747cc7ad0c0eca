"""The JSON API, with the endpoints of the Neon guide."""

from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, send_from_directory

from bookshelf import queries

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


@bp.get("/authors/")
def authors():
    return [author_json(author) for author in queries.all_authors()]


@bp.get("/books/<row_id:author_id>")
def books(author_id: int):
    queries.author_or_404(author_id)
    return [book_json(book) for book in queries.books_by(author_id)]
