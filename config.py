"""Bookshelf's settings, read from the environment when the app is created."""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_INSTANCE_PATH = Path(__file__).resolve().parent / "instance"

# The Flask-SQLAlchemy bind requests read through (bookshelf.database).
READS_BIND = "reads"
REPLICA_BIND = "replica"

# The URL schemes Bookshelf runs on: PostgreSQL through the psycopg2 it ships, and SQLite.
POSTGRESQL_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg2")
SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")

# Defaults for PostgreSQL connections; a value given in the URL's query wins.
POSTGRESQL_CONNECT_ARGS = {"connect_timeout": 10, "application_name": "bookshelf"}


def normalise_database_url(url: str, setting: str = "The database URL") -> str:
    """Return `url` with PostgreSQL schemes pointed at psycopg2 and everything else kept.

    Neon hands out postgres:// and postgresql:// URLs. SQLAlchemy does not know the
    first, and from 2.1 on reads the second as psycopg 3, while Bookshelf ships
    psycopg2: naming the driver makes both work on every SQLAlchemy 2.x.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(
            f"{setting} is not a database URL; expected something like "
            "postgresql://user:password@host/dbname"
        ) from None
    if parsed.drivername not in POSTGRESQL_SCHEMES + SQLITE_SCHEMES:
        raise ValueError(
            f"{setting} is a {parsed.drivername}:// URL, which Bookshelf does not support; it "
            "runs on PostgreSQL (postgresql://user:password@host/dbname) or SQLite "
            "(sqlite:///path/to/bookshelf.sqlite)"
        )
    if parsed.drivername in SQLITE_SCHEMES and parsed.database in (None, "", ":memory:"):
        # Pages read through an engine of their own, and each engine would get its own
        # empty in-memory database.
        raise ValueError(
            f"{setting} names an in-memory SQLite database, which Bookshelf cannot share "
            "between its connections; name a file, like sqlite:///bookshelf.sqlite"
        )
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed.render_as_string(hide_password=False)


def engine_options(url: str) -> dict:
    """SQLAlchemy engine settings for `url`, suited to a server that drops idle connections.

    Neon suspends idle computes and PgBouncer closes idle links, so a pooled connection
    may be dead when it is taken: recycling retires it after five minutes, and a read
    that finds its connection dead runs again on a new one (bookshelf.database.read).
    """
    options = {"pool_recycle": 300}
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        options["connect_args"] = {
            name: value
            for name, value in POSTGRESQL_CONNECT_ARGS.items()
            if name not in parsed.query
        }
    return options


def replica_urls(environ: Mapping[str, str], primary_url: str) -> list[str]:
    """DATABASE_REPLICA_URL: one PostgreSQL URL or several, comma-separated; unset, none."""
    urls = [url.strip() for url in environ.get("DATABASE_REPLICA_URL", "").split(",")]
    urls = [normalise_database_url(url, "DATABASE_REPLICA_URL") for url in urls if url]
    if urls and make_url(primary_url).get_backend_name() != "postgresql":
        raise ValueError(
            "DATABASE_REPLICA_URL is set, but replicas need DATABASE_URL on PostgreSQL"
        )
    for number, url in enumerate(urls, start=1):
        if make_url(url).get_backend_name() != "postgresql":
            raise ValueError(f"DATABASE_REPLICA_URL's URL number {number} is not PostgreSQL")
    return urls


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'bookshelf.sqlite'}"


def flag_setting(environ: Mapping[str, str], name: str) -> bool:
    """An on/off setting: 1, true, yes or on; 0, false, no, off or unset."""
    value = environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} is {value!r}; expected 1 or 0 (true or false)")


def count_setting(environ: Mapping[str, str], name: str, default: int = 0) -> int:
    """A whole number of 0 or more; unset, `default`."""
    value = environ.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{name} is {value!r}; expected a whole number such as 0, 1 or 2")
    return int(value)


def rate_limit_setting(environ: Mapping[str, str], name: str, default: str) -> str:
    """A rate limit such as "10 per minute" (or "10/minute", "30 per hour; 100 per day")."""
    value = environ.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        raise ValueError(
            f"{name} is {value!r}, which is not a rate limit; expected something like {default!r}"
        ) from None
    return value


def redis_storage_options() -> dict:
    """How the sign-in limits talk to Redis. A Redis that hangs costs the sign-in that
    notices it at most a second (two tries of half a second), where redis-py's defaults
    cost 5 to 10 (bench/FINDINGS.md); the one retry rides over a connection Redis dropped
    when it restarted. Imported here, only with REDIS_URL set: redis costs start-up
    about 130 ms."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        "retry": Retry(NoBackoff(), retries=1),
    }


def redis_url_setting(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    if value and urlsplit(value).scheme not in ("redis", "rediss", "redis+unix"):
        raise ValueError(
            f"{name} is not a Redis URL; expected something like redis://localhost:6379/0"
        )
    return value or None


class Config:
    """Settings for a deployed Bookshelf, taken from `environ` (os.environ by default).

    DATABASE_URL picks the database the app serves from; unset, an SQLite file in the
    instance folder. DATABASE_DIRECT_URL, when set, is the one `flask db` commands use: on
    Neon the app goes through the pooled URL, migrations through the direct one.
    """

    TESTING = False
    # The session cookie, set only once someone signs in or opens a form, is out of
    # scripts' reach and not sent along with other sites' requests.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A form's CSRF token lasts as long as the session it belongs to (which signing out
    # ends), not an hour: a curator who takes longer over a bio must not lose it.
    WTF_CSRF_TIME_LIMIT = None
    # Flask-WTF's own hook, which looks up the view's exemptions before the method and so
    # costs every GET; bookshelf.security checks the token on writes only.
    WTF_CSRF_CHECK_DEFAULT = False

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        # Where the app keeps what it makes itself: the default SQLite file, the secret key.
        self.INSTANCE_PATH = Path(environ.get("INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)
        # Unset, create_app makes a random key once and keeps it in the instance folder.
        self.SECRET_KEY = environ.get("SECRET_KEY")
        database_url = environ.get("DATABASE_URL") or default_database_url(self.INSTANCE_PATH)
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(database_url, "DATABASE_URL")
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        # Requests read through an engine of their own in autocommit (bookshelf.database);
        # the ORM's engine keeps transactions. Flask-SQLAlchemy gives a bind none of
        # SQLALCHEMY_ENGINE_OPTIONS, so they are copied.
        # Read replicas, each read through an engine of its own (replica-0, replica-1, ...);
        # bookshelf.database chooses where each request reads.
        self.REPLICA_URLS = replica_urls(environ, self.SQLALCHEMY_DATABASE_URI)
        self.SQLALCHEMY_BINDS = {
            name: {
                "url": url,
                **engine_options(url),
                "isolation_level": "AUTOCOMMIT",
            }
            for name, url in [
                (READS_BIND, self.SQLALCHEMY_DATABASE_URI),
                *((f"{REPLICA_BIND}-{n}", url) for n, url in enumerate(self.REPLICA_URLS)),
            ]
        }
        # A replica that lags further behind than this many seconds is read from no more
        # until it has caught up.
        self.REPLICA_MAX_LAG = count_setting(environ, "REPLICA_MAX_LAG", 10)
        # How long a migration transaction on PostgreSQL may wait for a lock, and may run
        # any one statement, before it gives up (PostgreSQL durations: 500ms, 5s, 1min).
        self.MIGRATION_LOCK_TIMEOUT = environ.get("MIGRATION_LOCK_TIMEOUT", "5s")
        self.MIGRATION_STATEMENT_TIMEOUT = environ.get("MIGRATION_STATEMENT_TIMEOUT", "1min")
        direct_url = environ.get("DATABASE_DIRECT_URL")
        self.MIGRATION_DATABASE_URI = (
            normalise_database_url(direct_url, "DATABASE_DIRECT_URL") if direct_url else None
        )
        # Sent only over HTTPS when set: on wherever the app is served over HTTPS, off by
        # default so that `make run` on http://127.0.0.1 can sign in.
        self.SESSION_COOKIE_SECURE = flag_setting(environ, "SESSION_COOKIE_SECURE")
        # How many proxies in front of the app append to X-Forwarded-For; 0 ignores the
        # header, which anyone can send.
        self.TRUSTED_PROXIES = count_setting(environ, "TRUSTED_PROXIES")
        # Failed sign-ins allowed per client address and per account, counted in Redis
        # when REDIS_URL is set (shared by every worker and host), else in each worker's
        # memory (bookshelf.accounts.sign_in_limits).
        self.SIGN_IN_LIMIT_PER_CLIENT = rate_limit_setting(
            environ, "SIGN_IN_LIMIT_PER_CLIENT", "10 per minute"
        )
        self.SIGN_IN_LIMIT_PER_ACCOUNT = rate_limit_setting(
            environ, "SIGN_IN_LIMIT_PER_ACCOUNT", "30 per hour"
        )
        # How long a shared cache or a browser may serve a signed-out page before asking
        # again (bookshelf.caching), and how much longer a cache may serve it while it asks.
        self.CACHE_MAX_AGE = count_setting(environ, "CACHE_MAX_AGE", 60)
        self.CACHE_STALE_SECONDS = count_setting(environ, "CACHE_STALE_SECONDS", 300)
        self.REDIS_URL = redis_url_setting(environ, "REDIS_URL")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        if self.REDIS_URL:
            self.RATELIMIT_STORAGE_OPTIONS = redis_storage_options()


class TestingConfig(Config):
    """Settings for the test suite: the database is the one the test names, and the
    instance folder a temporary one."""

    TESTING = True

    def __init__(
        self,
        database_url: str,
        instance_path: Path,
        direct_url: str | None = None,
        replica_url: str | None = None,
    ):
        environ = {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance_path),
            "SECRET_KEY": secrets.token_hex(16),
        }
        if direct_url:
            environ["DATABASE_DIRECT_URL"] = direct_url
        if replica_url:
            environ["DATABASE_REPLICA_URL"] = replica_url
        super().__init__(environ)
