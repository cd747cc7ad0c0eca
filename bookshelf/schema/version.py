"""Whether a database's schema is the one the code expects: what `flask seed`, /healthz and
a failing page ask before they blame the schema."""

from collections.abc import Callable
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

APPLIED_REVISIONS = text("SELECT version_num FROM alembic_version")
# What PostgreSQL (undefined_table, undefined_column) and SQLite say of a table or column
# that does not exist.
UNDEFINED_IN_POSTGRESQL = {"42P01", "42703"}
UNDEFINED_IN_SQLITE = ("no such table", "no such column")


@dataclass(frozen=True)
class SchemaVersion:
    applied: frozenset[str]  # the revisions the database is at (none before any upgrade)
    heads: frozenset[str]  # the revisions the code's migrations end at
    known: frozenset[str]  # every revision the code has

    @property
    def current(self) -> bool:
        return self.applied == self.heads

    @property
    def newer_than_the_code(self) -> bool:
        """A newer release migrated it; during a deploy the older code may still serve."""
        return not self.applied <= self.known

    @property
    def usable(self) -> bool:
        """Whether the code can run on it: current, or migrated by newer code (whose
        revisions expand before they contract)."""
        return self.current or self.newer_than_the_code

    def explanation(self) -> str:
        """Why the schema is not the code's, and what to do; only for one that is not."""
        applied = ", ".join(sorted(self.applied))
        heads = ", ".join(sorted(self.heads))
        if not self.applied:
            return "The database has no tables yet: run flask db upgrade first."
        if self.newer_than_the_code:
            return (
                f"The database schema (revision {applied}) is newer than this code: "
                "deploy the release that migrated it."
            )
        return (
            f"The database schema is not up to date (at revision {applied}; the code needs "
            f"{heads}): run flask db upgrade first."
        )


def schema_version(execute: Callable) -> SchemaVersion:
    """The schema's version, read with `execute` (bookshelf.database.read in a request, a
    connection's execute elsewhere): one small statement, and a scan of the revisions the
    first time in each process."""
    try:
        applied = frozenset(execute(APPLIED_REVISIONS).scalars())
    except DBAPIError as error:
        if not names_a_missing_table_or_column(error):
            raise
        applied = frozenset()
    heads, known = code_revisions()
    return SchemaVersion(applied, heads, known)


def names_a_missing_table_or_column(error: DBAPIError) -> bool:
    """What a statement says when the schema is older (or newer) than the code."""
    if getattr(error.orig, "pgcode", None) in UNDEFINED_IN_POSTGRESQL:
        return True
    return str(error.orig).startswith(UNDEFINED_IN_SQLITE)


def code_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """The code's heads and all its revisions, read from migrations/ once per app."""
    found = current_app.extensions.get("bookshelf.code_revisions")
    if found is None:
        script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        found = (
            frozenset(script.get_heads()),
            frozenset(revision.revision for revision in script.walk_revisions()),
        )
        current_app.extensions["bookshelf.code_revisions"] = found
    return found
