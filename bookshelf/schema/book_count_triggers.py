"""The triggers that keep authors.book_count, as the add-book-count-to-author revision
creates them. migrations/env.py puts the SQLite ones back after every migration, because
SQLite drops a table's triggers when batch mode rebuilds it.

On PostgreSQL they run once per statement over its transition table, so a bulk INSERT or
COPY costs one UPDATE of authors; SQLite has no statement triggers, so there they run per
row. A later revision that changes them adds SQL of its own rather than editing this.
"""

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

# Each function first locks the authors it will update, in id order: two writers that
# touch the same authors then queue instead of deadlocking on each other.
POSTGRESQL_TRIGGERS = """
CREATE FUNCTION count_books_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM authors WHERE id IN (SELECT author_id FROM added_books)
        ORDER BY id FOR NO KEY UPDATE;
    UPDATE authors SET book_count = authors.book_count + added.books
    FROM (SELECT author_id, count(*) AS books FROM added_books GROUP BY author_id) AS added
    WHERE authors.id = added.author_id;
    RETURN NULL;
END $$;

CREATE FUNCTION count_books_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM authors WHERE id IN (SELECT author_id FROM removed_books)
        ORDER BY id FOR NO KEY UPDATE;
    UPDATE authors SET book_count = authors.book_count - removed.books
    FROM (SELECT author_id, count(*) AS books FROM removed_books GROUP BY author_id) AS removed
    WHERE authors.id = removed.author_id;
    RETURN NULL;
END $$;

-- Only the books an UPDATE gave another author count; a retitled book touches no author.
CREATE FUNCTION count_books_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM authors WHERE id IN (
        SELECT unnest(ARRAY[after.author_id, before.author_id])
        FROM added_books AS after JOIN removed_books AS before USING (id)
        WHERE after.author_id <> before.author_id
    ) ORDER BY id FOR NO KEY UPDATE;
    UPDATE authors SET book_count = authors.book_count + moved.books
    FROM (
        SELECT change.author_id, sum(change.books) AS books
        FROM added_books AS after JOIN removed_books AS before USING (id),
            LATERAL (VALUES (after.author_id, 1), (before.author_id, -1))
                AS change (author_id, books)
        WHERE after.author_id <> before.author_id
        GROUP BY change.author_id
    ) AS moved
    WHERE authors.id = moved.author_id;
    RETURN NULL;
END $$;

CREATE FUNCTION count_books_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE authors SET book_count = 0 WHERE book_count <> 0;
    RETURN NULL;
END $$;

CREATE TRIGGER books_added AFTER INSERT ON books
    REFERENCING NEW TABLE AS added_books
    FOR EACH STATEMENT EXECUTE FUNCTION count_books_added();
CREATE TRIGGER books_removed AFTER DELETE ON books
    REFERENCING OLD TABLE AS removed_books
    FOR EACH STATEMENT EXECUTE FUNCTION count_books_removed();
CREATE TRIGGER books_moved AFTER UPDATE ON books
    REFERENCING OLD TABLE AS removed_books NEW TABLE AS added_books
    FOR EACH STATEMENT EXECUTE FUNCTION count_books_moved();
CREATE TRIGGER books_truncated AFTER TRUNCATE ON books
    FOR EACH STATEMENT EXECUTE FUNCTION count_books_truncated();
"""

POSTGRESQL_DROP_TRIGGERS = """
DROP TRIGGER books_truncated ON books;
DROP TRIGGER books_moved ON books;
DROP TRIGGER books_removed ON books;
DROP TRIGGER books_added ON books;
DROP FUNCTION count_books_truncated();
DROP FUNCTION count_books_moved();
DROP FUNCTION count_books_removed();
DROP FUNCTION count_books_added();
"""

# SQLite: one statement per execute. IF NOT EXISTS, because they are run again after
# every migration while authors.book_count exists.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS books_added AFTER INSERT ON books BEGIN
        UPDATE authors SET book_count = book_count + 1 WHERE id = NEW.author_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS books_removed AFTER DELETE ON books BEGIN
        UPDATE authors SET book_count = book_count - 1 WHERE id = OLD.author_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS books_moved AFTER UPDATE OF author_id ON books BEGIN
        UPDATE authors SET book_count = book_count - 1 WHERE id = OLD.author_id;
        UPDATE authors SET book_count = book_count + 1 WHERE id = NEW.author_id;
    END""",
]
SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS books_moved",
    "DROP TRIGGER IF EXISTS books_removed",
    "DROP TRIGGER IF EXISTS books_added",
]


def restore_sqlite_triggers(connection: Connection) -> None:
    """Put the SQLite triggers back where a migration's table rebuild dropped them."""
    if connection.dialect.name != "sqlite" or not inspect(connection).has_table("authors"):
        return
    if "book_count" in {column["name"] for column in inspect(connection).get_columns("authors")}:
        for statement in SQLITE_TRIGGERS:
            connection.exec_driver_sql(statement)
