"""Error pages for readers and JSON errors for API clients, in one place."""

from flask import Flask, current_app, json, render_template, request
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, ServiceUnavailable


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(UnicodeDecodeError, undecodable_request)


def database_error_cause(error: SQLAlchemyError) -> str:
    """The first line of what the database (or its driver) said, for a one-line message."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


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


def database_unavailable(error: OperationalError):
    """The database did not answer: one log line naming the cause, and a 503 for the client.

    Only connection failures get this; any other OperationalError is a fault to fix, and
    goes on to be a logged 500.
    """
    if not (error.connection_invalidated or error.statement is None):
        raise error
    current_app.logger.error(
        "database unavailable for %s %s: %s",
        request.method,
        request.path,
        database_error_cause(error),
    )
    return http_error(
        ServiceUnavailable(
            "The catalogue's database is not answering right now. Please try again shortly."
        )
    )
