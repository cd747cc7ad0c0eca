"""`flask db rehearse` on a shelf of 100,000 books, with revisions written for each test on
top of the project's: one that rewrites `books`, one that adds a nullable column, one whose
unique index fails on the rows there, a batched backfill, a slow one, one that does not come
back down. And refusals, and interruptions, which must leave no copy behind and never touch
the app's database. PostgreSQL only, on the test server: a database of the module's own."""

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest
from sqlalchemy.engine import make_url

import config
from bookshelf import PROJECT_ROOT, create_app
from bookshelf.extensions import db
from tests.conftest import POSTGRES_URL
from tests.schema.revisions import oldest_first

BOOKS = 100_000
HEAD = oldest_first()[-1].revision


@contextmanager
def admin(url: str) -> Iterator:
    """A cursor on the server's `postgres` database, in autocommit."""
    server = make_url(url).set(drivername="postgresql", database="postgres")
    connection = psycopg2.connect(server.render_as_string(hide_password=False))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def one(url: str, statement: str, values: tuple = ()):
    """The one value `statement` gives, having committed what it wrote."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, values)
            found = cursor.fetchone()[0]
        connection.commit()
        return found
    finally:
        connection.close()


def rehearsal_copies(url: str) -> list[str]:
    """The databases a rehearsal made from the shelf and has not dropped."""
    name = make_url(url).database[:40]  # as --make-copy names its copies
    with admin(url) as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{name}_rehearsal_%",)
        )
        return [row[0] for row in cursor.fetchall()]


@contextmanager
def new_database(kind: str) -> Iterator[str]:
    """A database of this test run's own on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set, so the PostgreSQL runs are skipped")
    name = f"{make_url(POSTGRES_URL).database}_{kind}_{os.getpid()}"
    with admin(POSTGRES_URL) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin(POSTGRES_URL) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def shelf(tmp_path_factory):
    """A database at the project's head holding 100,000 books by 10,000 authors."""
    with new_database("shelf") as url:
        app = create_app(config.TestingConfig(url, tmp_path_factory.mktemp("instance")))
        runner = app.test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        seeded = runner.invoke(args=["seed", "--authors", "10000", "--books", str(BOOKS)])
        assert seeded.exit_code == 0, seeded.output
        with app.app_context():
            db.engine.dispose()
        yield url


@pytest.fixture
def migrations(tmp_path):
    """The project's migrations folder, copied, to which `add` writes a revision on top."""
    folder = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", folder)
    revisions = [HEAD]

    def add(message: str, upgrade: str, downgrade: str = "pass") -> str:
        revision = f"rehearse{len(revisions):04d}"
        body = {
            name: textwrap.indent(textwrap.dedent(code).strip(), "    ")
            for name, code in (("upgrade", upgrade), ("downgrade", downgrade))
        }
        (folder / "versions" / f"{revision}_{message}.py").write_text(
            f'"""{message}"""\n'
            "import sqlalchemy as sa\n"
            "from alembic import op\n\n"
            f'revision = "{revision}"\n'
            f'down_revision = "{revisions[-1]}"\n'
            "branch_labels = None\n"
            "depends_on = None\n\n\n"
            f"def upgrade():\n{body['upgrade']}\n\n\n"
            f"def downgrade():\n{body['downgrade']}\n"
        )
        revisions.append(revision)
        return revision

    add.folder = folder
    return add


def rehearse(make_app, shelf: str, migrations, *options: str, **environment: str):
    """`flask db rehearse --json` on the shelf with the test's revisions: the exit code, the
    report, and what it said on stderr."""
    runner = make_app(shelf).test_cli_runner()
    result = runner.invoke(
        args=["db", "rehearse", "-d", str(migrations.folder), "--json", *options],
        env={"DATABASE_REHEARSAL_URL": None, **environment},  # unset unless the test sets it
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    report = json.loads(result.stdout) if result.stdout.startswith("{") else None
    return result.exit_code, report, result.stderr


def only_revision(report: dict) -> dict:
    [run] = report["revisions"]
    return run


def table(run: dict, name: str) -> dict:
    [found] = [change for change in run["tables"] if change["table"] == name]
    return found


def test_a_revision_that_rewrites_books_is_caught(make_app, shelf, migrations):
    migrations(
        "add-shelved-at",
        "op.execute('ALTER TABLE books ADD COLUMN shelved_at timestamptz NOT NULL "
        "DEFAULT clock_timestamp()')",
        "op.drop_column('books', 'shelved_at')",
    )

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy")

    run = only_revision(report)
    books = table(run, "books")
    assert status == 1
    assert books["rewritten"] is True
    assert books["rows"] == BOOKS
    assert books["lock"]["mode"] == "ACCESS EXCLUSIVE"
    assert f"rewrote books ({BOOKS:,} rows)" in run["over_budget"]
    allowed, _, _ = rehearse(
        make_app, shelf, migrations, "--make-copy", "--allow-rewrite", "--max-exclusive-lock", "60"
    )
    assert allowed == 0
    assert report["round_trip"] == []
    assert report["ok"] is False
    assert rehearsal_copies(shelf) == []


def test_a_nullable_column_passes_and_leaves_the_apps_database_as_it_was(
    make_app, shelf, migrations
):
    copy = make_url(shelf).set(database=make_url(shelf).database + "_branch")
    copy_url = copy.render_as_string(hide_password=False)
    with admin(shelf) as cursor:
        cursor.execute(f'CREATE DATABASE "{copy.database}" TEMPLATE "{make_url(shelf).database}"')
    migrations(
        "add-isbn",
        "op.add_column('books', sa.Column('isbn', sa.Text()))",
        "op.drop_column('books', 'isbn')",
    )
    try:
        status, report, _ = rehearse(
            make_app, shelf, migrations, "--no-rewrite", DATABASE_REHEARSAL_URL=copy_url
        )
        isbn_on_the_copy = one(
            copy_url, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'isbn'"
        )
    finally:
        with admin(shelf) as cursor:
            cursor.execute(f'DROP DATABASE "{copy.database}" WITH (FORCE)')

    run = only_revision(report)
    books = table(run, "books")
    assert status == 0
    assert report["ok"] is True
    assert books["rewritten"] is False
    assert books["lock"]["mode"] == "ACCESS EXCLUSIVE"
    assert books["lock"]["seconds"] < 0.5
    assert (books["inserted"], books["updated"], books["deleted"]) == (0, 0, 0)
    assert run["down_error"] is None and run["down_seconds"] is not None
    assert report["round_trip"] == []
    assert isbn_on_the_copy == 1
    assert one(shelf, "SELECT version_num FROM alembic_version") == HEAD
    assert (
        one(shelf, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'isbn'")
        == 0
    )


def test_a_unique_index_that_fails_on_the_rows_names_the_revision_and_postgresqls_message(
    make_app, shelf, migrations
):
    revision = migrations(
        "unique-author-per-book",
        "op.create_index('ix_books_one_per_author', 'books', ['author_id'], unique=True)",
    )

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy")
    text_status, text_report = rehearse_as_text(make_app, shelf, migrations)

    run = only_revision(report)
    assert status == 1
    assert run["revision"] == revision
    assert 'could not create unique index "ix_books_one_per_author"' in run["error"]
    assert "is duplicated" in run["error"]
    assert report["round_trip"] is None
    assert text_status == 1
    assert f"unique-author-per-book ({revision}): FAILED after" in text_report
    assert rehearsal_copies(shelf) == []


def rehearse_as_text(make_app, shelf, migrations, *options):
    runner = make_app(shelf).test_cli_runner()
    result = runner.invoke(
        args=["db", "rehearse", "-d", str(migrations.folder), "--make-copy", *options],
        env={"DATABASE_REHEARSAL_URL": None},
    )
    return result.exit_code, result.stdout


def test_a_batched_backfill_counts_its_rows_and_holds_no_long_lock(make_app, shelf, migrations):
    migrations(
        "add-shelf-marks",
        """
        op.add_column('books', sa.Column('shelf_mark', sa.Text()))
        if op.get_context().as_sql:  # squawk's look at the SQL: the batches need rows
            return
        with op.get_context().autocommit_block():
            last = op.get_bind().execute(sa.text('SELECT max(id) FROM books')).scalar()
            for first in range(1, last + 1, 10_000):
                op.execute(
                    f"UPDATE books SET shelf_mark = 'B' || id "
                    f"WHERE id BETWEEN {first} AND {first + 9_999}"
                )
        """,
        "op.drop_column('books', 'shelf_mark')",
    )

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy")

    books = table(only_revision(report), "books")
    assert status == 0, report
    assert books["updated"] == BOOKS
    assert books["rewritten"] is False
    assert books["lock"]["mode"] == "ACCESS EXCLUSIVE"
    assert books["lock"]["seconds"] < 0.5


def test_a_long_exclusive_lock_breaks_its_budget(make_app, shelf, migrations):
    migrations(
        "hold-books",
        """
        op.execute('LOCK TABLE books IN ACCESS EXCLUSIVE MODE')
        op.execute('SELECT pg_sleep(1.5)')
        """,
    )

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy")

    run = only_revision(report)
    books = table(run, "books")
    assert status == 1
    assert books["lock"]["mode"] == "ACCESS EXCLUSIVE"
    assert books["lock"]["seconds"] >= 1.5
    assert run["over_budget"] == [
        f"held ACCESS EXCLUSIVE on books ({BOOKS:,} rows) for {books['lock']['seconds']:.2f} s, "
        "over --max-exclusive-lock 1.0 s"
    ]


def test_a_lock_outside_a_transaction_is_seen_by_the_second_connection(make_app, shelf, migrations):
    """An autocommit block's statement takes and drops its lock within itself, where the
    migration's own connection cannot see it afterwards."""
    migrations(
        "add-shelved-at-outside",
        """
        with op.get_context().autocommit_block():
            op.execute(
                'ALTER TABLE books ADD COLUMN shelved_at timestamptz NOT NULL '
                'DEFAULT clock_timestamp()'
            )
        """,
        "op.drop_column('books', 'shelved_at')",
    )

    _, report, _ = rehearse(make_app, shelf, migrations, "--make-copy", "--allow-rewrite")

    books = table(only_revision(report), "books")
    assert books["rewritten"] is True
    assert books["lock"]["mode"] == "ACCESS EXCLUSIVE"
    assert books["lock"]["seconds"] > 0.1


def test_a_slow_revision_says_what_it_is_doing_and_breaks_the_duration_budget(
    make_app, shelf, migrations
):
    migrations("wait-a-while", "op.execute('SELECT pg_sleep(6)')")

    status, report, said = rehearse(
        make_app, shelf, migrations, "--make-copy", "--max-duration", "2"
    )

    run = only_revision(report)
    assert status == 1
    assert run["over_budget"] == [f"took {run['seconds']:.1f} s, over --max-duration 2.0 s"]
    assert "s so far; for " in said
    assert "SELECT pg_sleep(6)" in said


def test_a_downgrade_that_leaves_an_index_behind_fails_the_round_trip(make_app, shelf, migrations):
    migrations("index-titles", "op.create_index('ix_books_title', 'books', ['title'])")

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy")

    assert status == 1
    assert report["round_trip"] == [
        "after down + index CREATE INDEX ix_books_title ON public.books USING btree (title)",
        'up again failed: relation "ix_books_title" already exists',
    ]


@contextmanager
def rehearsing_a_long_revision(shelf: str, migrations, tmp_path) -> Iterator:
    """`flask db rehearse --make-copy` in a process of its own, with a revision that sleeps
    for a minute, and the pid of the copy's backend once it sleeps; killed on the way out."""
    migrations("wait-long", "op.execute('SELECT pg_sleep(60)')")
    command = ["db", "rehearse", "-d", str(migrations.folder), "--make-copy"]
    rehearsal = subprocess.Popen(
        [sys.executable, "-m", "flask", *command],
        cwd=PROJECT_ROOT,
        env={"DATABASE_URL": shelf, "INSTANCE_PATH": str(tmp_path), "PATH": os.environ["PATH"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield rehearsal, sleeping(shelf)
    finally:
        rehearsal.kill()


def sleeping(shelf: str) -> int:
    """The backend of a rehearsal's copy running pg_sleep, once it does."""
    deadline = time.monotonic() + 60
    query = (
        "SELECT pid FROM pg_stat_activity WHERE datname LIKE %s AND query LIKE 'SELECT pg_sleep%%'"
    )
    while True:
        with admin(shelf) as cursor:
            cursor.execute(query, (f"{make_url(shelf).database}_rehearsal_%",))
            found = cursor.fetchone()
        if found:
            return found[0]
        assert time.monotonic() < deadline, "the rehearsal did not reach its revision"
        time.sleep(0.1)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_rehearsal_drops_its_copy_and_leaves_the_app_alone(
    shelf, migrations, tmp_path, signal_number
):
    with rehearsing_a_long_revision(shelf, migrations, tmp_path) as (rehearsal, _):
        rehearsal.send_signal(signal_number)
        _, said = rehearsal.communicate(timeout=30)

    assert rehearsal.returncode != 0
    assert "Traceback" not in said
    assert rehearsal_copies(shelf) == []
    assert one(shelf, "SELECT version_num FROM alembic_version") == HEAD


def test_a_lost_connection_fails_the_revision_and_drops_the_copy(shelf, migrations, tmp_path):
    with rehearsing_a_long_revision(shelf, migrations, tmp_path) as (rehearsal, backend):
        with admin(shelf) as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", (backend,))
        report, said = rehearsal.communicate(timeout=30)

    assert rehearsal.returncode == 1
    assert "wait-long" in report and "FAILED after" in report
    assert "Traceback" not in said
    assert rehearsal_copies(shelf) == []


def test_to_stops_at_the_revision_it_names(make_app, shelf, migrations):
    first = migrations(
        "add-isbn",
        "op.add_column('books', sa.Column('isbn', sa.Text()))",
        "op.drop_column('books', 'isbn')",
    )
    migrations("index-titles", "op.create_index('ix_books_title', 'books', ['title'])")

    status, report, _ = rehearse(make_app, shelf, migrations, "--make-copy", "--to", first)
    unknown, _, said = rehearse(make_app, shelf, migrations, "--make-copy", "--to", "nosuch")

    assert status == 0
    assert [run["revision"] for run in report["revisions"]] == [first]
    assert report["target"] == first
    assert unknown == 1
    assert said.startswith("Error: ") and "nosuch" in said
    assert len(said.strip().splitlines()) == 1


def test_it_refuses_the_apps_own_database_however_written(make_app, shelf, migrations):
    migrations("add-isbn", "op.add_column('books', sa.Column('isbn', sa.Text()))")
    url = make_url(shelf)
    other_name = "localhost" if url.host == "127.0.0.1" else "127.0.0.1"
    same = url.set(host=other_name).render_as_string(hide_password=False)

    status, report, said = rehearse(make_app, shelf, migrations, "--copy-url", same)

    assert status == 1
    assert report is None
    assert said.strip().splitlines() == [
        "Error: The copy's URL is the app's own database: a rehearsal runs on a copy, never on "
        "the database the app serves."
    ]
    assert (
        one(shelf, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'isbn'")
        == 0
    )


def test_it_refuses_when_the_migrations_are_current(make_app, shelf, migrations):
    status, _, said = rehearse(make_app, shelf, migrations, "--make-copy")

    assert status == 1
    assert said.strip() == f"Error: Nothing to rehearse: the database is already at {HEAD}."
    assert rehearsal_copies(shelf) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "Say where to rehearse: --copy-url URL (or DATABASE_REHEARSAL_URL), or --make-copy."),
        (["--make-copy", "--copy-url", "postgresql://x@y/z"], "Say where to rehearse"),
    ],
)
def test_it_asks_for_one_copy(make_app, shelf, migrations, options, message):
    status, _, said = rehearse(make_app, shelf, migrations, *options)

    assert status == 2
    assert message in said


def test_a_copy_that_is_not_postgresql_is_refused(make_app, shelf, migrations, tmp_path):
    copy = f"sqlite:///{tmp_path / 'copy.sqlite'}"

    status, _, said = rehearse(make_app, shelf, migrations, "--copy-url", copy)

    assert status == 1
    assert said.strip() == "Error: --copy-url must be a PostgreSQL URL."


def test_on_sqlite_it_says_it_needs_postgresql(make_app, tmp_path, migrations):
    status, _, said = rehearse(
        make_app, f"sqlite:///{tmp_path / 'shelf.sqlite'}", migrations, "--make-copy"
    )

    assert status == 1
    assert said.strip() == "Error: Rehearsals run on PostgreSQL; the app's database is SQLite."


def test_every_revision_of_the_project_rehearses_within_budget(make_app):
    """From the first revision, on 100,000 books by 10,000 authors (written in SQL: the
    models of later revisions do not fit its tables), to the head, with the default budget:
    a revision that would stall production fails here, and so fails CI."""
    first = oldest_first()[0].revision
    with new_database("first_revision") as url:
        app = make_app(url)
        assert app.test_cli_runner().invoke(args=["db", "upgrade", first]).exit_code == 0
        one(
            url,
            "INSERT INTO authors (name) SELECT 'Author ' || n FROM generate_series(1, 10000) n; "
            "INSERT INTO books (title, author_id) SELECT 'Book ' || n || ' of the shelf', "
            "1 + n %% 10000 FROM generate_series(1, %s) n; ANALYZE; SELECT 1",
            (BOOKS,),
        )
        result = app.test_cli_runner().invoke(
            args=["db", "rehearse", "--make-copy"], env={"DATABASE_REHEARSAL_URL": None}
        )

    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith(f"Rehearsed on {make_url(url).database[:40]}_rehearsal_")
    assert result.stdout.rstrip().endswith("Passed.")
