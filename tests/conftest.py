"""Fixtures: an app on each database backend, with its test client and CLI runner.

Every test that asks for `app` runs twice: on a fresh SQLite file, and on PostgreSQL
when TEST_DATABASE_URL names a database the suite may wipe (its public schema is
dropped and recreated before each test).
"""

import os
import shutil
import socket

import flask_migrate
import pytest
from sqlalchemy import create_engine, event, text

from bookshelf import PROJECT_ROOT, create_app
from bookshelf.extensions import db
from bookshelf.models import Author, Book
from config import TestingConfig
from tests.serving import Gunicorn, PgBouncer, ThrowawayPostgres, postgres_program

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def reset_postgres(url: str) -> None:
    engine = create_engine(TestingConfig(url).SQLALCHEMY_DATABASE_URI)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def postgres_url():
    """The PostgreSQL test database, wiped; skips the test where TEST_DATABASE_URL is unset."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set, so the PostgreSQL runs are skipped")
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or the wiped PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bookshelf.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def make_app():
    """Build apps on the given URLs; their connection pools are closed after the test."""
    apps = []

    def make(database_url: str, direct_url: str | None = None):
        app = create_app(TestingConfig(database_url, direct_url))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def empty_app(make_app, database_url):
    """An app whose database has no tables at all."""
    return make_app(database_url)


@pytest.fixture
def app(empty_app):
    """An app whose database is migrated to the latest revision and holds no rows."""
    with empty_app.app_context():
        flask_migrate.upgrade()
    return empty_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def add_author(app):
    """Store an author (and their books) and return their id."""

    def add(name="Ursula K. Le Guin", *, country=None, bio=None, books=()):
        with app.app_context():
            author = Author(name=name, country=country, bio=bio)
            author.books = [Book(title=title) for title in books]
            db.session.add(author)
            db.session.commit()
            return author.id

    return add


@pytest.fixture
def add_authors(app):
    """Store `count` authors named "Author 001"... with `books_each` books apiece, in one go."""

    def add(count, *, books_each=0, country=None):
        with app.app_context():
            for number in range(1, count + 1):
                author = Author(name=f"Author {number:03}", country=country)
                author.books = [Book(title=f"Book {n:03}") for n in range(1, books_each + 1)]
                db.session.add(author)
            db.session.commit()

    return add


@pytest.fixture
def sql_statements(app):
    """The SQL statements the app sends while the test runs, as a list of strings."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    yield statements
    for engine in engines:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def unreachable_postgres_url():
    """A PostgreSQL URL on a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql://postgres@127.0.0.1:{port}/bookshelf?connect_timeout=2"


@pytest.fixture
def artifacts_dir():
    """Where tests leave files for people to look at (screenshots); printed after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter):
    if ARTIFACTS.is_dir() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"Test artifacts (screenshots) are in {ARTIFACTS}")


@pytest.fixture(scope="session")
def throwaway_postgres():
    """A PostgreSQL cluster of the suite's own, for tests that stop and start the server.

    Skipped where PostgreSQL's server programs are not installed; a test that stops it
    starts it again before it ends.
    """
    if not (postgres_program("initdb") and postgres_program("pg_ctl")):
        pytest.skip("initdb and pg_ctl are not installed (PostgreSQL's server programs)")
    cluster = ThrowawayPostgres()
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def throwaway_database(throwaway_postgres, request):
    """A new, empty database in the throwaway cluster, named after the test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return throwaway_postgres.create_database(name)


@pytest.fixture
def migrated(make_app):
    """Bring a database to the latest revision and load the sample shelf; gives its URL."""

    def migrate_and_seed(url: str, seed: bool = True) -> str:
        runner = make_app(url).test_cli_runner()
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        if seed:
            assert runner.invoke(args=["seed"]).exit_code == 0
        return url

    return migrate_and_seed


@pytest.fixture
def pgbouncer(throwaway_postgres, throwaway_database):
    """PgBouncer in transaction mode in front of the test's throwaway database."""
    if not shutil.which("pgbouncer"):
        pytest.skip("pgbouncer is not installed: apt-get install -y pgbouncer")
    database = throwaway_database.rsplit("/", 1)[1]
    bouncer = PgBouncer(throwaway_postgres.port, database)
    try:
        bouncer.start()
        yield bouncer
    finally:
        bouncer.stop()


@pytest.fixture
def gunicorn(tmp_path):
    """Start Bookshelf under gunicorn on a database URL; stopped after the test."""
    servers = []

    def serve(database_url: str, **environment: str) -> Gunicorn:
        server = Gunicorn(tmp_path, database_url, **environment)
        servers.append(server)
        server.start()
        return server

    yield serve
    for server in servers:
        server.stop()
