"""The `flask` commands Bookshelf adds."""

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bookshelf.database import database_error_cause, schema_is_current
from bookshelf.extensions import db
from bookshelf.sample_shelf import SAMPLE_SHELF, seed_sample_shelf


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the sample shelf of Neon's guide (3 authors, 7 books).

    Safe to run again: what is already there is left as it is. Everything is
    written in one transaction, so a failure leaves the database unchanged.
    """
    try:
        if not schema_is_current():
            raise click.ClickException(
                "The database schema is not up to date: run `flask db upgrade` first."
            )
    except OperationalError as error:
        raise click.ClickException(
            f"Cannot reach the database ({database_error_cause(error)}). "
            "Check DATABASE_URL and that the server is running."
        ) from None
    try:
        result = seed_sample_shelf(db.session)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(
            f"Seeding failed, nothing was written: {database_error_cause(error)}"
        ) from None
    total_books = sum(len(entry["books"]) for entry in SAMPLE_SHELF)
    if result.authors_added or result.books_added:
        click.echo(
            f"Added {result.authors_added} authors and {result.books_added} books "
            f"from the sample shelf."
        )
    else:
        click.echo(
            f"The sample shelf ({len(SAMPLE_SHELF)} authors, {total_books} books) "
            "is already loaded; nothing added."
        )
