"""The sample shelf of Neon's guide, and loading it into the database."""

from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from bookshelf.catalogue.models import Author, Book
from bookshelf.seeding.existing_shelf import ShelfSize

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
SAMPLE_SIZE = ShelfSize(
    authors=len(SAMPLE_SHELF), books=sum(len(entry["books"]) for entry in SAMPLE_SHELF)
)


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


def holds_only_sample_books(connection: Connection) -> bool:
    """Whether every author and book on the shelf is one of the sample shelf's, each there
    once (as on an empty shelf): then loading the sample shelf mixes nothing in."""
    names = {entry["name"] for entry in SAMPLE_SHELF}
    books = {(entry["name"], title) for entry in SAMPLE_SHELF for title in entry["books"]}
    # One row more than the sample shelf has is enough to tell, however big the shelf.
    stored_names = connection.scalars(select(Author.name).limit(len(names) + 1)).all()
    stored_books = [
        tuple(row)
        for row in connection.execute(
            select(Author.name, Book.title).join(Book.author).limit(len(books) + 1)
        )
    ]
    return (
        set(stored_names) <= names
        and len(set(stored_names)) == len(stored_names)
        and set(stored_books) <= books
        and len(set(stored_books)) == len(stored_books)
    )
