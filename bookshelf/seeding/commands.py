"""The `flask` commands Bookshelf adds."""

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bookshelf.errors import cannot_reach_the_database, database_error_cause
from bookshelf.extensions import db
from bookshelf.schema.version import schema_version
from bookshelf.seeding.bulk_load import load_synthetic_shelf
from bookshelf.seeding.sample_shelf import SAMPLE_SHELF, seed_sample_shelf


@click.command("seed")
@click.option(
    "--authors",
    type=click.IntRange(min=1, max=1_000_000),
    help="Load this many synthetic authors instead of the sample shelf.",
)
@click.option(
    "--books",
    type=click.IntRange(min=0, max=100_000_000),
    help="How many synthetic books they hold between them (with --authors).",
)
@click.option(
    "--random-seed",
    type=int,
    default=1,
    show_default=True,
    help="The same seed gives the same synthetic shelf.",
)
@with_appcontext
def seed_command(authors: int | None, books: int | None, random_seed: int) -> None:
    """Load the sample shelf of Neon's guide (3 authors, 7 books), or with --authors and
    --books a synthetic shelf of any size.

    The sample shelf is safe to load again: what is already there is left as it is.
    Everything is written in one transaction, so a failure, or the command being
    killed, leaves the database as it was.
    """
    if (authors is None) != (books is None):
        raise click.UsageError("--authors and --books go together.")
    require_current_schema()
    if authors is None:
        seed_sample()
    else:
        seed_synthetic(authors, books, random_seed)


def require_current_schema() -> None:
    try:
        with db.engine.connect() as connection:
            version = schema_version(connection.execute)
    except OperationalError as error:
        raise cannot_reach_the_database(error, "DATABASE_URL") from None
    if not version.current:
        raise click.ClickException(version.explanation())


def seed_sample() -> None:
    try:
        result = seed_sample_shelf(db.session)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(
            f"Seeding failed, nothing was written: {database_error_cause(error)}"
        ) from None
    if result.authors_added or result.books_added:
        click.echo(
            f"Added {result.authors_added} authors and {result.books_added} books "
            "from the sample shelf."
        )
    else:
        total_books = sum(len(entry["books"]) for entry in SAMPLE_SHELF)
        click.echo(
            f"The sample shelf ({len(SAMPLE_SHELF)} authors, {total_books} books) "
            "is already loaded; nothing added."
        )


def seed_synthetic(authors: int, books: int, random_seed: int) -> None:
    label = f"Loading {authors:,} authors and {books:,} books"
    try:
        with (
            db.engine.begin() as connection,
            click.progressbar(length=authors + books, label=label, file=sys.stderr) as bar,
        ):
            result = load_synthetic_shelf(connection, authors, books, random_seed, bar.update)
    # COPY goes straight through the driver, so its errors come as the driver's own.
    except (SQLAlchemyError, db.engine.dialect.loaded_dbapi.Error) as error:
        raise click.ClickException(
            f"Loading failed, nothing was written: {database_error_cause(error)}"
        ) from None
    click.echo(
        f"Loaded {result.authors:,} authors and {result.books:,} books in "
        f"{result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s)."
    )
