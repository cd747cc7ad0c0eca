"""Migrations on a live PostgreSQL: they give up rather than stall readers behind a lock,
and the browsing indexes can be dropped and rebuilt under traffic."""

import threading
import time
from contextlib import contextmanager

import psycopg2
import pytest
from sqlalchemy import text

from bookshelf.extensions import db
from tests.schema.revisions import oldest_first, revision_id
from tests.servers.load import SteadyLoad
from tests.servers.previous_release import Writer

# The revisions before add-book-count-to-author (which alters authors) and before
# add-browsing-indexes.
ADD_COUNTRY = revision_id("add-country-to-author")
ADD_BOOK_COUNT = revision_id("add-book-count-to-author")
LOCK_TIMEOUT = 1.0
# The other session keeps its lock this long. Without the lock limit the migration would
# wait all of it, and readers would queue behind the migration: the bounds below are
# the widest that still tell the two apart.
LOCK_HELD_FOR = 10.0
MAX_MIGRATION_WAIT = LOCK_HELD_FOR - 2  # the CLI's own start-up included
MAX_READER_WAIT = LOCK_HELD_FOR / 2
# Pages the code serves on every schema since add-browsing-indexes: it sorts names and
# titles by the search keys, which only add-search-keys brings.
NEWEST_FIRST = [
    "/authors/?sort=newest",
    "/authors/?sort=newest&page=300",
    "/api/authors/?sort=newest",
]
# The orders in which writers take the two tables' write locks: a new book's count goes from
# books to authors (the book_count triggers); an author restored with their books, from
# authors to books.
WRITERS_ORDERS = [("books", "authors"), ("authors", "books")]


@pytest.fixture
def reader_latencies(postgres_url):
    """Read authors over and over from a thread while the test runs; gives the latencies."""
    latencies: list[float] = []
    stopping = threading.Event()

    def read() -> None:
        connection = psycopg2.connect(postgres_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not stopping.is_set() and len(latencies) < 10_000:
                started = time.monotonic()
                cursor.execute("SELECT count(*) FROM authors")
                latencies.append(time.monotonic() - started)
                time.sleep(0.01)
        connection.close()

    thread = threading.Thread(target=read, daemon=True)
    yield latencies, thread.start
    stopping.set()
    if thread.is_alive():
        thread.join(timeout=30)


@pytest.fixture
def impatient_runner(make_app, postgres_url):
    """`flask ...` on the test database, with migrations waiting LOCK_TIMEOUT for a lock."""
    app = make_app(postgres_url)
    app.config["MIGRATION_LOCK_TIMEOUT"] = f"{LOCK_TIMEOUT:g}s"
    return app.test_cli_runner()


@contextmanager
def lock_held_by_a_long_transaction(postgres_url: str, statement: str):
    """Another session runs `statement` in a transaction and keeps its locks until the
    block ends or LOCK_HELD_FOR passes (a migration that waited for ever ends then)."""
    holder = psycopg2.connect(postgres_url)
    holder.cursor().execute(statement)
    release = threading.Timer(LOCK_HELD_FOR, holder.rollback)
    release.start()
    try:
        yield
    finally:
        release.cancel()
        holder.rollback()
        holder.close()


def timed_upgrade(runner):
    started = time.monotonic()
    result = runner.invoke(args=["db", "upgrade"])
    return result, time.monotonic() - started


def test_a_migration_held_up_by_a_lock_gives_up_and_readers_keep_going(
    impatient_runner, postgres_url, reader_latencies
):
    runner = impatient_runner
    assert runner.invoke(args=["db", "upgrade", ADD_COUNTRY]).exit_code == 0

    # A transaction that has read authors holds a lock the ALTER must wait for.
    with lock_held_by_a_long_transaction(postgres_url, "SELECT count(*) FROM authors"):
        latencies, start_reading = reader_latencies
        start_reading()
        time.sleep(0.3)
        result, waited = timed_upgrade(runner)
        time.sleep(0.3)

    assert result.exit_code == 1
    [error] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "lock timeout" in error
    assert "retry" in error
    assert "Traceback" not in result.output
    assert waited < MAX_MIGRATION_WAIT
    assert len(latencies) > 20
    assert max(latencies) < MAX_READER_WAIT

    # With the long transaction over, the same upgrade goes through.
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_the_browsing_indexes_rebuild_under_live_traffic(
    make_app, postgres_url, migrated, gunicorn
):
    migrated(postgres_url)
    app = make_app(postgres_url)
    with app.app_context():
        # Enough rows that the planner prefers the index to a sort.
        db.session.execute(
            text(
                "INSERT INTO authors (name, country) SELECT 'Author ' || n, 'Chile' "
                "FROM generate_series(1, 20000) AS n"
            )
        )
        db.session.commit()
        db.session.execute(text("ANALYZE authors"))
        db.session.commit()
    server = gunicorn(postgres_url)
    runner = app.test_cli_runner()

    with SteadyLoad(server, NEWEST_FIRST) as load:
        load.wait_for(10)
        downgrade = runner.invoke(args=["db", "downgrade", ADD_BOOK_COUNT])
        load.wait_for(10)
        upgrade = runner.invoke(args=["db", "upgrade"])
        load.wait_for(10)

    assert downgrade.exit_code == 0, downgrade.output
    assert upgrade.exit_code == 0, upgrade.output
    assert len(load.answers) >= 30
    assert load.failures() == []
    with app.app_context():
        plan = db.session.execute(
            text(
                "EXPLAIN SELECT id FROM authors ORDER BY created_at DESC, id DESC "
                "LIMIT 25 OFFSET 7500"
            )
        ).scalars()
        assert "ix_authors_created_at_id" in "\n".join(plan)


def test_an_index_build_held_up_by_a_lock_gives_up_too(impatient_runner, postgres_url):
    """CONCURRENTLY builds run outside a transaction; the lock limit holds there as well."""
    runner = impatient_runner
    assert runner.invoke(args=["db", "upgrade", ADD_BOOK_COUNT]).exit_code == 0

    with lock_held_by_a_long_transaction(postgres_url, "LOCK TABLE authors IN SHARE MODE"):
        result, waited = timed_upgrade(runner)

    assert result.exit_code == 1
    assert "lock timeout" in result.output
    assert waited < MAX_MIGRATION_WAIT
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with runner.app.app_context():
        # The limit was the migration's: the app's pooled connection is back to none.
        assert db.session.execute(text("SHOW lock_timeout")).scalar() == "0"


def test_the_curating_revisions_apply_while_the_shelf_is_read_and_written(
    make_app, postgres_url, migrated, gunicorn
):
    """Users, row versions and the changes table arrive while gunicorn serves readers and
    the catalogue is being written, as in a deploy: no failed read, no failed write. The
    writes are the previous release's, since the forms need what these revisions add."""
    migrated(postgres_url)
    app = make_app(postgres_url)
    runner = app.test_cli_runner()
    before_accounts = revision_id("add-browsing-indexes")
    assert runner.invoke(args=["db", "downgrade", before_accounts]).exit_code == 0
    with app.app_context():
        author_ids = list(db.session.execute(text("SELECT id FROM authors")).scalars())
        books_before = db.session.execute(text("SELECT count(*) FROM books")).scalar()
    server = gunicorn(postgres_url)

    with SteadyLoad(server, NEWEST_FIRST) as load, Writer(postgres_url, author_ids) as writer:
        load.wait_for(20)
        upgrade = runner.invoke(args=["db", "upgrade"])
        load.wait_for(20)

    assert upgrade.exit_code == 0, upgrade.output
    assert len(load.answers) >= 40
    assert load.failures() == []
    assert writer.errors == []
    assert writer.writes >= 20
    with app.app_context():
        books = db.session.execute(text("SELECT count(*), max(version) FROM books")).one()
        counted = db.session.execute(text("SELECT sum(book_count) FROM authors")).scalar()
    assert books == (books_before + writer.writes, 1)
    assert counted == books_before + writer.writes


@pytest.mark.parametrize(("first", "second"), WRITERS_ORDERS)
def test_each_revision_since_the_browsing_indexes_waits_for_a_writer_instead_of_deadlocking(
    make_app, postgres_url, migrated, first, second
):
    """Each revision is applied, then taken down, one at a time, and then all at once as a
    deploy applies them, while a writer holds one table's write lock and goes on to take the
    other's: the revision waits for the writer (or the writer for it), and neither is ended
    as a deadlock."""
    migrated(postgres_url)
    app = make_app(postgres_url)
    # What is tested is PostgreSQL's deadlock check, which ends a deadlock within a second;
    # the lock limit, which has tests of its own, is kept out of the way.
    app.config["MIGRATION_LOCK_TIMEOUT"] = "30s"
    runner = app.test_cli_runner()
    since = revision_id("add-browsing-indexes")
    assert runner.invoke(args=["db", "downgrade", since]).exit_code == 0
    revisions = [revision.revision for revision in oldest_first()]
    later = revisions[revisions.index(since) + 1 :]
    shelf_version = revision_id("add-shelf-version")
    below_shelf_version = revisions[revisions.index(shelf_version) - 1]

    steps = [
        *(("upgrade", revision) for revision in later),
        *(("downgrade", revision) for revision in reversed([since, *later[:-1]])),
        ("upgrade", "head"),
    ]
    waited = []
    for step in steps:
        result, blockers = beside_a_writer(runner, postgres_url, step, first, second)
        assert result.exit_code == 0, f"{step}, held up by {blockers}: {result.output}"
        if "the writer" in blockers:
            waited.append(step)

    # The writer was in the way where it could have been a deadlock: the test tested.
    assert ("upgrade", shelf_version) in waited
    assert ("downgrade", below_shelf_version) in waited


def beside_a_writer(runner, postgres_url: str, step: tuple[str, str], first: str, second: str):
    """`flask db <step>`, while a writer that holds `first`'s write lock (as a write to it
    does) takes `second`'s once the migration waits for it, or is done, then commits. Gives
    the command's result, and the sessions seen holding the migration up."""
    writer = psycopg2.connect(postgres_url)
    with writer.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {first} IN ROW EXCLUSIVE MODE")
        cursor.execute("SELECT pg_backend_pid()")
        [writer_pid] = cursor.fetchone()
    outcome = {}
    migration = threading.Thread(
        target=lambda: outcome.update(result=runner.invoke(args=["db", *step]))
    )
    migration.start()
    try:
        blockers = until_blocked_by(postgres_url, writer_pid, migration)
        with writer.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {second} IN ROW EXCLUSIVE MODE")
        writer.commit()
    finally:
        writer.close()
        migration.join()
    return outcome["result"], blockers


# Every session of the database that waits for a lock, with who holds it up.
BLOCKERS = """
SELECT blocker.pid, blocker.backend_type, blocker.state, left(blocker.query, 80)
FROM pg_stat_activity AS waiting, unnest(pg_blocking_pids(waiting.pid)) AS holding (pid)
    JOIN pg_stat_activity AS blocker ON blocker.pid = holding.pid
WHERE waiting.datname = current_database()
"""


def until_blocked_by(postgres_url: str, pid: int, migration: threading.Thread) -> set[str]:
    """Watch until a session waits for a lock that session `pid` (the writer) holds, or the
    migration ends; gives the sessions seen holding others up ("the writer" among them, if
    it was)."""
    watcher = psycopg2.connect(postgres_url)
    watcher.autocommit = True
    seen = set()
    try:
        with watcher.cursor() as cursor:
            while migration.is_alive():
                cursor.execute(BLOCKERS)
                for blocker, *what in cursor.fetchall():
                    if blocker == pid:
                        return seen | {"the writer"}
                    seen.add(" ".join(map(str, [blocker, *what])))
                time.sleep(0.01)
        return seen
    finally:
        watcher.close()
