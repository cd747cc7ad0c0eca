"""Bookshelf: a server-rendered catalogue of authors and their books."""

import sys
from pathlib import Path

import click
from flask import Flask

from config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Config | None = None) -> Flask:
    """Make the app; `config` defaults to a Config read from the environment."""
    config = config or config_from_environment()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_PATH),
        template_folder=PROJECT_ROOT / "templates",
        static_folder=PROJECT_ROOT / "static",
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_extensions(app)
    register_security(app)
    register_caching(app)
    register_templating(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def config_from_environment() -> Config:
    try:
        return Config()
    except ValueError as error:
        if click.get_current_context(silent=True) is None:
            raise
        # Under the `flask` command, one line and out: Flask would print any exception from
        # the factory with a traceback, or follow it with "No such command".
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


def register_extensions(app: Flask) -> None:
    # Every model module is imported so that Migrate knows all the tables.
    from bookshelf import database, sqlite
    from bookshelf.accounts import models as accounts_models  # noqa: F401
    from bookshelf.accounts import sessions, sign_in_limits
    from bookshelf.catalogue import models as catalogue_models  # noqa: F401
    from bookshelf.extensions import csrf, db, migrate
    from bookshelf.history import models as history_models  # noqa: F401
    from bookshelf.search.key_events import keep_search_keys_current

    db.init_app(app)
    keep_search_keys_current()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    database.init_app(app)
    sqlite.init_app(app)
    csrf.init_app(app)
    sign_in_limits.init_app(app)
    sessions.init_app(app)


def register_security(app: Flask) -> None:
    from bookshelf import security

    security.init_app(app)


def register_caching(app: Flask) -> None:
    from bookshelf import caching

    caching.init_app(app)


def register_templating(app: Flask) -> None:
    from bookshelf import templating

    templating.init_app(app)


def register_blueprints(app: Flask) -> None:
    from bookshelf import health
    from bookshelf.accounts import views as accounts
    from bookshelf.api import views as api
    from bookshelf.catalogue import editing
    from bookshelf.catalogue import views as catalogue
    from bookshelf.converters import RowIdConverter
    from bookshelf.history import views as history
    from bookshelf.search import views as search

    # Converters must be known before the routes that use them are added.
    app.url_map.converters["row_id"] = RowIdConverter
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(search.bp)


def register_error_handlers(app: Flask) -> None:
    from bookshelf import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from flask_migrate.cli import db as migration_commands

    from bookshelf.accounts.commands import users_command
    from bookshelf.schema.rehearsal_command import rehearse_command
    from bookshelf.search.commands import search_command
    from bookshelf.seeding.commands import seed_command

    app.cli.add_command(seed_command)
    app.cli.add_command(users_command)
    app.cli.add_command(search_command)
    # Flask-Migrate's `flask db` group, which its package registers with Flask.
    migration_commands.add_command(rehearse_command)
