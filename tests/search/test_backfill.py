"""`flask search backfill`: after a deploy, it fills in the keys of the rows the previous
release wrote without them, and corrects the ones it left stale; it never overwrites a key
written since it read the row; and it says in one line why it cannot run."""

from bookshelf.extensions import db
from bookshelf.search.backfill import BOOKS, write_keys
from bookshelf.search.words import search_key
from tests.schema.revisions import revision_id
from tests.schema.test_search_key_revisions import (
    keys_as_computed,
    run,
    write_shelf_as_the_previous_release,
)


def test_it_fills_in_and_corrects_what_the_previous_release_wrote(app, runner):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    write_shelf_as_the_previous_release(app)
    # The previous release also renames and retitles, leaving the keys as they were.
    assert runner.invoke(args=["search", "backfill"]).exit_code == 0
    run(
        app,
        "UPDATE authors SET name = 'Emile Édouard Charles Antoine Zola' WHERE name = 'Émile Zola'",
        "UPDATE books SET title = 'The Hobbit' WHERE title LIKE 'The Hobbit, %'",
    )
    stored, computed = keys_as_computed(app)
    assert stored != computed

    result = runner.invoke(args=["search", "backfill"])

    assert result.exit_code == 0, result.output
    assert "Checked 10 rows" in result.output
    # Zola, his two books (their search text holds his name), and The Hobbit.
    assert "wrote keys to 1 of the authors and 3 of the books" in result.output
    stored, computed = keys_as_computed(app)
    assert stored == computed
    words = {word for (word,) in run(app, "SELECT word FROM search_words")}
    assert {"edouard", "charles", "antoine"} <= words

    again = runner.invoke(args=["search", "backfill"])
    assert "wrote keys to 0 of the authors and 0 of the books" in again.output


def test_a_book_changed_since_its_batch_read_it_keeps_the_change(app, runner):
    write_shelf_as_the_previous_release(app)
    with app.app_context(), db.engine.begin() as connection:
        rows = connection.execute(BOOKS.read, {"after": 0, "rows": 100}).all()
        stale = BOOKS.stale(rows)
    # Meanwhile the code retitles a book, and keeps its keys itself.
    run(
        app,
        "UPDATE books SET title = 'Kindred', title_key = ' kindred ', "
        "search_text = ' kindred octavia e butler ' WHERE title = 'Germinal'",
    )

    with app.app_context(), db.engine.begin() as connection:
        written = write_keys(connection, BOOKS, stale)

    assert len(written) == len(stale) - 1
    assert run(app, "SELECT title_key, search_text FROM books WHERE title = 'Kindred'") == [
        (" kindred ", " kindred octavia e butler ")
    ]
    assert run(app, "SELECT title_key FROM books WHERE title = 'L''Assommoir'") == [
        (search_key("L'Assommoir"),)
    ]


def test_a_database_without_the_keys_is_one_line(app, runner):
    before = revision_id("never-reuse-ids-on-sqlite")
    assert runner.invoke(args=["db", "downgrade", before]).exit_code == 0

    result = runner.invoke(args=["search", "backfill"])

    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()[-1:]
    assert line.startswith(f"Error: The database schema is not up to date (at revision {before}")
    assert line.endswith("run flask db upgrade first.")
    assert "Traceback" not in result.output


def test_a_database_that_does_not_answer_is_one_line(make_app, unreachable_postgres_url):
    result = (
        make_app(unreachable_postgres_url).test_cli_runner().invoke(args=["search", "backfill"])
    )

    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach the database (")
    assert len(result.output.strip().splitlines()) == 1
