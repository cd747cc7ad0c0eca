"""`flask seed --authors N --books M`: a synthetic shelf, loaded fast and all or nothing,
into an empty shelf unless told to append to or replace what is there."""

import os
import signal
import subprocess
import sys
import time
from itertools import islice

import psycopg2
import pytest
from sqlalchemy import func, select

from bookshelf import PROJECT_ROOT
from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from bookshelf.seeding import bulk_load


def shelf_summary(app) -> dict:
    with app.app_context():
        counts = db.session.scalars(select(Author.book_count).order_by(Author.id)).all()
        return {
            "authors": len(counts),
            "books": db.session.scalar(select(func.count(Book.id))),
            "book_counts": counts,
            "names": db.session.scalars(select(Author.name).order_by(Author.id)).all(),
            "titles": db.session.scalars(select(Book.title).order_by(Book.id).limit(50)).all(),
            "countries": db.session.scalar(select(func.count(func.distinct(Author.country)))),
        }


def test_loads_the_shelf_it_was_asked_for(app, runner):
    result = runner.invoke(args=["seed", "--authors", "200", "--books", "20000"])

    assert result.exit_code == 0, result.output
    assert "Loaded 200 authors and 20,000 books in" in result.output
    assert "rows/s" in result.output
    shelf = shelf_summary(app)
    assert shelf["authors"] == 200
    assert shelf["books"] == sum(shelf["book_counts"]) == 20_000
    # A prolific few, as in a real catalogue: the busiest has many times the average.
    assert max(shelf["book_counts"]) > 10 * (20_000 / 200)
    assert min(shelf["book_counts"]) > 0
    assert shelf["countries"] > 10
    assert len(set(shelf["names"])) > 150


def test_the_same_seed_gives_the_same_shelf(make_app, tmp_path):
    def load(name: str, seed: str) -> dict:
        app = make_app(f"sqlite:///{tmp_path / name}")
        runner = app.test_cli_runner()
        runner.invoke(args=["db", "upgrade"])
        args = ["seed", "--authors", "30", "--books", "600", "--random-seed", seed]
        assert runner.invoke(args=args).exit_code == 0
        return shelf_summary(app)

    assert load("first.sqlite", "7") == load("again.sqlite", "7")
    assert load("other.sqlite", "8")["names"] != load("first-again.sqlite", "7")["names"]


def test_authors_alone_gives_ten_books_an_author(app, runner):
    result = runner.invoke(args=["seed", "--authors", "40"])

    assert result.exit_code == 0, result.output
    shelf = shelf_summary(app)
    assert (shelf["authors"], shelf["books"]) == (40, 400)


def test_a_second_load_is_refused_rather_than_doubling_the_shelf(app, runner):
    load = ["seed", "--authors", "40", "--books", "200"]
    assert runner.invoke(args=load).exit_code == 0
    before = shelf_summary(app)

    result = runner.invoke(args=load)

    assert result.exit_code == 1
    assert result.output == (
        "Error: The shelf already holds 40 authors and 200 books. Run again with --append "
        "to load beside them, or with --replace to delete them and load in their place.\n"
    )
    assert shelf_summary(app) == before


def test_appending_the_same_size_again_is_no_copy(app, runner):
    """Without a --random-seed, an appended shelf takes a seed of its own."""
    assert runner.invoke(args=["seed", "--authors", "50"]).exit_code == 0
    result = runner.invoke(args=["seed", "--authors", "50", "--append"])

    assert result.exit_code == 0, result.output
    names = shelf_summary(app)["names"]
    assert len(names) == 100
    assert names[:50] != names[50:]
    assert len(set(names)) > 90


def test_append_loads_on_top_of_what_is_there(app, runner):
    runner.invoke(args=["seed"])

    result = runner.invoke(args=["seed", "--authors", "5", "--books", "50", "--append"])

    assert result.exit_code == 0, result.output
    shelf = shelf_summary(app)
    assert shelf["authors"] == 8
    assert shelf["books"] == 57


def test_replace_loads_in_place_of_what_is_there(app, runner):
    assert runner.invoke(args=["seed", "--authors", "300", "--books", "3000"]).exit_code == 0

    result = runner.invoke(args=["seed", "--authors", "20", "--books", "400", "--replace"])

    assert result.exit_code == 0, result.output
    assert "Loaded 20 authors and 400 books" in result.output
    shelf = shelf_summary(app)
    assert (shelf["authors"], shelf["books"]) == (20, 400)
    with app.app_context():
        counted = dict(
            db.session.execute(select(Book.author_id, func.count()).group_by(Book.author_id)).all()
        )
        kept = dict(db.session.execute(select(Author.id, Author.book_count)).all())
    assert kept == counted  # the book_count triggers saw the old books go
    assert sorted(kept) == list(range(1, 21))  # numbered afresh


def test_if_empty_loads_nothing_onto_a_shelf_that_holds_authors(app, runner):
    runner.invoke(args=["seed"])

    result = runner.invoke(args=["seed", "--authors", "5", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert result.output == (
        "The shelf already holds 3 authors and 7 books; the synthetic shelf was not loaded.\n"
    )
    assert shelf_summary(app)["authors"] == 3


@pytest.mark.parametrize("onto_the_shelf", ["--append", "--replace"])
def test_a_failure_part_way_leaves_the_database_as_it_was(app, runner, monkeypatch, onto_the_shelf):
    runner.invoke(args=["seed"])
    before = shelf_summary(app)
    good_rows = bulk_load.book_rows

    def rows_then_a_bad_one(ids, *arguments):
        yield from islice(good_rows(ids, *arguments), 700)
        yield ids[0], None, None, None  # a book without a title breaks NOT NULL

    monkeypatch.setattr(bulk_load, "book_rows", rows_then_a_bad_one)
    result = runner.invoke(args=["seed", "--authors", "10", "--books", "1000", onto_the_shelf])

    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: Loading failed, nothing was written")
    assert "Traceback" not in result.output
    assert shelf_summary(app) == before


@pytest.mark.parametrize(
    "args",
    [
        ["--books", "10"],
        ["--authors", "0", "--books", "10"],
        ["--authors", "-5", "--books", "10"],
        ["--authors", "ten", "--books", "10"],
        ["--authors", "10", "--books", "-1"],
    ],
)
def test_bad_sizes_are_a_usage_error(runner, args):
    result = runner.invoke(args=["seed", *args])
    assert result.exit_code == 2
    assert "Error:" in result.output


def test_before_upgrade_it_says_to_run_the_migrations(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["seed", "--authors", "5", "--books", "5"])
    assert result.exit_code == 1
    assert "run flask db upgrade first" in result.output


@pytest.mark.parametrize("onto_the_shelf", ["--append", "--replace"])
def test_killed_half_way_it_leaves_the_database_as_it_was(
    postgres_url, migrated, tmp_path, onto_the_shelf
):
    """SIGKILL, for real: no chance to clean up, so only the one transaction protects it,
    the old shelf's deletion by --replace included."""
    migrated(postgres_url)
    watcher = psycopg2.connect(postgres_url)
    watcher.autocommit = True

    def query(sql: str):
        with watcher.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    before = query("SELECT count(*), sum(book_count) FROM authors")
    environment = {
        **os.environ,
        "DATABASE_URL": postgres_url,
        "DATABASE_DIRECT_URL": "",
        "INSTANCE_PATH": str(tmp_path),
    }
    seeding = subprocess.Popen(
        [sys.executable, "-m", "flask", "seed", onto_the_shelf, "--authors", "5000"]
        + ["--books", "3000000"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    copying = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY books%'"
    deadline = time.monotonic() + 60
    while query(copying)[0][0] == 0 and seeding.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1)  # well into the books
    assert seeding.poll() is None, "the load finished before it could be killed"
    os.kill(seeding.pid, signal.SIGKILL)
    seeding.wait()

    # The server notices the dropped connection and rolls its transaction back.
    while query(copying)[0][0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert query("SELECT count(*), sum(book_count) FROM authors") == before
    assert query("SELECT count(*) FROM books") == [(7,)]
    watcher.close()
