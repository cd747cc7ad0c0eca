"""A shelf to search, on each backend, loaded once for a module's tests: they only read,
and loading it before each of a hundred cases would cost minutes."""

import flask_migrate
import pytest
from sqlalchemy.exc import SQLAlchemyError

from bookshelf import create_app
from bookshelf.extensions import db
from config import TestingConfig
from tests.conftest import POSTGRES_URL, reset_postgres
from tests.search.shelf import load_search_shelf


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def search_app(request, tmp_path_factory):
    """An app whose database is migrated and holds the search shelf (tests/search/shelf.py),
    on a new SQLite file, then on the wiped PostgreSQL test database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'bookshelf.sqlite'}"
    elif POSTGRES_URL:
        reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        pytest.skip("TEST_DATABASE_URL is not set, so the PostgreSQL runs are skipped")
    app = create_app(TestingConfig(url, tmp_path_factory.mktemp("instance")))
    try:
        with app.app_context():
            flask_migrate.upgrade()
            load_search_shelf(db.session)
            db.session.commit()
    except SQLAlchemyError as error:
        close_connections(app)
        # Every case would repeat the traceback, and formatting two hundred takes minutes.
        pytest.fail(f"The search shelf could not be loaded: {error}", pytrace=False)
    yield app
    close_connections(app)


def close_connections(app) -> None:
    """End the app's session and close its pool, so that no open transaction holds locks
    the next test's wipe of the PostgreSQL database would wait on."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def search_client(search_app):
    return search_app.test_client()
