"""The Flask extensions, created unbound; create_app binds them to an app."""

from flask_migrate import Migrate
from flask_migrate.cli import downgrade
from flask_sqlalchemy import SQLAlchemy
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
# Alembic's relative revisions (`flask db downgrade -1`, `-2`), as its documentation writes
# them: click would take them for unknown options and refuse them.
downgrade.ignore_unknown_options = True
