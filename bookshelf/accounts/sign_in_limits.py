"""How many failed sign-ins a client, and an account, may have (OWASP ASVS 2.2.1): the
limits, their keys, and which answers count. Only failures count, so a curator who signs
in every minute is never turned away, and the form itself (GET) is never limited."""

from flask import Flask, Response, current_app, request
from flask_limiter.util import get_remote_address

from bookshelf.accounts.emails import normalise_email
from bookshelf.extensions import limiter

# The blueprint whose requests the limiter looks at: bookshelf.accounts.views.bp.
BLUEPRINT = "accounts"


def init_app(app: Flask) -> None:
    """Bind the limiter to `app`. Flask-Limiter hooks into every request to find the
    limits that apply to it; only signing in has any, so its hooks are moved to the
    accounts blueprint's requests, and reads pay nothing for them (bench/FINDINGS.md)."""
    limiter.init_app(app)
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        limiters = [hook for hook in hooks[None] if is_the_limiters(hook)]
        hooks[None] = [hook for hook in hooks[None] if hook not in limiters]
        hooks[BLUEPRINT] = [*hooks.get(BLUEPRINT, []), *limiters]


def is_the_limiters(hook) -> bool:
    """A request hook Flask-Limiter added: a method of the limiter, or a function given
    it as first argument."""
    return getattr(hook, "__self__", None) is limiter or limiter in getattr(hook, "args", ())


def limit_per_client() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_CLIENT"]


def limit_per_account() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]


def account_tried() -> str:
    """The account an attempt is for: the email as the form normalises it, known or not,
    so that the limit says nothing of which addresses have accounts."""
    return "account:" + normalise_email(request.form.get("email", ""))


def failed_attempt(response: Response) -> bool:
    """Every answer but a sign-in (a 303) counts, except the 429 that turns an attempt
    away unheard: counting those would keep a client that retries locked out for good."""
    return response.status_code not in (303, 429)


per_client = limiter.limit(
    limit_per_client,
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=failed_attempt,
    error_message="Too many failed attempts to sign in from here. Wait a while and try again.",
)
per_account = limiter.limit(
    limit_per_account,
    key_func=account_tried,
    methods=["POST"],
    deduct_when=failed_attempt,
    error_message="Too many failed attempts to sign in to this account. Try again later.",
)
