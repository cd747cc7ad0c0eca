"""What the stored search keys say: the books and authors a search on them finds, and every
key that differs from the one worked out afresh from the names and titles."""

from sqlalchemy import and_, select

from bookshelf.catalogue.models import Author, Book, SearchWord
from bookshelf.extensions import db
from bookshelf.search.words import book_search_text, search_key, search_words


def whole_words(column, text: str):
    """The search plan's match of every word of `text`, each a whole word, in any order."""
    return and_(*(column.like(f"% {word} %") for word in search_words(text)))


def books_found(app, text: str) -> list[str]:
    """The titles of the books whose title and author's name hold every word of `text`."""
    with app.app_context():
        return db.session.scalars(
            select(Book.title).where(whole_words(Book.search_text, text)).order_by(Book.title)
        ).all()


def authors_found(app, text: str) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            select(Author.name).where(whole_words(Author.name_key, text)).order_by(Author.name)
        ).all()


def vocabulary(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(SearchWord.word)))


def keys_out_of_date(app) -> list[str]:
    """Every stored key that is not what the name or title gives now, and every word of the
    keys that the vocabulary lacks: empty when every write kept its keys."""
    with app.app_context():
        authors = db.session.execute(select(Author.id, Author.name, Author.name_key)).all()
        books = db.session.execute(
            select(Book.id, Book.title, Book.author_id, Book.title_key, Book.search_text)
        ).all()
    name_keys = {author.id: search_key(author.name) for author in authors}
    wrong = [
        f"author {author.id}: name_key {author.name_key!r} for {author.name!r}"
        for author in authors
        if author.name_key != name_keys[author.id]
    ]
    title_keys = {book.id: search_key(book.title) for book in books}
    for book in books:
        title_key = title_keys[book.id]
        search_text = book_search_text(title_key, name_keys[book.author_id])
        if (book.title_key, book.search_text) != (title_key, search_text):
            wrong.append(
                f"book {book.id}: title_key {book.title_key!r}, search_text "
                f"{book.search_text!r} for {book.title!r} by author {book.author_id}"
            )
    words = {word for key in [*name_keys.values(), *title_keys.values()] for word in key.split()}
    missing = words - vocabulary(app)
    if missing:
        wrong.append(f"words missing from search_words: {sorted(missing)}")
    return wrong
