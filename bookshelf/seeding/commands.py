"""`flask seed`: load the sample shelf or a synthetic one, without mixing shelves by accident."""

import sys
from collections.abc import Callable
from enum import Enum, auto

import click
from flask.cli import with_appcontext
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bookshelf.errors import cannot_reach_the_database, database_error_cause
from bookshelf.extensions import db
from bookshelf.schema.version import schema_version
from bookshelf.seeding.bulk_load import load_synthetic_shelf
from bookshelf.seeding.existing_shelf import ShelfSize, clear_shelf, measure_shelf
from bookshelf.seeding.sample_shelf import (
    SAMPLE_SIZE,
    holds_only_sample_books,
    seed_sample_shelf,
)

# What --authors alone loads (the command's help says why).
BOOKS_PER_AUTHOR = 10


class IfNotEmpty(Enum):
    """What `flask seed` does on a shelf that already holds authors."""

    REFUSE = auto()  # stop with a one-line error: mixing shelves is rarely meant
    APPEND = auto()  # load beside what is there
    REPLACE = auto()  # delete what is there and load in its place
    IF_EMPTY = auto()  # say so, load nothing, and succeed (`make run`)


@click.command("seed")
@click.option(
    "--authors",
    type=click.IntRange(min=1, max=1_000_000),
    help="Load this many synthetic authors instead of the sample shelf.",
)
@click.option(
    "--books",
    type=click.IntRange(min=0, max=100_000_000),
    help=f"How many books the synthetic authors hold between them (with --authors; "
    f"{BOOKS_PER_AUTHOR} an author when not given).",
)
@click.option("--append", is_flag=True, help="Add to a shelf that already holds authors.")
@click.option(
    "--replace",
    is_flag=True,
    help="Delete everything on the shelf, and its history, and load the new shelf in its "
    "place; a failure leaves the old shelf as it was.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only into an empty shelf (or the sample shelf onto itself); on a shelf "
    "holding other authors, say so and load nothing, without failing. `make run` uses it.",
)
@click.option(
    "--random-seed",
    type=int,
    help="The same seed gives the same synthetic shelf. Default 1; with --append, one more "
    "than the number of authors already there, so that an appended shelf is no copy.",
)
@with_appcontext
def seed_command(
    authors: int | None,
    books: int | None,
    append: bool,
    replace: bool,
    if_empty: bool,
    random_seed: int | None,
) -> None:
    """Load the sample shelf of Neon's guide (3 authors, 7 books), or with --authors a
    synthetic shelf of any size.

    It loads into an empty shelf. On a shelf that already holds other authors it stops
    and says so, unless given --append, --replace or --if-empty; the sample shelf loaded
    again onto itself adds nothing and succeeds. Everything is written in one
    transaction, so a failure, or the command being killed, leaves the database as it
    was.

    --authors alone gives 10 books an author on average: the prolific 1 in 100 then hold
    about 200 books each, pages of them, and the rest a handful, as in a real catalogue.
    """
    if books is not None and authors is None:
        raise click.UsageError("--books goes with --authors.")
    chosen = [
        choice
        for choice, given in (
            (IfNotEmpty.APPEND, append),
            (IfNotEmpty.REPLACE, replace),
            (IfNotEmpty.IF_EMPTY, if_empty),
        )
        if given
    ]
    if len(chosen) > 1:
        raise click.UsageError("Give only one of --append, --replace and --if-empty.")
    if_not_empty = chosen[0] if chosen else IfNotEmpty.REFUSE
    require_current_schema()
    if authors is None:
        seed_sample(if_not_empty)
    else:
        books = authors * BOOKS_PER_AUTHOR if books is None else books
        seed_synthetic(authors, books, random_seed, if_not_empty)


def require_current_schema() -> None:
    try:
        with db.engine.connect() as connection:
            version = schema_version(connection.execute)
    except OperationalError as error:
        raise cannot_reach_the_database(error, "DATABASE_URL") from None
    if not version.current:
        raise click.ClickException(version.explanation())


def seed_sample(if_not_empty: IfNotEmpty) -> None:
    try:
        loading = ready_for_loading(
            db.session.connection(), if_not_empty, "sample shelf", holds_only_sample_books
        )
        result = seed_sample_shelf(db.session) if loading else None
        db.session.commit()
    except click.ClickException:
        db.session.rollback()
        raise
    except SQLAlchemyError as error:
        db.session.rollback()
        raise click.ClickException(
            f"Seeding failed, nothing was written: {database_error_cause(error)}"
        ) from None
    if result is None:
        return
    if result.authors_added or result.books_added:
        added = ShelfSize(result.authors_added, result.books_added)
        click.echo(f"Added {added} from the sample shelf.")
    else:
        click.echo(f"The sample shelf ({SAMPLE_SIZE}) is already loaded; nothing added.")


def seed_synthetic(
    authors: int, books: int, random_seed: int | None, if_not_empty: IfNotEmpty
) -> None:
    label = f"Loading {authors:,} authors and {books:,} books"
    try:
        with db.engine.begin() as connection:
            if not ready_for_loading(connection, if_not_empty, "synthetic shelf"):
                return
            if random_seed is None:
                random_seed = 1 + measure_shelf(connection).authors
            with click.progressbar(length=authors + books, label=label, file=sys.stderr) as bar:
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


def ready_for_loading(
    connection: Connection,
    if_not_empty: IfNotEmpty,
    shelf_name: str,
    holds_only_its_own_books: Callable[[Connection], bool] | None = None,
) -> bool:
    """Whether to load `shelf_name`, in the transaction of `connection`: yes into an empty
    shelf, one that holds only the new shelf's own books (which the sample shelf then
    completes), or one cleared for --replace. On a shelf holding other authors, stop with
    an error, or with --if-empty say so and load nothing."""
    if if_not_empty is IfNotEmpty.APPEND:
        return True
    if if_not_empty is IfNotEmpty.REPLACE:
        clear_shelf(connection)
        return True
    size = measure_shelf(connection)
    if size.is_empty or (holds_only_its_own_books and holds_only_its_own_books(connection)):
        return True
    if if_not_empty is IfNotEmpty.REFUSE:
        raise click.ClickException(
            f"The shelf already holds {size}. Run again with --append to load beside them, "
            "or with --replace to delete them and load in their place."
        )
    click.echo(f"The shelf already holds {size}; the {shelf_name} was not loaded.")
    return False
