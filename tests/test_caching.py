"""What a shared cache in front of Bookshelf may keep: signed-out pages and API answers, with
a validator that every change to the shelf renews, and static files by their content; and
never what a signed-in browser, or an answer that sets a cookie, is given."""

import re

import pytest
from sqlalchemy import text

from bookshelf.extensions import db
from tests.form_pages import fill_in

SHARED = ["/authors/", "/authors/{id}", "/search?q=guin", "/api/authors/", "/api/books/{id}"]


@pytest.fixture
def le_guin(add_author):
    return add_author("Ursula K. Le Guin", books=["The Dispossessed"])


def shared_paths(author_id: int) -> list[str]:
    return [path.format(id=author_id) for path in SHARED]


def version(app) -> int:
    with app.app_context():
        return db.session.execute(text("SELECT version FROM shelf_version")).scalar_one()


def test_signed_out_answers_are_public_with_a_validator(client, le_guin):
    for path in shared_paths(le_guin):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == (
            "public, max-age=60, stale-while-revalidate=300"
        ), path
        assert response.headers["ETag"], path
        assert "Set-Cookie" not in response.headers, path


def test_pages_vary_with_the_cookie_and_the_api_does_not_even_when_unchanged(client, le_guin):
    """A page shows who is signed in; the API's answers are the same for everyone. A 304
    says so as the full answer would."""
    for path in shared_paths(le_guin):
        response = client.get(path)
        unchanged = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        varies = not path.startswith("/api/")
        assert ("Cookie" in response.headers.get("Vary", "")) is varies, path
        assert ("Cookie" in unchanged.headers.get("Vary", "")) is varies, path


def test_an_unchanged_shelf_answers_304_after_one_read(client, le_guin, sql_statements):
    for path in shared_paths(le_guin):
        validator = client.get(path).headers["ETag"]
        sql_statements.clear()

        response = client.get(path, headers={"If-None-Match": validator})

        assert response.status_code == 304, path
        assert response.data == b""
        assert response.headers["ETag"] == validator
        assert response.headers["Cache-Control"].startswith("public, max-age=60")
        assert len(sql_statements) == 1, sql_statements
        assert "shelf_version" in sql_statements[0]


def test_an_edit_renews_the_validator(app, client, curator_client, le_guin):
    page = f"/authors/{le_guin}"
    validator = client.get(page).headers["ETag"]

    response = fill_in(curator_client, f"/authors/{le_guin}/edit", name="Ursula Le Guin")
    assert response.status_code == 303

    changed = client.get(page, headers={"If-None-Match": validator})
    assert changed.status_code == 200
    assert "Ursula Le Guin" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != validator


def test_every_change_to_authors_or_books_counts_once_per_statement(app, runner, le_guin):
    before = version(app)
    with app.app_context():
        db.session.execute(text("UPDATE books SET title = 'The Lathe of Heaven'"))
        db.session.execute(text("DELETE FROM books"))
        db.session.execute(text("UPDATE authors SET bio = 'Wrote of Earthsea.'"))
        db.session.commit()
    assert version(app) > before

    before = version(app)
    with app.app_context():
        db.session.execute(text("UPDATE authors SET bio = 'Rolled back.'"))
        db.session.rollback()
    assert version(app) == before

    assert runner.invoke(args=["seed", "--append"]).exit_code == 0
    assert version(app) > before


def test_a_signed_in_curator_gets_private_answers_only(curator_client, le_guin):
    for path in shared_paths(le_guin):
        response = curator_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers, path
        assert "public" not in response.headers["Cache-Control"]


def test_answers_that_set_a_cookie_or_are_not_pages_are_not_shared(client, le_guin):
    sign_in = client.get("/login")
    assert "Set-Cookie" in sign_in.headers
    assert sign_in.headers["Cache-Control"] == "private, no-store"
    for path in ["/authors/999999", "/healthz", "/authors/?q=guin"]:
        response = client.get(path)
        assert "public" not in response.headers.get("Cache-Control", ""), path
        assert "ETag" not in response.headers, path


def test_static_files_are_linked_by_their_content_and_kept_a_year(client):
    page = client.get("/authors/").get_data(as_text=True)
    [stylesheet] = re.findall(r'href="(/static/style\.css\?v=[0-9a-f]+)"', page)

    assert client.get(stylesheet).headers["Cache-Control"] == (
        "public, max-age=31536000, immutable"
    )
    for stale in ["/static/style.css?v=0123456789abcdef", "/static/style.css"]:
        response = client.get(stale)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", ""), stale


def downgraded(app, runner) -> None:
    assert runner.invoke(args=["db", "downgrade", "-1"]).exit_code == 0


def without_the_row(app, runner) -> None:
    """As add-shelf-version leaves the shelf until its last step: the table, but no row."""
    with app.app_context():
        db.session.execute(text("DELETE FROM shelf_version"))
        db.session.commit()


@pytest.mark.parametrize("schema", [downgraded, without_the_row])
def test_on_a_schema_without_the_shelfs_version_pages_are_served_uncached(
    app, client, runner, le_guin, schema
):
    """As while a deploy migrates: the pages work, and no cache is told to keep them."""
    schema(app, runner)
    for path in shared_paths(le_guin):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "ETag" not in response.headers, path
        assert "public" not in response.headers.get("Cache-Control", ""), path


def test_the_shelfs_version_made_again_after_a_downgrade_repeats_no_validator(client, runner):
    """A cache that kept a page before the downgrade must not have it confirmed afterwards:
    the shelf may have changed meanwhile, with nothing counting."""
    page = "/authors/"
    validator = client.get(page).headers["ETag"]
    assert runner.invoke(args=["db", "downgrade", "-1"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0

    response = client.get(page, headers={"If-None-Match": validator})

    assert response.status_code == 200
    assert response.headers["ETag"] != validator
