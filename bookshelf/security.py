"""Browser-facing safety: response headers on every answer, session cookies kept out of
shared caches, CSRF tokens on every write, client addresses from a trusted proxy, and the
secret key."""

import os
import secrets
from pathlib import Path

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from werkzeug.middleware.proxy_fix import ProxyFix

from bookshelf.extensions import csrf

# No inline script or style anywhere (the app needs no JavaScript at all), nothing from
# other origins, and no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building a signer for the requests that bring
    no session cookie, nearly all of them (its cost is in bench/FINDINGS.md)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's, which adds Vary: Cookie to whatever read the session; and an answer to a
        browser that has a session (someone signed in, or a form's CSRF token), or one that
        sets a cookie, is for that browser alone: no shared cache may keep it, nor the
        browser on disk. Browsing signed out makes no session, so a cache can serve the
        catalogue to everyone."""
        super().save_session(app, session, response)
        if session or "Set-Cookie" in response.headers:
            response.headers["Cache-Control"] = "private, no-store"


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.after_request(add_security_headers)
    app.before_request(refuse_writes_without_csrf_token)
    if app.config["TRUSTED_PROXIES"]:
        # The client's address as the last N proxies saw it; with none trusted,
        # X-Forwarded-For is anyone's to write and is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(Path(app.instance_path) / "secret_key")


def refuse_writes_without_csrf_token() -> None:
    """Every POST to a route needs its form's CSRF token (a 400 otherwise); reads are not
    looked at, and a POST that matched no route keeps its 404 or 405."""
    config = current_app.config
    if (
        config["WTF_CSRF_ENABLED"]
        and request.method in config["WTF_CSRF_METHODS"]
        and request.endpoint
    ):
        csrf.protect()


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def load_or_create_secret_key(path: Path) -> str:
    """The key kept in `path`, made (random, readable by its owner only) on first use.

    Several workers may start at once: each writes its own candidate to a temporary file
    and links it into place, which only one of them can do; all then read the winner's.
    """
    if not path.exists():
        candidate = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(candidate, path)
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    return path.read_text().strip()
