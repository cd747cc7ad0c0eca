"""The history pages, and the Restore button on a delete.

For signed-in curators only: the history names who made each change, by their account's
email, and keeps what was deleted, which may have been deleted for a reason.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bookshelf.catalogue.list_options import Paging
from bookshelf.catalogue.writes import books_phrase
from bookshelf.curators import curators_only
from bookshelf.database import reads_primary
from bookshelf.history import queries
from bookshelf.history.entries import Entry
from bookshelf.history.restoring import RestoreRefused, restore

bp = Blueprint("history", __name__)
curators_only(bp)


@bp.get("/changes")
@reads_primary
def recent_changes():
    changes = queries.recent_changes(Paging.from_args(request.args))
    return render_template(
        "history/changes.html",
        changes=changes,
        entries=[Entry(row) for row in changes.items],
        endpoint="history.recent_changes",
        args={},
        author_id=None,
        author_name=None,
    )


@bp.get("/authors/<row_id:author_id>/history")
@reads_primary
def author_history(author_id: int):
    name, on_shelf = queries.author_name_or_404(author_id)
    changes = queries.author_changes(author_id, Paging.from_args(request.args))
    return render_template(
        "history/changes.html",
        changes=changes,
        entries=[Entry(row) for row in changes.items],
        endpoint="history.author_history",
        args={"author_id": author_id},
        author_id=author_id,
        author_name=name,
        on_shelf=on_shelf,
    )


@bp.post("/changes/<row_id:change_id>/restore")
@reads_primary
def restore_deleted(change_id: int):
    try:
        restored = restore(current_user.id, change_id)
    except RestoreRefused as refusal:
        return render_template("history/restore_refused.html", refusal=refusal), 409
    if restored is None:
        abort(404, description="There is no change with that id.")
    if restored.kind == "author":
        flash(f"Restored “{restored.subject}” with {books_phrase(restored.books)}.", "success")
    else:
        flash(f"Restored “{restored.subject}”.", "success")
    return redirect(url_for("catalogue.author_page", author_id=restored.author_id), code=303)
