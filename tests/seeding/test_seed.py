"""`flask seed`: the guide's shelf, safe to repeat, all or nothing, clear when it cannot run."""

from sqlalchemy import func, select

from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from bookshelf.seeding import sample_shelf


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
        "Error: The database has no tables yet: run `flask db upgrade` first."
    )


def test_seed_on_a_half_migrated_database_says_to_run_the_migrations(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "+1"]).exit_code == 0

    result = runner.invoke(args=["seed"])

    assert result.exit_code == 1
    assert "run `flask db upgrade` first" in result.output


def test_seed_against_an_unreachable_database_fails_in_one_line(make_app, unreachable_postgres_url):
    app = make_app(unreachable_postgres_url)
    result = app.test_cli_runner().invoke(args=["seed"])

    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach the database")
    assert "Check DATABASE_URL" in result.output
    assert len(result.output.strip().splitlines()) == 1
