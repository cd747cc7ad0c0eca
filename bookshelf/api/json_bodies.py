"""The JSON an API answer carries: rows as objects, and a page of them as an array with
Link and X-Total-Count headers. Free of SQLAlchemy, so the benchmark's ceiling answers
with the same code."""

from datetime import UTC, datetime

from flask import jsonify, url_for

from bookshelf.catalogue.list_options import Paging, has_previous_page


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


def search_json(results) -> dict:
    """A search's page of results (bookshelf.search.results); a total is null past the
    count's bound."""
    return {
        "query": results.query,
        "corrected": results.corrected,
        "authors": [
            {"id": a.id, "name": a.name, "country": a.country, "book_count": a.book_count}
            for a in results.authors.rows
        ],
        "books": [
            {"id": b.id, "title": b.title, "author_id": b.author_id, "author_name": b.author_name}
            for b in results.books.rows
        ],
        "authors_total": results.authors.total,
        "books_total": results.books.total,
    }


def paged_json(pagination, serialize, endpoint: str, **args):
    """The page's items as a JSON array; Link and X-Total-Count tell of the rest."""
    response = jsonify([serialize(item) for item in pagination.items])
    pages = {"first": 1, "last": max(pagination.pages, 1)}
    if has_previous_page(pagination):
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
