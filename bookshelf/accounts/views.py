"""Signing in and out."""

from urllib.parse import unquote

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from bookshelf.accounts import sign_in_limits
from bookshelf.accounts.forms import SignInForm
from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import (
    DECOY_HASH,
    hash_password,
    needs_rehash,
    password_matches,
)
from bookshelf.accounts.sessions import sign_in, sign_out
from bookshelf.extensions import db

bp = Blueprint("accounts", __name__)


def path_on_this_site(target: str | None) -> str | None:
    """`target` when it is a path here (/authors/1?page=2), else None: never another site,
    not even as //elsewhere or /\\elsewhere, which browsers read as one (they drop tabs
    and newlines too), nor any of these percent-encoded."""
    if not target:
        return None
    for candidate in (target, unquote(target)):
        if (
            not candidate.isprintable()
            or "\\" in candidate
            or not candidate.startswith("/")
            or candidate.startswith("//")
        ):
            return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limits.per_client
@sign_in_limits.per_account
def login():
    form = SignInForm()
    next_path = path_on_this_site(request.args.get("next"))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user)
            return redirect(next_path or url_for("catalogue.authors_page"), code=303)
        form.password.errors.append("That email and password do not match an account.")
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form, next_path=next_path), status


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password. An unknown email, or a disabled
    account, still costs a hash check, so that its answer takes as long as a wrong
    password's."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or user.disabled:
        password_matches(DECOY_HASH, password)
        return None
    if not password_matches(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


@bp.post("/logout")
@login_required
def logout():
    sign_out(current_user._get_current_object())
    flash("You are signed out.", "info")
    return redirect(url_for("catalogue.authors_page"), code=303)
