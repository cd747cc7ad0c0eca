"""The schema's revisions found by their messages, so that no test writes out an id."""

from alembic.script import ScriptDirectory

from bookshelf import PROJECT_ROOT

MIGRATIONS = PROJECT_ROOT / "migrations"


def oldest_first() -> list:
    return list(reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())))


def revision_id(message: str) -> str:
    """The id of the revision made with `flask db migrate -m MESSAGE`."""
    [revision] = [revision for revision in oldest_first() if revision.doc == message]
    return revision.revision
