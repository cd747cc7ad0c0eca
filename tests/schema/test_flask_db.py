"""`flask db ...` as the README and Alembic's documentation write it, and one line, not a
traceback, when it cannot run."""

import subprocess
import sys

import psycopg2
import pytest

from bookshelf import PROJECT_ROOT
from bookshelf.extensions import db
from bookshelf.schema.migration_lock import MIGRATION_LOCK_KEY
from bookshelf.schema.version import schema_version
from tests.schema.revisions import oldest_first, revision_id


@pytest.fixture
def upgraded(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    return runner


def applied(app) -> list[str]:
    """The revisions the app's database is at."""
    with app.app_context(), db.engine.connect() as connection:
        return sorted(schema_version(connection.execute).applied)


@pytest.mark.parametrize("steps", [1, 2])
def test_downgrade_by_relative_steps(empty_app, upgraded, steps):
    revisions = [revision.revision for revision in oldest_first()]

    result = upgraded.invoke(args=["db", "downgrade", f"-{steps}"])

    assert result.exit_code == 0, result.output
    assert applied(empty_app) == [revisions[-1 - steps]]


def test_downgrade_to_a_revision_id_and_to_base(empty_app, upgraded):
    add_country = revision_id("add-country-to-author")

    assert upgraded.invoke(args=["db", "downgrade", add_country]).exit_code == 0
    assert applied(empty_app) == [add_country]
    assert upgraded.invoke(args=["db", "downgrade", "base"]).exit_code == 0
    assert applied(empty_app) == []
    assert upgraded.invoke(args=["db", "upgrade"]).exit_code == 0
    assert applied(empty_app) == [oldest_first()[-1].revision]


@pytest.mark.parametrize("command", [["upgrade"], ["current"], ["check"], ["downgrade", "-1"]])
def test_a_database_that_does_not_answer_is_one_line(make_app, unreachable_postgres_url, command):
    runner = make_app(unreachable_postgres_url).test_cli_runner()

    result = runner.invoke(args=["db", *command])

    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach the database (")
    assert result.output.rstrip().endswith("Check DATABASE_URL and that the server is running.")
    assert len(result.output.strip().splitlines()) == 1


def flask_command(tmp_path, database_url: str, *args: str) -> dict:
    """How subprocess runs `flask ARGS` on `database_url`, as a shell would."""
    return {
        "args": [sys.executable, "-m", "flask", *args],
        "cwd": PROJECT_ROOT,
        "env": {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path),
            "PATH": "",
            "PYTHONUNBUFFERED": "1",  # each line as it is written
        },
        "text": True,
    }


def run_flask(tmp_path, database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        **flask_command(tmp_path, database_url, *args), capture_output=True, timeout=60
    )


def test_upgrades_started_together_take_turns(make_app, postgres_url, tmp_path):
    """A deploy that starts several instances at once, each running `flask db upgrade`: they
    queue for the migration lock (held first here, as by a migration already running), then
    one migrates and the others find nothing to do."""
    holder = psycopg2.connect(postgres_url)
    holder.autocommit = True
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
            upgrades = [
                subprocess.Popen(
                    **flask_command(tmp_path, postgres_url, "db", "upgrade"),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
                for _ in range(4)
            ]
            said = [upgrade.stdout.readline() for upgrade in upgrades]
            assert all("waiting for it to finish" in line for line in said), said
            cursor.execute("SELECT to_regclass('alembic_version')")
            assert cursor.fetchone()[0] is None
    finally:
        holder.close()  # which lets the lock go
    outputs = [upgrade.communicate(timeout=120) for upgrade in upgrades]

    assert [upgrade.returncode for upgrade in upgrades] == [0] * len(upgrades)
    log = "".join(stderr for _, stderr in outputs)
    for revision in oldest_first():
        assert log.count(f"-> {revision.revision},") == 1, log
    assert applied(make_app(postgres_url)) == [oldest_first()[-1].revision]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "Error: DATABASE_URL is not a database URL; expected something like"),
        ("mysql://reader@db.example/shelf", "Error: DATABASE_URL is a mysql:// URL, which"),
    ],
)
@pytest.mark.parametrize("args", [["--help"], ["db", "upgrade"], ["seed"]])
def test_a_bad_database_url_is_one_line_with_no_traceback(tmp_path, url, message, args):
    result = run_flask(tmp_path, url, *args)

    [line] = result.stderr.splitlines()
    assert line.startswith(message)
    assert result.returncode == 1


def test_an_unsupported_database_names_the_supported_ones(tmp_path):
    result = run_flask(tmp_path, "mysql://reader@db.example/shelf", "db", "upgrade")
    assert "PostgreSQL (postgresql://" in result.stderr
    assert "SQLite (sqlite:///" in result.stderr
