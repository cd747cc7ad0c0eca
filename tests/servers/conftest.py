"""Fixtures for the tests that start real servers of their own: a throwaway PostgreSQL
cluster (for stopping and restarting), PgBouncer, and gunicorn serving Bookshelf. The
helpers that start them are the modules beside this file."""

import shutil

import pytest

from bookshelf import PROJECT_ROOT
from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD
from tests.servers.gunicorn import Gunicorn
from tests.servers.pgbouncer import PgBouncer
from tests.servers.postgres import ThrowawayPostgres, postgres_program

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


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
        server = Gunicorn(tmp_path / f"gunicorn-{len(servers)}.log", database_url, **environment)
        servers.append(server)
        server.start()
        return server

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def shelf(migrated, make_app, database_url):
    """A migrated, seeded database with the curator's account, made by `flask users`."""
    url = migrated(database_url)
    result = (
        make_app(url)
        .test_cli_runner()
        .invoke(args=["users", "create", CURATOR_EMAIL, "--password-stdin"], input=CURATOR_PASSWORD)
    )
    assert result.exit_code == 0, result.output
    return url
