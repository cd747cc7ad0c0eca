"""Fixtures for the accounts tests: accounts stored directly, as `flask users` would."""

import pytest

from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import hash_password
from bookshelf.accounts.sessions import new_session_token
from bookshelf.extensions import db


@pytest.fixture
def add_user(app):
    """Store an account and give its id; `password_hash` stands in for a hash of `password`
    made some other way (with older parameters, say)."""

    def add(email, password, *, disabled=False, password_hash=None):
        with app.app_context():
            user = User(
                email=email,
                password_hash=password_hash or hash_password(password),
                disabled=disabled,
                session_token=new_session_token(),
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    return add
