"""Fixtures: an app on each database backend, with its test client and CLI runner.

Every test that asks for `app` runs twice: on a fresh SQLite file, and on PostgreSQL
when TEST_DATABASE_URL names a database the suite may wipe (its public schema is
dropped and recreated before each test).
"""

import os
import re

import flask_migrate
import pytest
from sqlalchemy import create_engine, event, text

from bookshelf import create_app
from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import hash_password
from bookshelf.accounts.sessions import new_session_token
from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from config import TestingConfig, normalise_database_url
from tests.servers.processes import free_port

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def reset_postgres(url: str) -> None:
    engine = create_engine(normalise_database_url(url))
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
def make_app(tmp_path_factory):
    """Build apps on the given URLs, each with an instance folder of its own; their
    connection pools are closed after the test."""
    apps = []

    def make(database_url: str, direct_url: str | None = None, replica_url: str | None = None):
        instance_path = tmp_path_factory.mktemp("instance")
        app = create_app(TestingConfig(database_url, instance_path, direct_url, replica_url))
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
    return f"postgresql://postgres@127.0.0.1:{free_port()}/bookshelf?connect_timeout=2"


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


CURATOR_EMAIL = "curator@bookshelf.example"
CURATOR_PASSWORD = "a quiet shelf of paper"


@pytest.fixture
def curator(app):
    """A curator's account; gives its id."""
    with app.app_context():
        user = User(
            email=CURATOR_EMAIL,
            password_hash=hash_password(CURATOR_PASSWORD),
            session_token=new_session_token(),
        )
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token_on(page: str) -> str:
    """The CSRF token of the (first) form on a page."""
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def submit(client, url: str, data: dict, form_url: str | None = None):
    """POST `data` to `url` as the form on `form_url` (by default `url`) would, with its
    CSRF token; gives the response, redirects not followed."""
    page = client.get(form_url or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token_on(page), **data})


@pytest.fixture
def curator_client(app, curator):
    """A test client signed in as the curator, through the sign-in form."""
    client = app.test_client()
    response = submit(client, "/login", {"email": CURATOR_EMAIL, "password": CURATOR_PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
