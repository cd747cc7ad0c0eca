"""The triggers that keep the shelf's version, as the add-shelf-version revision creates
them: every statement that changes authors or books adds one to shelf_version.version, in
its own transaction, so the version a reader sees changes exactly when what pages show
does (bookshelf.caching builds validators from it).

The version's one row is locked by each change until it commits, so changes to the shelf
take turns there: curators' edits, a few a minute, and one per bulk load. Every write
path locks its authors before it writes, so no transaction waits for an author while
holding the version. migrations/env.py puts the SQLite triggers back after every
migration, because SQLite drops a table's triggers when batch mode rebuilds it.
"""

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

SHELF_TABLES = ("authors", "books")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_shelf_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shelf_version SET version = version + 1;
    RETURN NULL;
END $$
"""
# A statement per table, which the revision runs in a transaction of its own (see there).
POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE TRIGGER {table}_change_shelf_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION bump_shelf_version()"""
    for table in SHELF_TABLES
]
POSTGRESQL_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {table}_change_shelf_version ON {table}" for table in SHELF_TABLES
]
POSTGRESQL_DROP_FUNCTION = "DROP FUNCTION IF EXISTS bump_shelf_version()"

# SQLite has no statement triggers: one per row. IF NOT EXISTS, because they are run again
# after every migration while shelf_version exists.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {table}_{change}_shelf_version AFTER {change.upper()}
    ON {table} BEGIN UPDATE shelf_version SET version = version + 1; END"""
    for table in SHELF_TABLES
    for change in ("insert", "update", "delete")
]
SQLITE_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {table}_{change}_shelf_version"
    for table in SHELF_TABLES
    for change in ("insert", "update", "delete")
]


def restore_sqlite_triggers(connection: Connection) -> None:
    """Put the SQLite triggers back where a migration's table rebuild dropped them."""
    if connection.dialect.name == "sqlite" and inspect(connection).has_table("shelf_version"):
        for statement in SQLITE_TRIGGERS:
            connection.exec_driver_sql(statement)
