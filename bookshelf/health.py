"""The health check a load balancer or uptime monitor polls."""

from flask import Blueprint
from sqlalchemy import text

from bookshelf.database import read

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 when the database answers; when it does not, the error handler answers 503."""
    read(text("SELECT 1"))
    return {"status": "ok"}
