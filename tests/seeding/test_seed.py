"""`flask seed`: the guide's shelf, safe to repeat, all or nothing, clear when it cannot run,
and never mixed into a shelf that holds other authors unless asked."""

import pytest
from sqlalchemy import func, select

from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from bookshelf.history.models import Change
from bookshelf.seeding import sample_shelf
from tests.conftest import submit


def shelf(app) -> dict[str, tuple[str | None, list[str]]]:
    with app.app_context():
        authors = db.session.scalars(select(Author)).all()
        return {
            author.name: (author.country, sorted(book.title for book in author.books))
            for author in authors
        }


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Author.id))),
            db.session.scalar(select(func.count(Book.id))),
        )


def test_seed_loads_the_guides_shelf(app, runner):
    result = runner.invoke(args=["seed"])

    assert result.exit_code == 0, result.output
    assert "Added 3 authors and 7 books" in result.output
    assert shelf(app) == {
        "J.R.R. Tolkien": (
            "United Kingdom",
            ["The Fellowship of the Ring", "The Return of the King", "The Two Towers"],
        ),
        "George R.R. Martin": (
            "United States",
            ["A Clash of Kings", "A Game of Thrones"],
        ),
        "J.K. Rowling": (
            "United Kingdom",
            [
                "Harry Potter and the Chamber of Secrets",
                "Harry Potter and the Philosopher's Stone",
            ],
        ),
    }
    with app.app_context():
        tolkien = db.session.scalar(select(Author).where(Author.name == "J.R.R. Tolkien"))
        assert tolkien.bio == "The creator of Middle-earth and author of The Lord of the Rings."


def test_seeding_twice_leaves_three_authors_and_seven_books(app, runner):
    runner.invoke(args=["seed"])
    result = runner.invoke(args=["seed"])

    assert result.exit_code == 0, result.output
    assert "already loaded; nothing added" in result.output
    assert counts(app) == (3, 7)


def test_seed_completes_a_partly_loaded_shelf(app, runner, add_author):
    add_author("J.K. Rowling", books=["Harry Potter and the Chamber of Secrets"])

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 0, result.output
    assert "Added 2 authors and 6 books" in result.output
    assert counts(app) == (3, 7)


def test_seed_refuses_a_shelf_holding_other_authors(app, runner, add_author):
    add_author("Ursula K. Le Guin", books=["A Wizard of Earthsea"])

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 1
    assert result.output == (
        "Error: The shelf already holds 1 author and 1 book. Run again with --append to "
        "load beside them, or with --replace to delete them and load in their place.\n"
    )
    assert counts(app) == (1, 1)


def test_seed_refuses_a_shelf_holding_the_sample_shelf_and_more(app, runner, add_author):
    runner.invoke(args=["seed"])
    add_author("Ursula K. Le Guin")

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 1
    assert "The shelf already holds 4 authors and 7 books." in result.output
    assert counts(app) == (4, 7)


def test_seed_append_adds_the_sample_shelf_beside_other_authors(app, runner, add_author):
    add_author("Ursula K. Le Guin", books=["A Wizard of Earthsea"])

    result = runner.invoke(args=["seed", "--append"])

    assert result.exit_code == 0, result.output
    assert "Added 3 authors and 7 books" in result.output
    assert counts(app) == (4, 8)
    assert runner.invoke(args=["seed", "--append"]).exit_code == 0
    assert counts(app) == (4, 8)


def test_seed_replace_leaves_only_the_sample_shelf(app, runner, add_author):
    add_author("Ursula K. Le Guin", books=["A Wizard of Earthsea", "The Dispossessed"])
    add_author("J.K. Rowling", books=["The Casual Vacancy"])

    result = runner.invoke(args=["seed", "--replace"])

    assert result.exit_code == 0, result.output
    assert "Added 3 authors and 7 books" in result.output
    assert set(shelf(app)) == {"J.R.R. Tolkien", "George R.R. Martin", "J.K. Rowling"}
    assert counts(app) == (3, 7)
    with app.app_context():
        ids = db.session.scalars(select(Author.id).order_by(Author.id)).all()
        book_counts = {a.name: a.book_count for a in db.session.scalars(select(Author))}
    assert ids == [1, 2, 3]  # numbered afresh
    assert book_counts == {"J.R.R. Tolkien": 3, "George R.R. Martin": 2, "J.K. Rowling": 2}


def test_replace_takes_the_old_shelfs_history_with_it(app, runner, curator_client):
    """The history names ids that, once the shelf is numbered afresh, are other authors'."""
    assert submit(curator_client, "/authors/new", {"name": "Octavia E. Butler"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Change.id))) == 1

    assert runner.invoke(args=["seed", "--replace"]).exit_code == 0

    with app.app_context():
        assert db.session.scalar(select(func.count(Change.id))) == 0


def test_a_failed_replace_leaves_the_old_shelf(app, runner, add_author, monkeypatch):
    add_author("Ursula K. Le Guin", books=["A Wizard of Earthsea"])
    before = shelf(app)
    broken_shelf = [{"name": None, "country": None, "bio": None, "books": []}]
    monkeypatch.setattr(sample_shelf, "SAMPLE_SHELF", broken_shelf)

    result = runner.invoke(args=["seed", "--replace"])

    assert result.exit_code == 1
    assert "Seeding failed, nothing was written" in result.output
    assert shelf(app) == before


def test_seed_if_empty_loads_into_an_empty_shelf(app, runner):
    result = runner.invoke(args=["seed", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert "Added 3 authors and 7 books" in result.output
    assert counts(app) == (3, 7)


def test_seed_if_empty_on_the_sample_shelf_adds_nothing(app, runner):
    runner.invoke(args=["seed"])

    result = runner.invoke(args=["seed", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "The sample shelf (3 authors and 7 books) is already loaded; nothing added.\n"
    )
    assert counts(app) == (3, 7)


def test_seed_if_empty_leaves_a_shelf_holding_other_authors(app, runner, add_authors):
    add_authors(1200, books_each=1)

    result = runner.invoke(args=["seed", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "The shelf already holds 1,200 authors and 1,200 books; the sample shelf was not loaded.\n"
    )
    assert counts(app) == (1200, 1200)


@pytest.mark.parametrize(
    "flags",
    [
        ["--append", "--replace"],
        ["--append", "--if-empty"],
        ["--replace", "--if-empty"],
        ["--authors", "5", "--replace", "--append"],
    ],
)
def test_append_replace_and_if_empty_go_alone(app, runner, flags):
    result = runner.invoke(args=["seed", *flags])

    assert result.exit_code == 2
    assert "Error: Give only one of --append, --replace and --if-empty." in result.output
    assert counts(app) == (0, 0)


def test_a_failure_half_way_writes_nothing(app, runner, monkeypatch):
    broken_shelf = [
        *sample_shelf.SAMPLE_SHELF,
        {"name": None, "country": None, "bio": None, "books": []},
    ]
    monkeypatch.setattr(sample_shelf, "SAMPLE_SHELF", broken_shelf)

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 1
    assert "Seeding failed, nothing was written" in result.output
    assert "Traceback" not in result.output
    assert counts(app) == (0, 0)


def test_seed_before_upgrade_says_to_run_the_migrations(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["seed"])

    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: The database has no tables yet: run flask db upgrade first."
    )


def test_seed_on_a_half_migrated_database_says_to_run_the_migrations(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "+1"]).exit_code == 0

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 1
    assert "run flask db upgrade first" in result.output


def test_seed_against_an_unreachable_database_fails_in_one_line(make_app, unreachable_postgres_url):
    app = make_app(unreachable_postgres_url)
    result = app.test_cli_runner().invoke(args=["seed"])

    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach the database")
    assert "Check DATABASE_URL" in result.output
    assert len(result.output.strip().splitlines()) == 1
