"""Who is signed in: Flask-Login on Flask's signed-cookie session, with a per-user token in
the cookie so that signing out, a new password or disabling refuses every cookie issued
before, even a copy an attacker kept (ASVS 7)."""

import hmac
import secrets

from flask import Flask, session
from flask_login import login_user, logout_user

from bookshelf.accounts.models import User
from bookshelf.extensions import db, login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to change the shelf."
    login_manager.login_message_category = "info"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def load_user(session_id: str) -> User | None:
    """The user a session cookie names, while its token is the user's current one."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.disabled or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def sign_in(user: User) -> None:
    """A new session: nothing of the anonymous one carries over."""
    session.clear()
    login_user(user)


def revoke_sessions(user: User) -> None:
    """Refuse every cookie issued to `user` so far; the caller commits."""
    user.session_token = new_session_token()


def sign_out(user: User) -> None:
    revoke_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
