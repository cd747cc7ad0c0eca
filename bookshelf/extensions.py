"""The Flask extensions, created unbound; create_app binds them to an app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_migrate.cli import downgrade
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints come out the same on every database, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
# Batch mode lets ALTERs run on SQLite (it recreates the table there; elsewhere it
# is a plain ALTER), so a migration generated on one database runs on both.
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
# Every POST needs the form's CSRF token (the JSON API only reads).
csrf = CSRFProtect()
# Limits on failed sign-ins (bookshelf.accounts.sign_in_limits), counted in the storage
# RATELIMIT_STORAGE_URI names. When Redis stops answering, the limits carry on in each
# worker's memory, and go back to Redis once it answers again.
limiter = Limiter(
    key_func=get_remote_address,
    strategy="moving-window",
    # Redis's timeouts come from config.redis_storage_options, when REDIS_URL is set.
    in_memory_fallback_enabled=True,
    # An error Redis gives while counting a failed attempt is logged, not a 500.
    swallow_errors=True,
    # Retry-After on a 429 (and X-RateLimit-* on the sign-in form's answers only).
    headers_enabled=True,
)
# Alembic's relative revisions (`flask db downgrade -1`, `-2`), as its documentation writes
# them: click would take them for unknown options and refuse them.
downgrade.ignore_unknown_options = True
