"""Routes for signed-in curators only, as the editing and history blueprints declare theirs."""

from flask import Blueprint, abort, request
from flask_login import current_user

from bookshelf.extensions import login_manager


def curators_only(blueprint: Blueprint) -> None:
    """Every route of `blueprint` turns away anyone not signed in."""
    blueprint.before_request(require_a_curator)


def require_a_curator():
    """A browser asking for a page is sent to sign in, and back here afterwards; a POST
    (a script's, or a form left open past its session) is refused outright, since
    replaying it after signing in would be a surprise."""
    if current_user.is_authenticated:
        return None
    if request.method in ("GET", "HEAD"):
        return login_manager.unauthorized()
    abort(403, description="Sign in to change the shelf.")
