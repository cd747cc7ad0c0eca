"""Bookshelf: a server-rendered catalogue of authors and their books."""

from pathlib import Path

from flask import Flask

from config import INSTANCE_FOLDER, Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: object | None = None) -> Flask:
    """Make the app; `config` defaults to a Config read from the environment."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_FOLDER),
        template_folder=PROJECT_ROOT / "templates",
        static_folder=PROJECT_ROOT / "static",
    )
    app.config.from_object(config or Config())
    Path(app.instance_path).mkdir(exist_ok=True)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from sqlalchemy import event

    from bookshelf import models  # noqa: F401  (the tables must be known to Migrate)
    from bookshelf.database import end_request, fold_case_like_postgresql
    from bookshelf.extensions import db, migrate

    db.init_app(app)
    app.teardown_request(end_request)
    app.teardown_appcontext(end_request)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", fold_case_like_postgresql)


def register_security(app: Flask) -> None:
    from bookshelf import security

    security.register(app)


def register_blueprints(app: Flask) -> None:
    from bookshelf import api, health, pages
    from bookshelf.converters import RowIdConverter

    # Converters must be known before the routes that use them are added.
    app.url_map.converters["row_id"] = RowIdConverter
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)


def register_error_handlers(app: Flask) -> None:
    from bookshelf import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    from bookshelf.commands import seed_command

    app.cli.add_command(seed_command)
