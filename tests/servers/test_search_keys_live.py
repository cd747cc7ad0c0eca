"""add-search-keys, and then add-book-search-vectors, on a shelf of 200,000 books while
gunicorn serves it and the previous release writes to it, as in a deploy: no request
fails, no write fails, no lock that readers or writers would queue behind is held on books
for long, and books is not rewritten; then every book's keys are as
bookshelf.search.words computes them (after `flask search backfill`, as the deploy runs it
once the new code is up), and every book's search vector holds its words."""

import re
import threading
import time
from dataclasses import dataclass

import psycopg2
from sqlalchemy import text

from bookshelf.extensions import db
from tests.schema.revisions import revision_id
from tests.schema.test_search_key_revisions import keys_as_computed
from tests.servers.load import SteadyLoad
from tests.servers.previous_release import Writer

BEFORE_SEARCH_KEYS = revision_id("never-reuse-ids-on-sqlite")
ADD_SEARCH_KEYS = revision_id("add-search-keys")
BEFORE_SEARCH_VECTORS = revision_id("drop-superseded-browsing-indexes")
AUTHORS, BOOKS = 2_000, 200_000
# Pages the code serves before the keys exist as after (it sorts names by the keys).
NEWEST_FIRST = [
    "/authors/?sort=newest",
    "/authors/?sort=newest&page=40",
    "/api/authors/?sort=newest",
]

# The bounds. A lock that readers or writers queue behind (ADD COLUMN's) lasts as long as a
# change to the catalogue, a few milliseconds; rewriting 200,000 books, or waiting behind
# a long transaction for the lock, would take seconds. A batch keeps 5,000 rows locked
# while it writes them: 0.3 to 0.8 s on this project's 2-core test machine, up to 2 s when
# other work shares it; one transaction over the whole backfill would keep them for the
# minute the backfill takes. A write waits behind at most one batch; a read behind none.
LONGEST_TABLE_LOCK = 1.0
LONGEST_ROW_LOCKS = 5.0
LONGEST_WRITE = LONGEST_ROW_LOCKS + 1.0
LONGEST_READ = 3.0


class LockWatch:
    """Polls pg_locks from a thread of its own: for each lock on a table in a mode that
    readers or writers queue behind, held or waited for, how long it was seen. CONCURRENTLY
    builds take SHARE UPDATE EXCLUSIVE, which neither waits for."""

    MODES = ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
    POLL = 0.005

    def __init__(self, url: str, table: str) -> None:
        self.url, self.table = url, table
        self.seen: list[tuple[str, float]] = []  # (mode, seconds)
        self.polls = 0
        self._open: dict[tuple[int, str], list[float]] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "LockWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)

    def longest(self) -> float:
        """The longest lock seen, plus the time between polls that it may have lasted."""
        return max((seconds for _, seconds in self.seen), default=0.0) + self.POLL

    def _run(self) -> None:
        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not self._stopping.is_set():
                cursor.execute(
                    "SELECT pid, mode FROM pg_locks "
                    "WHERE locktype = 'relation' AND relation = %s::regclass "
                    "AND mode = ANY(%s)",
                    (self.table, self.MODES),
                )
                self._note(set(cursor.fetchall()), time.monotonic())
                self.polls += 1
                time.sleep(self.POLL)
        connection.close()
        self._note(set(), time.monotonic())

    def _note(self, locks: set, now: float) -> None:
        for lock in locks:
            self._open.setdefault(lock, [now, now])[1] = now
        for lock in set(self._open) - locks:
            first, last = self._open.pop(lock)
            self.seen.append((lock[1], last - first))


def table_file(app, table: str) -> int:
    """The table's file on disk, which a rewrite replaces."""
    with app.app_context():
        statement = text("SELECT relfilenode FROM pg_class WHERE relname = :table")
        return db.session.execute(statement, {"table": table}).scalar_one()


@dataclass
class Deploy:
    """A revision applied to a shelf of BOOKS books while gunicorn serves it and the
    previous release writes to it, and what was seen meanwhile."""

    app: object
    server: object
    author_ids: list[int]
    upgrade: object
    writer: Writer


def deploy(make_app, postgres_url, gunicorn, before: str, upgrade_to: str | None) -> Deploy:
    """Seed at the latest revision (where `flask seed` runs), go back to `before` (the shelf
    as the previous release left it), then upgrade to `upgrade_to` (the latest if None)
    under load; check that no request or write failed, no lock that readers or writers
    queue behind was held long, no batch held its rows long, and books was not rewritten."""
    app = make_app(postgres_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    seeded = runner.invoke(args=["seed", "--authors", str(AUTHORS), "--books", str(BOOKS)])
    assert seeded.exit_code == 0, seeded.output
    assert runner.invoke(args=["db", "downgrade", before]).exit_code == 0
    with app.app_context():
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        author_ids = list(db.session.execute(text("SELECT id FROM authors")).scalars())
    books_file = table_file(app, "books")
    server = gunicorn(postgres_url)

    with (
        SteadyLoad(server, NEWEST_FIRST) as load,
        Writer(postgres_url, author_ids) as writer,
        LockWatch(postgres_url, "books") as locks,
    ):
        load.wait_for(20)
        upgrade_started = time.monotonic()
        upgrade = runner.invoke(args=["db", "upgrade", *([upgrade_to] if upgrade_to else [])])
        load.wait_for(20)

    assert upgrade.exit_code == 0, upgrade.output
    assert load.failures() == []
    assert len(load.answers) >= 40
    # The first answers, before the upgrade, include the workers' start.
    during = [answer.seconds for answer in load.answers if answer.at > upgrade_started]
    assert max(during) < LONGEST_READ
    assert writer.errors == []
    assert writer.writes >= 50
    assert locks.polls >= 100
    assert locks.longest() < LONGEST_TABLE_LOCK, locks.seen
    [row_locks] = re.findall(r"a batch kept its rows locked ([\d.]+) s at most", upgrade.output)
    assert float(row_locks) < LONGEST_ROW_LOCKS
    assert writer.longest < LONGEST_WRITE
    assert table_file(app, "books") == books_file
    return Deploy(app, server, author_ids, upgrade, writer)


def test_the_search_keys_arrive_while_the_shelf_is_read_and_written(
    make_app, postgres_url, gunicorn
):
    done = deploy(make_app, postgres_url, gunicorn, BEFORE_SEARCH_KEYS, ADD_SEARCH_KEYS)

    # The deploy's last step, once the new code is up: the rows the previous release added,
    # retitled and renamed while the revision ran get their keys.
    backfill = done.app.test_cli_runner().invoke(args=["search", "backfill"])
    assert backfill.exit_code == 0, backfill.output
    stored, computed = keys_as_computed(done.app)
    assert len(stored[1]) == BOOKS + done.writer.writes
    assert stored == computed
    for path in ["/authors/", f"/authors/{done.author_ids[0]}"]:
        assert done.server.get(path)[0] == 200


def test_the_search_vectors_arrive_while_the_shelf_is_read_and_written(
    make_app, postgres_url, gunicorn
):
    done = deploy(make_app, postgres_url, gunicorn, BEFORE_SEARCH_VECTORS, None)

    # Books written before the trigger were filled in by the batches, and books written
    # after it by the trigger: none is left out, and each holds exactly its words.
    with done.app.app_context():
        rows = db.session.execute(
            text("SELECT search_text, tsvector_to_array(search_vector) FROM books")
        ).all()
    assert len(rows) == BOOKS + done.writer.writes
    assert all(
        vector is not None and sorted(set((search_text or "").split())) == sorted(vector)
        for search_text, vector in rows
    )
    assert done.server.get("/search?q=the")[0] == 200
