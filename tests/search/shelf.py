"""The shelf the relevance cases run over: the sample shelf `flask seed` loads, and the
authors of tests/search_shelf.toml, stored through the app's models so that the search
keys are written the way every other write writes them."""

import tomllib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookshelf.catalogue.models import Author, Book
from bookshelf.seeding.sample_shelf import SAMPLE_SHELF, seed_sample_shelf

ADDED_AUTHORS = Path(__file__).parent.parent / "search_shelf.toml"


def added_authors() -> list[dict]:
    with ADDED_AUTHORS.open("rb") as file:
        return tomllib.load(file)["authors"]


def shelf_books() -> dict[str, list[str]]:
    """Every author's name on the shelf, with their titles."""
    books = {entry["name"]: list(entry["books"]) for entry in SAMPLE_SHELF}
    for entry in added_authors():
        books.setdefault(entry["name"], []).extend(entry["books"])
    return books


def load_search_shelf(session: Session) -> None:
    """Store the shelf; the caller commits. An added entry named like a sample author adds
    books to that author."""
    seed_sample_shelf(session)
    for entry in added_authors():
        author = session.scalar(select(Author).where(Author.name == entry["name"]))
        if author is None:
            author = Author(name=entry["name"], country=entry.get("country"))
            session.add(author)
        author.books.extend(Book(title=title) for title in entry["books"])
    session.flush()
