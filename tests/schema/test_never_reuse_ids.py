"""The never-reuse-ids-on-sqlite revision: after it, an id deleted from the end of a table is
not handed out again, on either database; on SQLite it rebuilds both tables, keeping their
rows, indexes and book_count triggers, and so does its downgrade."""

from sqlalchemy import text

from bookshelf.extensions import db
from tests.schema.revisions import revision_id


def run(app, *statements: str) -> list:
    """Run the statements in one transaction; gives the last one's rows, if it has any."""
    with app.app_context(), db.engine.begin() as connection:
        results = [connection.execute(text(statement)) for statement in statements]
        return results[-1].all() if results[-1].returns_rows else []


def shelf_rows(app) -> list:
    return run(
        app,
        "SELECT authors.id, name, book_count, books.id, title FROM authors "
        "LEFT JOIN books ON books.author_id = authors.id ORDER BY authors.id, books.id",
    )


def book_count_index(app) -> str | None:
    """The SQLite definition of the index for sorting by number of books."""
    if db.engine.dialect.name != "sqlite":
        return None
    [(sql,)] = run(
        app, "SELECT sql FROM sqlite_master WHERE name = 'ix_authors_book_count_name_id'"
    )
    return sql


def test_ids_are_never_reused_and_the_tables_keep_their_rows(app, runner):
    assert runner.invoke(args=["db", "downgrade", revision_id("add-changes")]).exit_code == 0
    [(kept,)] = run(app, "INSERT INTO authors (name) VALUES ('Octavia E. Butler') RETURNING id")
    [(last,)] = run(app, "INSERT INTO authors (name) VALUES ('Ursula K. Le Guin') RETURNING id")
    run(
        app,
        f"INSERT INTO books (title, author_id) VALUES ('Kindred', {kept}), ('Dawn', {kept}), "
        f"('The Dispossessed', {last})",
    )
    before = shelf_rows(app)

    never_reuse_ids = revision_id("never-reuse-ids-on-sqlite")
    assert runner.invoke(args=["db", "upgrade", never_reuse_ids]).exit_code == 0

    assert shelf_rows(app) == before
    with app.app_context():
        index = book_count_index(app)
    assert index is None or "book_count DESC" in index
    run(
        app, f"DELETE FROM books WHERE author_id = {last}", f"DELETE FROM authors WHERE id = {last}"
    )
    [(new,)] = run(app, "INSERT INTO authors (name) VALUES ('Newcomer') RETURNING id")
    assert new > last
    # The triggers still count books, added and moved.
    run(app, f"INSERT INTO books (title, author_id) VALUES ('Lilith''s Brood', {new})")
    run(app, f"UPDATE books SET author_id = {new} WHERE title = 'Dawn'")
    counts = "SELECT id, book_count FROM authors ORDER BY id"
    assert run(app, counts) == [(kept, 1), (new, 2)]

    assert runner.invoke(args=["db", "downgrade", "-1"]).exit_code == 0

    run(app, f"INSERT INTO books (title, author_id) VALUES ('Fledgling', {kept})")
    assert run(app, counts) == [(kept, 2), (new, 2)]
    with app.app_context():
        index = book_count_index(app)
    assert index is None or "book_count DESC" in index
