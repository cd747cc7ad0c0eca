"""Configuration: database URLs as Neon hands them out, engine options, the direct URL."""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bookshelf.extensions import db
from bookshelf.schema.migration_engine import migration_engine
from config import DEFAULT_INSTANCE_PATH, Config, engine_options, normalise_database_url

NEON_POOLED = (
    "postgresql://alex:AbC123dEf@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"
    "/dbname?sslmode=require&channel_binding=require"
)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg2"])
def test_postgresql_urls_reach_psycopg2(scheme):
    url = normalise_database_url(f"{scheme}://alex:secret@db.example/shelf")
    assert url == "postgresql+psycopg2://alex:secret@db.example/shelf"
    # create_engine does not connect; it only picks the dialect and driver.
    assert create_engine(url).dialect.driver == "psycopg2"


def test_neon_query_options_are_kept():
    url = make_url(normalise_database_url(NEON_POOLED))
    assert url.query == {"sslmode": "require", "channel_binding": "require"}
    assert url.password == "AbC123dEf"
    assert url.host == "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"


def test_password_with_url_special_characters_survives():
    url = normalise_database_url("postgres://alex:p%40ss%2Fw%3Ard@db.example/shelf")
    assert make_url(url).password == "p@ss/w:rd"


def test_other_databases_are_left_alone():
    assert normalise_database_url("sqlite:////tmp/shelf.sqlite") == ("sqlite:////tmp/shelf.sqlite")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_sqlite_database_is_an_error(url):
    with pytest.raises(ValueError, match="^DATABASE_URL names an in-memory SQLite database"):
        Config({"DATABASE_URL": url})


@pytest.mark.parametrize("setting", ["DATABASE_URL", "DATABASE_DIRECT_URL"])
def test_a_malformed_url_is_an_error_naming_the_setting(setting):
    with pytest.raises(ValueError, match=f"^{setting} is not a database URL"):
        Config({setting: "neon, please"})


def test_postgresql_engines_recycle_and_time_out():
    options = engine_options(normalise_database_url(NEON_POOLED))
    assert 0 < options["pool_recycle"] <= 300
    assert options["connect_args"] == {
        "connect_timeout": 10,
        "application_name": "bookshelf",
    }


def test_connect_options_in_the_url_win_over_the_defaults():
    url = normalise_database_url(
        "postgresql://db.example/shelf?connect_timeout=3&application_name=shelf-admin"
    )
    assert engine_options(url)["connect_args"] == {}
    # The URL's own values reach the driver.
    args = create_engine(url, **engine_options(url)).dialect.create_connect_args(make_url(url))[1]
    assert args["connect_timeout"] == "3"
    assert args["application_name"] == "shelf-admin"


def test_sqlite_gets_no_postgresql_connect_arguments():
    assert "connect_args" not in engine_options("sqlite:////tmp/shelf.sqlite")


def test_without_database_url_the_app_uses_sqlite_in_the_instance_folder():
    config = Config({})
    database = make_url(config.SQLALCHEMY_DATABASE_URI).database
    assert database == str(DEFAULT_INSTANCE_PATH / "bookshelf.sqlite")
    assert config.MIGRATION_DATABASE_URI is None


def test_the_instance_folder_can_be_put_elsewhere(tmp_path):
    config = Config({"INSTANCE_PATH": str(tmp_path)})
    assert tmp_path == config.INSTANCE_PATH
    assert make_url(config.SQLALCHEMY_DATABASE_URI).database == str(tmp_path / "bookshelf.sqlite")


def test_database_url_and_direct_url_come_from_the_environment():
    config = Config(
        {
            "DATABASE_URL": NEON_POOLED,
            "DATABASE_DIRECT_URL": NEON_POOLED.replace("-pooler", ""),
            "SECRET_KEY": "from-the-environment",
        }
    )
    assert config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://")
    assert "-pooler" in config.SQLALCHEMY_DATABASE_URI
    assert config.MIGRATION_DATABASE_URI.startswith("postgresql+psycopg2://")
    assert "-pooler" not in config.MIGRATION_DATABASE_URI
    assert "sslmode=require" in config.MIGRATION_DATABASE_URI
    assert config.SECRET_KEY == "from-the-environment"


def test_migrations_use_the_direct_url_with_the_same_connect_options(make_app, tmp_path):
    direct = NEON_POOLED.replace("-pooler", "")
    app = make_app(f"sqlite:///{tmp_path / 'shelf.sqlite'}", direct_url=direct)

    with app.app_context():
        engine = migration_engine()

    assert engine.url.host == "ep-cool-darkness-123456.us-east-2.aws.neon.tech"
    # What psycopg2.connect() would be called with; nothing is dialled.
    connect_kwargs = engine.dialect.create_connect_args(engine.url)[1]
    connect_kwargs.update(engine_options(str(engine.url))["connect_args"])
    assert connect_kwargs["sslmode"] == "require"
    assert connect_kwargs["channel_binding"] == "require"
    assert connect_kwargs["connect_timeout"] == 10
    assert connect_kwargs["application_name"] == "bookshelf"
    assert engine.pool.__class__.__name__ == "NullPool"


def test_without_a_direct_url_migrations_use_the_apps_engine(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'shelf.sqlite'}")
    with app.app_context():
        assert migration_engine() is db.engine


def test_each_replica_url_gets_a_reading_engine_of_its_own():
    replicas = [NEON_POOLED.replace("ep-cool", f"ep-replica-{n}") for n in (1, 2)]
    config = Config({"DATABASE_URL": NEON_POOLED, "DATABASE_REPLICA_URL": " , ".join(replicas)})

    assert [make_url(url).host for url in config.REPLICA_URLS] == [
        make_url(url).host for url in replicas
    ]
    for number, url in enumerate(config.REPLICA_URLS):
        bind = config.SQLALCHEMY_BINDS[f"replica-{number}"]
        assert bind["url"] == url and url.startswith("postgresql+psycopg2://")
        assert bind["isolation_level"] == "AUTOCOMMIT"
        assert "sslmode=require" in url
    assert config.REPLICA_MAX_LAG == 10
    assert Config({"DATABASE_URL": NEON_POOLED}).REPLICA_URLS == []


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DATABASE_REPLICA_URL": NEON_POOLED},
            "DATABASE_REPLICA_URL is set, but replicas need DATABASE_URL on PostgreSQL",
        ),
        (
            {"DATABASE_URL": NEON_POOLED, "DATABASE_REPLICA_URL": "sqlite:///copy.sqlite"},
            "DATABASE_REPLICA_URL's URL number 1 is not PostgreSQL",
        ),
        (
            {"DATABASE_URL": NEON_POOLED, "REPLICA_MAX_LAG": "ten"},
            "REPLICA_MAX_LAG is 'ten'",
        ),
        ({"CACHE_MAX_AGE": "-1"}, "CACHE_MAX_AGE is '-1'"),
    ],
)
def test_replica_and_cache_settings_that_cannot_work_are_errors(environment, message):
    with pytest.raises(ValueError, match=message):
        Config(environment)
