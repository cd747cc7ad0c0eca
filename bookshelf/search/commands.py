"""`flask search`: looking after the search keys from the command line."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from bookshelf.errors import cannot_reach_the_database, database_error_cause
from bookshelf.extensions import db
from bookshelf.schema.version import names_a_missing_table_or_column, schema_version
from bookshelf.search.backfill import backfill_search_keys, shelf_rows

search_command = AppGroup("search", help="The search keys names and titles are found by.")


@search_command.command("backfill")
def backfill_command() -> None:
    """Bring the search keys of every author and book up to date.

    It works in batches of a few thousand rows, each written in a transaction of its own,
    so the app serves and writes meanwhile. The add-search-keys revision fills in the keys
    of the rows already there, but the release before it writes rows without keys until
    the new code replaces it: a deploy runs this once the new code is up, to fill those in
    (and correct any the old code left stale by renaming an author or retitling a book).
    It can run at any time, as often as wanted: it writes only keys that are wrong.
    Stopped half-way, it keeps what it did.
    """
    try:
        connection = db.engine.connect()
    except OperationalError as error:
        raise cannot_reach_the_database(error, "DATABASE_URL") from None
    try:
        with connection:
            with connection.begin():
                total = shelf_rows(connection)
            label = "Checking the search keys"
            with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
                done = backfill_search_keys(connection, bar.update)
    except DBAPIError as error:
        if names_a_missing_table_or_column(error):
            raise schema_lacks_the_keys() from None
        raise stopped(error) from None
    except SQLAlchemyError as error:
        raise stopped(error) from None
    click.echo(
        f"Checked {done.rows_read:,} rows in {done.seconds:.1f} s; wrote keys to "
        f"{done.authors_written:,} of the authors and {done.books_written:,} of the books "
        f"(a batch kept its rows locked {done.longest_write:.2f} s at most)."
    )


def schema_lacks_the_keys() -> click.ClickException:
    with db.engine.connect() as connection:
        version = schema_version(connection.execute)
    if version.current:
        return click.ClickException("The database has no search keys.")
    return click.ClickException(version.explanation())


def stopped(error: SQLAlchemyError) -> click.ClickException:
    return click.ClickException(
        f"The backfill stopped ({database_error_cause(error)}). The batches before it are "
        "kept: run it again to finish."
    )
