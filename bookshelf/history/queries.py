"""The reads the history pages make: pages of changes, newest first, through the request's
read connection, as the catalogue's pages read.

A page's rows carry what it shows beside each change, each looked up for that row alone:
who made it, the current names of the authors it concerns (none once deleted), and
whether a later change of the same row exists (a delete that was restored). An author's
changes, and their books', are all under their id (author_id, or other_author_id for a
book moved away), so each lookup is an index probe.
"""

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, exists, or_, select

from bookshelf.accounts.models import User
from bookshelf.catalogue.list_options import Paging
from bookshelf.catalogue.models import Author
from bookshelf.catalogue.queries import PageStatements, paginate, read_rows
from bookshelf.history.models import Change

changes = Change.__table__
later = changes.alias("later")
users = User.__table__
authors = Author.__table__


def name_of(author_id_column):
    return select(authors.c.name).where(authors.c.id == author_id_column).scalar_subquery()


CHANGE_FIELDS = (
    changes.c.id,
    changes.c.made_at,
    changes.c.kind,
    changes.c.action,
    changes.c.row_id,
    changes.c.author_id,
    changes.c.other_author_id,
    changes.c.before,
    changes.c.after,
    select(users.c.email).where(users.c.id == changes.c.user_id).scalar_subquery().label("email"),
    name_of(changes.c.author_id).label("author_name"),
    name_of(changes.c.other_author_id).label("other_author_name"),
    exists()
    .where(
        later.c.author_id == changes.c.author_id,
        later.c.kind == changes.c.kind,
        later.c.row_id == changes.c.row_id,
        later.c.id > changes.c.id,
    )
    .label("superseded"),
)
NEWEST_FIRST = (changes.c.id.desc(),)
RECENT_CHANGES = PageStatements(CHANGE_FIELDS, [], NEWEST_FIRST)
AUTHOR_CHANGES = PageStatements(
    CHANGE_FIELDS,
    [
        or_(
            changes.c.author_id == bindparam("author_id"),
            changes.c.other_author_id == bindparam("author_id"),
        )
    ],
    NEWEST_FIRST,
)
AUTHOR_NAME = select(authors.c.name).where(authors.c.id == bindparam("author_id"))
# An author's fields as their latest change left them: a deleted author's name.
LAST_RECORDED_AUTHOR = (
    select(changes.c.before, changes.c.after)
    .where(changes.c.author_id == bindparam("author_id"), changes.c.kind == "author")
    .order_by(changes.c.id.desc())
    .limit(1)
)


def recent_changes(paging: Paging) -> Pagination:
    return paginate(RECENT_CHANGES, {}, paging)


def author_changes(author_id: int, paging: Paging) -> Pagination:
    """The changes of the author and of their books, those moved away included."""
    return paginate(AUTHOR_CHANGES, {"author_id": author_id}, paging)


def author_name_or_404(author_id: int) -> tuple[str, bool]:
    """The author's name, and whether they are on the shelf now; a deleted author's is the
    one their history last recorded. 404 for an id the shelf has never had."""
    rows = read_rows(AUTHOR_NAME, {"author_id": author_id})
    if rows:
        return rows[0].name, True
    recorded = read_rows(LAST_RECORDED_AUTHOR, {"author_id": author_id})
    if not recorded:
        abort(404, description="There is no author with that id, and there never was.")
    return (recorded[0].after or recorded[0].before)["name"], False
