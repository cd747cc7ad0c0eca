"""`flask users`: create, set-password, disable and list accounts; every refusal is one
line and a non-zero exit."""

import pytest
from sqlalchemy import select

from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import password_matches, password_problem
from bookshelf.extensions import db
from tests.conftest import CURATOR_EMAIL, CURATOR_PASSWORD

EMAIL = "librarian@bookshelf.example"
PASSWORD = "shelves of quiet paper"


def account(app, email=EMAIL) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def one_line_error(result) -> str:
    """The single line a refused command ends with, less click's "Error: "."""
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("Error: ")
    return lines[-1].removeprefix("Error: ")


def test_create_asks_for_the_password_twice(app, runner):
    result = runner.invoke(args=["users", "create", EMAIL], input=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "Repeat the password:" in result.output
    assert PASSWORD not in result.output
    assert f"Created an account for {EMAIL}." in result.output
    user = account(app)
    assert password_matches(user.password_hash, PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert not user.disabled
    assert user.created_at is not None


def test_create_asks_again_when_the_two_differ(app, runner):
    result = runner.invoke(
        args=["users", "create", EMAIL],
        input=f"{PASSWORD}\nsomething else entirely\n{PASSWORD}\n{PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert password_matches(account(app).password_hash, PASSWORD)


def test_create_reads_one_line_from_stdin_for_scripts(app, runner):
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=f"{PASSWORD}\nignored\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password:" not in result.output
    assert password_matches(account(app).password_hash, PASSWORD)


def test_create_keeps_the_email_in_lower_case(app, runner):
    result = runner.invoke(
        args=["users", "create", "  Librarian@Bookshelf.EXAMPLE ", "--password-stdin"],
        input=PASSWORD,
    )

    assert result.exit_code == 0, result.output
    assert account(app) is not None


@pytest.mark.parametrize("email", [EMAIL, EMAIL.upper()])
def test_create_refuses_an_email_that_has_an_account(app, runner, email):
    runner.invoke(args=["users", "create", EMAIL, "--password-stdin"], input=PASSWORD)

    result = runner.invoke(args=["users", "create", email, "--password-stdin"], input="other pw 1")

    assert one_line_error(result) == f"There is already an account for {EMAIL}."
    assert password_matches(account(app).password_hash, PASSWORD)


@pytest.mark.parametrize(
    "email, problem",
    [
        ("librarian", "Enter an email address, like name@example.org."),
        ("two words@bookshelf.example", "Enter an email address, like name@example.org."),
        ("a@b@bookshelf.example", "Enter an email address, like name@example.org."),
        ("nul\x00@bookshelf.example", "Enter an email address, like name@example.org."),
        ("", "Enter an email address."),
        ("x" * 250 + "@b.example", "An email address has at most 254 characters."),
    ],
)
def test_create_refuses_what_is_not_an_email_address(app, runner, email, problem):
    result = runner.invoke(args=["users", "create", email, "--password-stdin"], input=PASSWORD)

    assert one_line_error(result).endswith(problem)
    with app.app_context():
        assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "A password needs at least 8 characters."),
        ("", "A password needs at least 8 characters."),
        ("x" * 129, "A password can have at most 128 characters."),
        ("password1", "That password is one of the most common ones; choose another."),
        ("Sunshine", "That password is one of the most common ones; choose another."),
    ],
)
def test_create_refuses_a_weak_password(app, runner, password, problem):
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=f"{password}\n"
    )

    assert one_line_error(result) == problem
    assert account(app) is None


def test_a_password_needs_no_mix_of_characters(app, runner):
    """No composition rules (ASVS 6.2): a long lower-case phrase is a good password."""
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input="correct horse battery"
    )
    assert result.exit_code == 0, result.output


def test_a_password_that_is_not_utf8_is_refused(app, runner):
    result = runner.invoke(
        args=["users", "create", EMAIL, "--password-stdin"], input=b"caf\xe9 au lait\n"
    )

    assert one_line_error(result) == "The password on standard input is not UTF-8."
    assert account(app) is None


def test_a_password_typed_in_a_terminal_that_is_not_utf8_is_refused():
    """In the C locale, Python reads bytes that are not UTF-8 as lone surrogates, which
    cannot be hashed: the prompt's answer is refused rather than a traceback."""
    assert password_problem("caf\udce9 au lait") == (
        "A password can only have characters that UTF-8 can encode."
    )


def test_set_password_replaces_the_password(app, runner, curator):
    result = runner.invoke(
        args=["users", "set-password", CURATOR_EMAIL], input=f"{PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert "sessions are signed out" in result.output
    user = account(app, CURATOR_EMAIL)
    assert password_matches(user.password_hash, PASSWORD)
    assert not password_matches(user.password_hash, CURATOR_PASSWORD)


def test_set_password_refuses_a_weak_one_and_keeps_the_old(app, runner, curator):
    result = runner.invoke(
        args=["users", "set-password", CURATOR_EMAIL, "--password-stdin"], input="qwerty123"
    )

    assert one_line_error(result) == (
        "That password is one of the most common ones; choose another."
    )
    assert password_matches(account(app, CURATOR_EMAIL).password_hash, CURATOR_PASSWORD)


@pytest.mark.parametrize("command", ["set-password", "disable"])
@pytest.mark.parametrize(
    "email, shown",
    [
        ("Nobody@Bookshelf.example", "'nobody@bookshelf.example'"),
        ("nul\x00@bookshelf.example", "'nul\\x00@bookshelf.example'"),
        ("librarian", "'librarian'"),
    ],
)
def test_an_email_without_an_account_is_refused(runner, curator, command, email, shown):
    args = ["users", command, email, *(["--password-stdin"] if command == "set-password" else [])]
    result = runner.invoke(args=args, input=PASSWORD)

    assert one_line_error(result) == f"There is no account for {shown}."


def test_disable_stops_the_account_signing_in(app, runner, curator):
    result = runner.invoke(args=["users", "disable", CURATOR_EMAIL.upper()])

    assert result.exit_code == 0, result.output
    assert f"Disabled the account for {CURATOR_EMAIL}" in result.output
    assert account(app, CURATOR_EMAIL).disabled


def test_list_shows_each_account_and_whether_it_is_disabled(app, runner):
    for email in ("b@bookshelf.example", "a@bookshelf.example"):
        runner.invoke(args=["users", "create", email, "--password-stdin"], input=PASSWORD)
    runner.invoke(args=["users", "disable", "b@bookshelf.example"])

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("a@bookshelf.example  created 20")
    assert lines[0].endswith("active")
    assert lines[1].startswith("b@bookshelf.example  created 20")
    assert lines[1].endswith("disabled")
    assert PASSWORD not in result.output
    assert "argon2" not in result.output


def test_list_says_when_there_are_none(runner):
    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0
    assert "flask users create EMAIL" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["users", "list"],
        ["users", "create", EMAIL, "--password-stdin"],
        ["users", "disable", EMAIL],
    ],
)
def test_an_unmigrated_database_is_one_line(empty_app, args):
    result = empty_app.test_cli_runner().invoke(args=args, input=PASSWORD)

    assert one_line_error(result) == ("The database has no tables yet: run flask db upgrade first.")


def test_an_unreachable_database_is_one_line(make_app, unreachable_postgres_url):
    runner = make_app(unreachable_postgres_url).test_cli_runner()

    result = runner.invoke(args=["users", "list"])

    assert one_line_error(result).startswith("Cannot reach the database")
