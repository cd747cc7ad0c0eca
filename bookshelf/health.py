"""The health check a load balancer or uptime monitor polls."""

from flask import Blueprint

from bookshelf.database import read
from bookshelf.errors import SchemaNotCurrent
from bookshelf.schema.version import schema_version

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 when the database answers with a schema the code can run on, else a 503 naming
    the cause. One statement, the same round trip a bare `SELECT 1` would cost."""
    version = schema_version(read)
    if not version.usable:
        raise SchemaNotCurrent(version.explanation())
    return {"status": "ok"}
