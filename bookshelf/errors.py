"""Error pages for readers and JSON errors for API clients, in one place."""

import sqlite3

import click
from flask import Flask, current_app, json, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable

from bookshelf.database import read
from bookshelf.schema.version import names_a_missing_table_or_column, schema_version


class SchemaNotCurrent(ServiceUnavailable):
    """The database's schema is not the one the code needs; the description says which."""


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(SchemaNotCurrent, schema_not_current)
    app.register_error_handler(UnicodeDecodeError, undecodable_request)
    app.register_error_handler(CSRFError, form_not_from_here)


def database_error_cause(error: SQLAlchemyError) -> str:
    """The first line of what the database (or its driver) said, for a one-line message."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def cannot_reach_the_database(error: SQLAlchemyError, setting: str) -> click.ClickException:
    """The one line a command ends with when the database does not answer."""
    if isinstance(getattr(error, "orig", None), sqlite3.Error):
        return click.ClickException(
            f"Cannot open the database ({database_error_cause(error)}). "
            f"Check {setting}: the file's folder must exist and be writable."
        )
    return click.ClickException(
        f"Cannot reach the database ({database_error_cause(error)}). "
        f"Check {setting} and that the server is running."
    )


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def http_error(error: HTTPException):
    """Answer with a page or a JSON body, keeping the headers (such as Allow) the error sets."""
    response = error.get_response()
    if wants_json():
        response.set_data(json.dumps({"error": error.description}))
        response.mimetype = "application/json"
    else:
        response.set_data(render_template("error.html", error=error))
    return response


def undecodable_request(error: UnicodeDecodeError):
    """Bytes in the query string that are not UTF-8. Gunicorn turns them away itself; other
    servers pass them on, and reading request.args then fails."""
    return http_error(BadRequest("The address has characters that are not valid UTF-8."))


def is_connection_failure(error: DBAPIError) -> bool:
    """The database did not answer (refused, dropped, timed out) rather than refused the SQL."""
    return error.connection_invalidated or error.statement is None


def form_not_from_here(error: CSRFError):
    """A POST without the token its form carries: a form from another site, or one open so
    long that its session ended."""
    return http_error(
        BadRequest(
            "This form could not be accepted: it has expired or did not come from this site. "
            "Go back, reload the page and try again."
        )
    )


def database_error(error: DBAPIError):
    """A 503 with one log line when the database does not answer, or when its schema is not
    the one the code needs (a missing table or column); anything else is a fault to fix,
    and goes on to be a logged 500."""
    if is_connection_failure(error):
        log_unavailable("database unavailable", database_error_cause(error))
        return http_error(
            ServiceUnavailable(
                "The catalogue's database is not answering right now. Please try again shortly."
            )
        )
    if not names_a_missing_table_or_column(error):
        raise error
    version = schema_version(read)
    if version.current:
        raise error
    return schema_not_current(SchemaNotCurrent(version.explanation()))


def schema_not_current(error: SchemaNotCurrent):
    log_unavailable("schema mismatch", error.description)
    return http_error(error)


def log_unavailable(what: str, cause: str) -> None:
    current_app.logger.error("%s for %s %s: %s", what, request.method, request.path, cause)
