"""The sample shelf of Neon's guide, and loading it into the database."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookshelf.catalogue.models import Author, Book

SAMPLE_SHELF = [
    {
        "name": "J.R.R. Tolkien",
        "country": "United Kingdom",
        "bio": "The creator of Middle-earth and author of The Lord of the Rings.",
        "books": [
            "The Fellowship of the Ring",
            "The Two Towers",
            "The Return of the King",
        ],
    },
    {
        "name": "George R.R. Martin",
        "country": "United States",
        "bio": "The author of the epic fantasy series A Song of Ice and Fire.",
        "books": ["A Game of Thrones", "A Clash of Kings"],
    },
    {
        "name": "J.K. Rowling",
        "country": "United Kingdom",
        "bio": "The creator of the Harry Potter series.",
        "books": [
            "Harry Potter and the Philosopher's Stone",
            "Harry Potter and the Chamber of Secrets",
        ],
    },
]


@dataclass
class SeedResult:
    authors_added: int
    books_added: int


def seed_sample_shelf(session: Session) -> SeedResult:
    """Add whatever part of the sample shelf is missing; the caller commits or rolls back.

    Authors are matched by name and books by title within their author, so running
    it again adds nothing.
    """
    result = SeedResult(authors_added=0, books_added=0)
    for entry in SAMPLE_SHELF:
        author = session.scalar(select(Author).where(Author.name == entry["name"]))
        if author is None:
            author = Author(name=entry["name"], country=entry["country"], bio=entry["bio"])
            session.add(author)
            result.authors_added += 1
        known_titles = {book.title for book in author.books}
        for title in entry["books"]:
            if title not in known_titles:
                author.books.append(Book(title=title))
                result.books_added += 1
    session.flush()
    return result
