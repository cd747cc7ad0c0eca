"""The application factory and the entry points that use it."""

import importlib

from flask import Flask

from bookshelf import create_app


def test_testing_config_marks_the_app_as_testing(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'shelf.sqlite'}")
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("shelf.sqlite")


def test_the_default_app_reads_database_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://reader@db.example/shelf")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg2://reader@db.example/shelf"
    )


def test_wsgi_exposes_an_app_for_gunicorn(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shelf.sqlite'}")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    wsgi = importlib.import_module("wsgi")
    assert isinstance(wsgi.app, Flask)


def test_the_cli_offers_seed_and_db(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'shelf.sqlite'}")
    result = app.test_cli_runner().invoke(args=["--help"])
    assert "seed" in result.output
    assert "db" in result.output
