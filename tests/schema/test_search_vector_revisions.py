"""add-book-search-vectors gives every book on PostgreSQL a search vector holding the words
of its search_text: it fills in the shelf already there without rewriting the table, and a
trigger keeps the vectors of every later write. drop-search-text-trigram-index drops the
index the vectors replace. Each downgrade puts back what was there.

A word too long for PostgreSQL's vectors (over 2,047 bytes, which only a crafted title
makes) is left out of them, and neither database looks for one."""

import pytest
from sqlalchemy import column, insert, table

from bookshelf.extensions import db
from bookshelf.search.words import (
    LONGEST_WORD_BYTES,
    book_search_text,
    search_key,
    search_words,
)
from tests.form_pages import fill_in, follow
from tests.schema.revisions import oldest_first, revision_id
from tests.schema.test_search_key_revisions import run

BEFORE_SEARCH_VECTORS = revision_id("drop-superseded-browsing-indexes")
[ADD_SEARCH_VECTORS] = [
    revision.module for revision in oldest_first() if revision.doc == "add-book-search-vectors"
]
# The revision fills in the books already there this many a transaction.
BATCH_ROWS = ADD_SEARCH_VECTORS.BATCH_ROWS
ON_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
# 200 squared katakana, each of which decomposes into five letters: one word of 3,000 bytes.
CRAFTED_TITLE = "㌇" * 200
SHELF = [
    ("The Lord of the Rings", "J.R.R. Tolkien"),
    ("L'Assommoir", "Émile Zola"),
    ("Frygt og Bæven", "Søren Kierkegaard"),
    (CRAFTED_TITLE, "Ursula K. Le Guin"),
]
# What add-book-search-vectors adds on PostgreSQL; and the index drop-search-text-trigram-index
# drops.
SEARCH_VECTOR_PARTS = {
    "column books.search_vector",
    "trigger books_search_vector",
    "function books_search_vector",
    "index ix_books_search_vector",
    "index ix_books_title_key_id_search_vector",
}
TRIGRAM_INDEX = "index ix_books_search_text_trgm"


def write_books_as_the_previous_release(app, books: list[tuple[str, str]]) -> None:
    """Books (title, author's name) as the release before the vectors wrote them: their
    search keys and the vocabulary's words, and no vector. Core inserts of bare tables, so
    no model's events run, and many rows go in a statement."""
    name_keys = {name: search_key(name) for _, name in books}
    author_ids = {}
    for name, name_key in name_keys.items():
        [(author_ids[name],)] = run(
            app,
            "INSERT INTO authors (name, name_key) VALUES (:name, :name_key) RETURNING id",
            name=name,
            name_key=name_key,
        )
    rows = [
        {
            "title": title,
            "author_id": author_ids[name],
            "title_key": search_key(title),
            "search_text": book_search_text(search_key(title), name_keys[name]),
        }
        for title, name in books
    ]
    keys = [*name_keys.values(), *(row["title_key"] for row in rows)]
    words = sorted({word for key in keys for word in key.split()})
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(insert(table("books", *(column(name) for name in rows[0]))), rows)
        connection.execute(
            insert(table("search_words", column("word"))), [{"word": word} for word in words]
        )


def vectors_out_of_step(app) -> list[str]:
    """Every book whose vector is not the words of its search_text (those short enough to
    be in a vector): empty when every book's vector is current."""
    rows = run(
        app, "SELECT id, search_text, tsvector_to_array(search_vector) FROM books ORDER BY id"
    )
    wrong = []
    for book_id, search_text, vector in rows:
        words = {word for word in search_text.split() if len(word.encode()) <= LONGEST_WORD_BYTES}
        if vector is None or sorted(vector) != sorted(words):
            wrong.append(f"book {book_id}: vector {vector} for {search_text[:200]!r}")
    return wrong


def search_vector_parts(app) -> set[str]:
    """Which of the revisions' column, trigger, function and indexes the database holds."""
    [(column, trigger, function)] = run(
        app,
        "SELECT EXISTS (SELECT FROM information_schema.columns"
        "  WHERE table_name = 'books' AND column_name = 'search_vector'),"
        " EXISTS (SELECT FROM pg_trigger WHERE tgname = 'books_search_vector'),"
        " EXISTS (SELECT FROM pg_proc WHERE proname = 'books_search_vector')",
    )
    indexes = run(app, "SELECT indexname FROM pg_indexes WHERE tablename = 'books'")
    held = {f"index {name}" for (name,) in indexes} | {
        part
        for part, there in [
            ("column books.search_vector", column),
            ("trigger books_search_vector", trigger),
            ("function books_search_vector", function),
        ]
        if there
    }
    return held & (SEARCH_VECTOR_PARTS | {TRIGRAM_INDEX})


def books_file(app) -> int:
    """The books table's file on disk, which a rewrite replaces."""
    [(file,)] = run(app, "SELECT relfilenode FROM pg_class WHERE relname = 'books'")
    return file


def invalid_indexes(app) -> int:
    """Indexes a CONCURRENTLY build left unfinished."""
    [(count,)] = run(app, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")
    return count


def titles_found(client, query: str) -> list[str]:
    """The titles /api/search finds for the words as typed, on its first page."""
    response = client.get("/api/search", query_string={"q": query, "as_typed": "1"})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return [book["title"] for book in response.get_json()["books"]]


def test_the_upgrade_gives_every_book_there_its_words_without_rewriting_the_table(
    make_app, postgres_url
):
    app = make_app(postgres_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", BEFORE_SEARCH_VECTORS]).exit_code == 0
    volumes = [(f"Letters, Volume {n}", "Émile Zola") for n in range(1, 2 * BATCH_ROWS + 2)]
    write_books_as_the_previous_release(app, SHELF + volumes)
    file_before = books_file(app)

    result = runner.invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert f"Search vectors: filled in {len(SHELF) + len(volumes):,} books" in result.output
    assert vectors_out_of_step(app) == []
    assert books_file(app) == file_before
    assert invalid_indexes(app) == 0
    assert search_vector_parts(app) == SEARCH_VECTOR_PARTS
    client = app.test_client()
    assert titles_found(client, "kierkegaard baeven") == ["Frygt og Bæven"]
    assert titles_found(client, "zola letters 10001") == ["Letters, Volume 10001"]
    assert titles_found(client, "tolkien rings") == ["The Lord of the Rings"]
    assert titles_found(client, "le guin") == [CRAFTED_TITLE]
    assert titles_found(client, CRAFTED_TITLE) == []


@ON_POSTGRESQL
def test_the_vectors_follow_every_write_made_after_the_upgrade(app, runner, curator_client):
    seeded = runner.invoke(args=["seed", "--authors", "20", "--books", "200"])
    assert seeded.exit_code == 0, seeded.output
    follow(curator_client, fill_in(curator_client, "/authors/new", name="Ursula K. Le Guin"))
    [(le_guin,)] = run(app, "SELECT id FROM authors WHERE name = 'Ursula K. Le Guin'")
    new_book = f"/authors/{le_guin}/books/new"
    follow(curator_client, fill_in(curator_client, new_book, title="The Dispossessed"))
    assert titles_found(curator_client, "ursula dispossessed") == ["The Dispossessed"]

    [(book,)] = run(app, "SELECT id FROM books WHERE author_id = :id", id=le_guin)
    edit_book = f"/authors/{le_guin}/books/{book}/edit"
    follow(curator_client, fill_in(curator_client, edit_book, title="The Lathe of Heaven"))
    edit_author = f"/authors/{le_guin}/edit"
    follow(curator_client, fill_in(curator_client, edit_author, name="Ursula Kroeber Le Guin"))

    assert vectors_out_of_step(app) == []
    assert titles_found(curator_client, "kroeber heaven") == ["The Lathe of Heaven"]
    assert titles_found(curator_client, "ursula dispossessed") == []
    assert titles_found(curator_client, "ursula k le guin") == []
    [(title, name)] = run(
        app,
        "SELECT books.title, authors.name FROM books JOIN authors ON authors.id = books.author_id"
        " WHERE authors.id <> :id ORDER BY books.id DESC LIMIT 1",
        id=le_guin,
    )
    assert title in titles_found(curator_client, f"{name} {title}")


def test_a_title_of_one_word_too_long_for_a_vector_is_stored_and_found_by_its_author(
    client, add_author
):
    [word] = search_words(CRAFTED_TITLE)
    assert len(word.encode()) > LONGEST_WORD_BYTES

    add_author("Ursula K. Le Guin", books=[CRAFTED_TITLE, "The Dispossessed"])

    assert titles_found(client, "le guin") == ["The Dispossessed", CRAFTED_TITLE]
    response = client.get("/api/search", query_string={"q": CRAFTED_TITLE})
    assert response.status_code == 200
    assert response.get_json()["books"] == []
    assert response.get_json()["books_total"] == 0


def test_typing_the_start_of_a_word_too_long_for_a_vector_is_answered(client, add_author):
    add_author("Ursula K. Le Guin", books=[CRAFTED_TITLE])
    [word] = search_words(CRAFTED_TITLE)

    response = client.get("/api/search", query_string={"q": word[:5]})

    assert response.status_code == 200
    assert response.get_json()["authors"] == []


def test_a_shelf_upgraded_with_a_word_too_long_for_a_vector_answers_its_start(
    make_app, postgres_url
):
    app = make_app(postgres_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", BEFORE_SEARCH_VECTORS]).exit_code == 0
    write_books_as_the_previous_release(app, SHELF)
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    [word] = search_words(CRAFTED_TITLE)

    response = app.test_client().get("/api/search", query_string={"q": word[:5]})

    assert response.status_code == 200


def test_the_downgrade_takes_the_vectors_away_and_the_upgrade_brings_them_back(
    make_app, postgres_url
):
    app = make_app(postgres_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert search_vector_parts(app) == SEARCH_VECTOR_PARTS

    assert runner.invoke(args=["db", "downgrade", BEFORE_SEARCH_VECTORS]).exit_code == 0
    assert search_vector_parts(app) == {TRIGRAM_INDEX}
    write_books_as_the_previous_release(app, SHELF)

    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert search_vector_parts(app) == SEARCH_VECTOR_PARTS
    assert invalid_indexes(app) == 0
    assert vectors_out_of_step(app) == []
    assert titles_found(app.test_client(), "zola assommoir") == ["L'Assommoir"]
