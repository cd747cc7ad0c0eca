"""The accounts' settings, read from the environment: a value that cannot be right stops
the app with one line naming the setting."""

import pytest

from config import Config


@pytest.fixture
def environ(tmp_path):
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
        "INSTANCE_PATH": str(tmp_path),
    }


def test_the_defaults(environ):
    config = Config(environ)

    assert config.SESSION_COOKIE_SECURE is False
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert config.TRUSTED_PROXIES == 0
    assert config.SIGN_IN_LIMIT_PER_CLIENT == "10 per minute"
    assert config.SIGN_IN_LIMIT_PER_ACCOUNT == "30 per hour"
    assert config.REDIS_URL is None
    assert config.RATELIMIT_STORAGE_URI == "memory://"


@pytest.mark.parametrize("value", ["1", "true", "True", "yes", "on"])
def test_secure_cookies_can_be_turned_on(environ, value):
    assert Config({**environ, "SESSION_COOKIE_SECURE": value}).SESSION_COOKIE_SECURE is True


@pytest.mark.parametrize("value", ["", "0", "false", "no", "off"])
def test_secure_cookies_can_be_left_off(environ, value):
    assert Config({**environ, "SESSION_COOKIE_SECURE": value}).SESSION_COOKIE_SECURE is False


def test_settings_come_from_the_environment(environ):
    config = Config(
        {
            **environ,
            "TRUSTED_PROXIES": "2",
            "SIGN_IN_LIMIT_PER_CLIENT": "5/minute",
            "SIGN_IN_LIMIT_PER_ACCOUNT": "20 per hour; 50 per day",
            "REDIS_URL": "redis://cache.internal:6379/2",
        }
    )

    assert config.TRUSTED_PROXIES == 2
    assert config.SIGN_IN_LIMIT_PER_CLIENT == "5/minute"
    assert config.SIGN_IN_LIMIT_PER_ACCOUNT == "20 per hour; 50 per day"
    assert config.RATELIMIT_STORAGE_URI == "redis://cache.internal:6379/2"


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("SESSION_COOKIE_SECURE", "maybe", "SESSION_COOKIE_SECURE is 'maybe'; expected 1 or 0"),
        ("TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES is '-1'; expected a whole number"),
        ("TRUSTED_PROXIES", "one", "TRUSTED_PROXIES is 'one'; expected a whole number"),
        ("TRUSTED_PROXIES", "١", "TRUSTED_PROXIES is '١'; expected a whole number"),
        (
            "SIGN_IN_LIMIT_PER_CLIENT",
            "ten a minute",
            "SIGN_IN_LIMIT_PER_CLIENT is 'ten a minute', which is not a rate limit",
        ),
        (
            "SIGN_IN_LIMIT_PER_ACCOUNT",
            "30",
            "SIGN_IN_LIMIT_PER_ACCOUNT is '30', which is not a rate limit",
        ),
        ("REDIS_URL", "localhost:6379", "REDIS_URL is not a Redis URL"),
        ("REDIS_URL", "http://cache.internal", "REDIS_URL is not a Redis URL"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(environ, name, value, message):
    with pytest.raises(ValueError) as raised:
        Config({**environ, name: value})
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
