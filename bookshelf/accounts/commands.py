"""`flask users`: curators' accounts from the command line. Bookshelf has no sign-up page;
an administrator creates each account here."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bookshelf.accounts.emails import email_problem, normalise_email
from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import hash_password, password_problem
from bookshelf.accounts.sessions import new_session_token, revoke_sessions
from bookshelf.errors import database_error_cause
from bookshelf.extensions import db
from bookshelf.seeding.commands import require_current_schema

users_command = AppGroup("users", help="Curators' accounts: create, set-password, disable, list.")

password_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input, for scripts, "
    "instead of asking for it twice.",
)


@users_command.command("create")
@click.argument("email")
@password_stdin
def create_user(email: str, password_stdin: bool) -> None:
    """Create a curator's account for EMAIL.

    Asks for its password twice, or with --password-stdin reads it from the first line
    of standard input.
    """
    email = valid_email(email)
    require_current_schema()
    if find_user(email) is not None:
        raise click.ClickException(f"There is already an account for {email}.")
    password = new_password(password_stdin)
    db.session.add(
        User(email=email, password_hash=hash_password(password), session_token=new_session_token())
    )
    commit(duplicate=f"There is already an account for {email}.")
    click.echo(f"Created an account for {email}.")


@users_command.command("set-password")
@click.argument("email")
@password_stdin
def set_password(email: str, password_stdin: bool) -> None:
    """Set a new password for EMAIL's account.

    Every session the account has, on any device, is signed out.
    """
    user = existing_user(email)
    user.password_hash = hash_password(new_password(password_stdin))
    revoke_sessions(user)
    commit()
    click.echo(f"Set a new password for {user.email}; its sessions are signed out.")


@users_command.command("disable")
@click.argument("email")
def disable_user(email: str) -> None:
    """Disable EMAIL's account.

    It can no longer sign in, and every session it has is signed out.
    """
    user = existing_user(email)
    user.disabled = True
    revoke_sessions(user)
    commit()
    click.echo(f"Disabled the account for {user.email}; its sessions are signed out.")


@users_command.command("list")
def list_users() -> None:
    """List the accounts.

    Each with its email, when it was created, and whether it is disabled.
    """
    require_current_schema()
    users = db.session.scalars(select(User).order_by(User.email)).all()
    if not users:
        click.echo("There are no accounts yet: create one with `flask users create EMAIL`.")
        return
    width = max(len(user.email) for user in users)
    for user in users:
        state = "disabled" if user.disabled else "active"
        click.echo(f"{user.email:<{width}}  created {user.created_at:%Y-%m-%d %H:%M}  {state}")


def valid_email(email: str) -> str:
    normalised = normalise_email(email)
    problem = email_problem(normalised)
    if problem:
        raise click.ClickException(f"{email!r} is not an email address. {problem}")
    return normalised


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def existing_user(email: str) -> User:
    email = normalise_email(email)
    require_current_schema()
    # What cannot be an address has no account, and is not sent to the database (which
    # may refuse it: PostgreSQL takes no NUL in text).
    user = find_user(email) if email_problem(email) is None else None
    if user is None:
        raise click.ClickException(f"There is no account for {email!r}.")
    return user


def new_password(from_stdin: bool) -> str:
    """The new password, asked for twice, or the first line of standard input; refused
    with the reason when too short, too long or too common."""
    if from_stdin:
        line = sys.stdin.buffer.readline()
        try:
            password = line.decode().rstrip("\r\n")
        except UnicodeDecodeError:
            raise click.ClickException("The password on standard input is not UTF-8.") from None
    else:
        password = click.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


def commit(duplicate: str | None = None) -> None:
    """Commit, or end with one line saying why nothing was written: `duplicate` when the
    email's account exists already (made by another command in the meantime)."""
    try:
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        if duplicate and isinstance(error, IntegrityError):
            raise click.ClickException(duplicate) from None
        raise click.ClickException(f"Nothing was changed: {database_error_cause(error)}") from None
