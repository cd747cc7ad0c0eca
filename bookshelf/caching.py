"""Answers a shared cache (a CDN, Varnish, nginx) may keep and serve to every signed-out
reader: the catalogue's pages, the search and the JSON API, each view marked `shared`.

Such an answer to a request with no session cookie carries an ETag, made of the shelf's
version (one more with every change to authors or books, in the change's own transaction:
bookshelf.schema.shelf_version_triggers) and the release's fingerprint (so a deploy that
changes what pages look like changes it too), and `Cache-Control: public`, for
CACHE_MAX_AGE seconds, then served stale for up to CACHE_STALE_SECONDS while the cache
asks again. A conditional request (If-None-Match) for the shelf as it is gets a 304 before
the view runs: one read of a one-row table, and none of the page's statements.

The version is read before the page, so a page is never older than its validator; a change
committed between the two makes the validator older than the page, and the next request
fetches the page again. Anything else stays out of shared caches: a browser with a session
gets `private, no-store`, as does any answer that sets a cookie (bookshelf.security, which
has the last word).

Static files are linked with their content's hash in the URL (`?v=`), and answered under
such a URL as `immutable`, kept for a year: a new release links new URLs.
"""

import hashlib
from collections.abc import Callable
from functools import lru_cache

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import DBAPIError

from bookshelf import PROJECT_ROOT
from bookshelf.catalogue.models import ShelfVersion
from bookshelf.database import read
from bookshelf.schema.version import names_a_missing_table_or_column

VERSION = ShelfVersion.__table__.select().with_only_columns(ShelfVersion.__table__.c.version)
# What pages are made from: a change to any of it is a new release, with new validators.
RELEASE_FILES = ["bookshelf/**/*.py", "bookshelf/**/*.json", "templates/**/*", "static/**/*"]
# Static files under their content's URL: a year, as long as HTTP caches keep anything.
IMMUTABLE = "public, max-age=31536000, immutable"


def shared(view: Callable | None = None, *, per_cookie: bool = True):
    """Mark a view whose signed-out answers a shared cache may keep. A page shows who is
    signed in, so it varies with the cookie; `per_cookie=False` for answers that do not
    (the JSON API), which a cache may then give a curator too."""

    def mark(view: Callable) -> Callable:
        view.shared_cache = "per cookie" if per_cookie else "for everyone"
        return view

    return mark if view is None else mark(view)


def init_app(app: Flask) -> None:
    app.extensions["release"] = release_fingerprint()
    app.before_request(answer_unchanged)
    app.after_request(mark_shareable)
    app.url_defaults(link_static_files_by_content)


def release_fingerprint() -> str:
    digest = hashlib.blake2b(digest_size=6)
    for pattern in RELEASE_FILES:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def answer_unchanged() -> Response | None:
    """Note the validator of a signed-out read of a shared view, and answer 304 when the
    request already holds it."""
    view = current_app.view_functions.get(request.endpoint)
    if not is_shareable_request(view):
        return None
    try:
        version = read(VERSION).scalar_one_or_none()
    except DBAPIError as error:
        if not names_a_missing_table_or_column(error):
            raise
        version = None
    if version is None:
        # A schema from before add-shelf-version, or one it is part-way through (the row
        # comes last): its pages are served, but not for caches to keep.
        return None
    return answer_for_version(view, version)


def is_shareable_request(view: Callable | None) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and getattr(view, "shared_cache", None) is not None
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
    )


def answer_for_version(view: Callable, version: int) -> Response | None:
    g.shelf_validator = f"{version}-{current_app.extensions['release']}"
    if g.shelf_validator in request.if_none_match:
        unchanged = Response(status=304)
        if view.shared_cache == "per cookie":
            unchanged.vary.add("Cookie")  # as the page itself would say
        return unchanged
    return None


def mark_shareable(response: Response) -> Response:
    if request.endpoint == "static":
        if request.args.get("v") == content_hash(request.view_args["filename"]):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
    validator = g.get("shelf_validator")
    if validator and response.status_code in (200, 304):
        response.set_etag(validator)
        config = current_app.config
        response.headers["Cache-Control"] = (
            f"public, max-age={config['CACHE_MAX_AGE']}, "
            f"stale-while-revalidate={config['CACHE_STALE_SECONDS']}"
        )
    return response


def link_static_files_by_content(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values.setdefault("v", content_hash(values["filename"]))


# Bounded: a request may name any file.
@lru_cache(maxsize=256)
def content_hash(filename: str) -> str | None:
    path = PROJECT_ROOT / "static" / filename
    if not path.resolve().is_relative_to(PROJECT_ROOT / "static") or not path.is_file():
        return None
    return hashlib.blake2b(path.read_bytes(), digest_size=8).hexdigest()
