"""add-search-keys fills in the keys of the shelf already there, as bookshelf.search.words
computes them, and the vocabulary; drop-superseded-browsing-indexes drops the indexes on
name and title the keys' indexes replace; each downgrade puts back what was there."""

from sqlalchemy import inspect, text

from bookshelf.extensions import db
from bookshelf.search.backfill import BATCH_ROWS
from bookshelf.search.words import book_search_text, search_key
from tests.schema.revisions import revision_id

BEFORE_SEARCH_KEYS = revision_id("never-reuse-ids-on-sqlite")
ADD_SEARCH_KEYS = revision_id("add-search-keys")
SHELF = {
    "J.R.R. Tolkien": ["The Fellowship of the Ring", "The Hobbit, or There and Back Again"],
    "Émile Zola": ["L'Assommoir", "Germinal"],
    "Ursula K. Le Guin": ["A Wizard of Earthsea"],
    "Søren Kierkegaard": ["Frygt og Bæven"],
}
KEY_INDEXES = {
    "authors": {
        "ix_authors_name_key_id",
        "ix_authors_book_count_name_key_id",
        "ix_authors_country_name_key_id",
    },
    "books": {"ix_books_title_key_id", "ix_books_author_id_title_key_id"},
}
NAME_AND_TITLE_INDEXES = {
    "authors": {
        "ix_authors_name_id",
        "ix_authors_book_count_name_id",
        "ix_authors_country_name_id",
    },
    "books": {"ix_books_author_id_title_id"},
}
TRIGRAM_INDEXES = {
    "keys": {"ix_authors_name_key_trgm", "ix_books_search_text_trgm"},
    "title": {"ix_books_title_trgm"},
}


def run(app, *statements: str, **values) -> list:
    """Run the statements in one transaction; gives the last one's rows, if it has any."""
    with app.app_context(), db.engine.begin() as connection:
        results = [connection.execute(text(statement), values) for statement in statements]
        return results[-1].all() if results[-1].returns_rows else []


def write_shelf_as_the_previous_release(app, extra_books: int = 0) -> None:
    """The shelf as the release before the keys wrote it: plain SQL, no keys. The first
    author gets `extra_books` more, enough for the backfill to take several batches."""
    books = []
    for name, titles in SHELF.items():
        [(author_id,)] = run(
            app, "INSERT INTO authors (name) VALUES (:name) RETURNING id", name=name
        )
        books += [{"title": title, "author_id": author_id} for title in titles]
    books += [
        {"title": f"Volume {n}", "author_id": books[0]["author_id"]}
        for n in range(1, extra_books + 1)
    ]
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO books (title, author_id) VALUES (:title, :author_id)"), books
        )


def keys_as_computed(app) -> tuple[list, list]:
    """Each author's and book's stored keys beside the keys bookshelf.search.words gives."""
    authors = run(app, "SELECT name, name_key FROM authors ORDER BY id")
    books = run(
        app,
        "SELECT books.title, authors.name, books.title_key, books.search_text "
        "FROM books JOIN authors ON authors.id = books.author_id ORDER BY books.id",
    )
    stored = [(name, key) for name, key in authors], [(t, k, s) for t, _, k, s in books]
    computed = (
        [(name, search_key(name)) for name, _ in authors],
        [
            (title, search_key(title), book_search_text(search_key(title), search_key(name)))
            for title, name, _, _ in books
        ],
    )
    return stored, computed


def index_names(app) -> set[str]:
    with app.app_context():
        inspector = inspect(db.engine)
        names = {
            index["name"]
            for table in ("authors", "books")
            for index in inspector.get_indexes(table)
        }
    return names


def columns_of(app, table: str) -> set[str]:
    with app.app_context():
        return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_the_revision_fills_in_every_key_and_the_vocabulary(app, runner):
    assert runner.invoke(args=["db", "downgrade", BEFORE_SEARCH_KEYS]).exit_code == 0
    write_shelf_as_the_previous_release(app, extra_books=2 * BATCH_ROWS)

    result = runner.invoke(args=["db", "upgrade", ADD_SEARCH_KEYS])

    assert result.exit_code == 0, result.output
    stored, computed = keys_as_computed(app)
    assert stored == computed
    assert ("Émile Zola", " emile zola ") in stored[0]
    assert ("L'Assommoir", " l assommoir ", " l assommoir emile zola ") in stored[1]
    words = {word for (word,) in run(app, "SELECT word FROM search_words")}
    assert words == {word for _, key in stored[0] for word in key.split()} | {
        word for _, key, _ in stored[1] for word in key.split()
    }
    assert {"jrr", "kierkegaard", "baeven", "volume", "10000"} <= words


def test_each_downgrade_puts_back_what_was_there(app, runner):
    with_keys = index_names(app)
    assert KEY_INDEXES["authors"] | KEY_INDEXES["books"] <= with_keys
    assert not (NAME_AND_TITLE_INDEXES["authors"] | NAME_AND_TITLE_INDEXES["books"]) & with_keys

    assert runner.invoke(args=["db", "downgrade", ADD_SEARCH_KEYS]).exit_code == 0
    both = index_names(app)
    assert KEY_INDEXES["authors"] | KEY_INDEXES["books"] <= both
    assert NAME_AND_TITLE_INDEXES["authors"] | NAME_AND_TITLE_INDEXES["books"] <= both

    assert runner.invoke(args=["db", "downgrade", BEFORE_SEARCH_KEYS]).exit_code == 0
    before = index_names(app)
    assert not (KEY_INDEXES["authors"] | KEY_INDEXES["books"]) & before
    assert NAME_AND_TITLE_INDEXES["authors"] | NAME_AND_TITLE_INDEXES["books"] <= before
    assert "name_key" not in columns_of(app, "authors")
    assert not {"title_key", "search_text"} & columns_of(app, "books")
    with app.app_context():
        assert not inspect(db.engine).has_table("search_words")

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert index_names(app) == with_keys


def test_on_postgresql_the_trigram_indexes_follow_the_keys(make_app, postgres_url):
    app = make_app(postgres_url)
    runner = app.test_cli_runner()

    def trigram_indexes() -> set[str]:
        rows = run(app, "SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        return {name for (name,) in rows}

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    # Books are searched through their search vectors since drop-search-text-trigram-index.
    assert trigram_indexes() == {"ix_authors_name_key_trgm"}
    assert runner.invoke(args=["db", "downgrade", ADD_SEARCH_KEYS]).exit_code == 0
    assert trigram_indexes() == TRIGRAM_INDEXES["keys"] | TRIGRAM_INDEXES["title"]
    assert runner.invoke(args=["db", "downgrade", BEFORE_SEARCH_KEYS]).exit_code == 0
    assert trigram_indexes() == TRIGRAM_INDEXES["title"]
    # Every index built CONCURRENTLY finished: none was left invalid.
    assert run(app, "SELECT count(*) FROM pg_index WHERE NOT indisvalid") == [(0,)]
