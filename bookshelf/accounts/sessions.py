"""Who is signed in: Flask-Login on Flask's signed-cookie session, with a per-user token in
the cookie so that signing out, a new password or disabling refuses every cookie issued
before, even a copy an attacker kept (ASVS 7)."""

import hmac
import secrets

from flask import Flask, session
from flask_login import current_user, login_user, logout_user

from bookshelf.accounts.models import User
from bookshelf.extensions import db, login_manager


def init_app(app: Flask) -> None:
    # Templates get `curator` below instead of Flask-Login's `current_user`, which it would
    # load for every page, readers' too.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to change the shelf."
    login_manager.login_message_category = "info"
    # Bookshelf has no "remember me": Flask-Login's hook for that cookie would only look in
    # the session after every request, readers' and the API's too (bench/FINDINGS.md).
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    app.context_processor(curator_for_templates)


def curator_for_templates() -> dict:
    """`curator` for the templates: who is signed in, or None. A reader's request brings no
    session, and then Flask-Login is not asked at all (bench/FINDINGS.md)."""
    signed_in = session and current_user.is_authenticated
    return {"curator": current_user._get_current_object() if signed_in else None}


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
