"""Security headers on every answer, safe cookies, and a secret key that is never a constant."""

import multiprocessing
import re
import stat

import pytest
from flask import session

from bookshelf import create_app
from bookshelf.security import load_or_create_secret_key
from config import Config

PATHS = [
    "/",
    "/authors/",
    "/authors/?q=%3Cscript%3E",
    "/search?q=%3Cscript%3E",
    "/api/search?q=ring",
    "/authors/1",
    "/books/1",
    "/api/authors/",
    "/api/books/1",
    "/healthz",
    "/static/style.css",
    "/authors/999",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_security_headers(client, add_author, path):
    add_author(books=["A Wizard of Earthsea"])
    response = client.get(path)

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_rejected_method_carries_them_too(client):
    response = client.post("/authors/")
    assert response.status_code == 405
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/authors/", "/authors/1", "/no-such-page"])
def test_pages_have_no_inline_script_or_style_for_the_policy_to_block(client, add_author, path):
    add_author()
    page = client.get(path).get_data(as_text=True)
    assert "<script" not in page
    assert not re.search(r"\sstyle=", page)
    assert "<style" not in page


def test_the_session_cookie_is_http_only_and_same_site(app):
    with app.test_request_context("/"):
        session["reader"] = "somebody"
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_secret_key_is_made_once_and_kept(tmp_path):
    path = tmp_path / "secret_key"
    first = load_or_create_secret_key(path)
    assert len(first) == 64
    assert load_or_create_secret_key(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret_key(tmp_path / "other_key") != first


def test_workers_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / "secret_key"
    with multiprocessing.get_context("fork").Pool(8) as pool:
        keys = pool.map(load_or_create_secret_key, [path] * 32)
    assert set(keys) == {path.read_text()}
    assert list(tmp_path.iterdir()) == [path]


def test_without_secret_key_the_app_uses_the_one_kept_in_instance(tmp_path):
    environ = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
        "INSTANCE_PATH": str(tmp_path),
    }
    first = create_app(Config(environ)).config["SECRET_KEY"]
    assert first == (tmp_path / "secret_key").read_text()
    assert create_app(Config(environ)).config["SECRET_KEY"] == first


def test_secret_key_from_the_environment_wins(tmp_path):
    environ = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "k" * 40,
    }
    assert create_app(Config(environ)).config["SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_a_session_cookie_the_app_set_comes_back_as_the_session(app):
    with app.test_request_context("/"):
        session["reader"] = "somebody"
        response = app.response_class()
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"].split(";")[0]

    with app.test_request_context("/", headers={"Cookie": cookie}):
        assert session["reader"] == "somebody"
    with app.test_request_context("/"):
        assert "reader" not in session
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    with app.test_request_context("/", headers={"Cookie": forged}):
        assert "reader" not in session
