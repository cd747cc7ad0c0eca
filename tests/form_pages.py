"""Reading and filling in the curators' forms as a browser does, and what they stored."""

import re
from html import unescape
from html.parser import HTMLParser

from sqlalchemy import select

from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from bookshelf.history.models import Change


class FormFields(HTMLParser):
    """The fields a browser would send from the form posting to `action`: its inputs and
    textareas (not its buttons), by name."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.textarea = action, False, None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("action") == self.action
        elif self.inside and tag == "input" and attributes.get("name"):
            self.fields[attributes["name"]] = attributes.get("value") or ""
        elif self.inside and tag == "textarea":
            self.textarea = attributes["name"]
            self.fields[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # HTML drops a line break just after <textarea>, as browsers do.
            if not self.fields[self.textarea]:
                data = data.removeprefix("\r\n").removeprefix("\n")
            self.fields[self.textarea] += data


def form_fields(page: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(page)
    assert parser.fields, f"no form posting to {action}"
    return parser.fields


def fill_in(client, url: str, form_url: str | None = None, **changes):
    """Open the form at `form_url` (by default `url`), change some of its fields, and send
    it with everything else as the page gave it (the CSRF token, the version)."""
    page = client.get(form_url or url).get_data(as_text=True)
    return client.post(url, data=form_fields(page, url) | changes)


def open_form(client, url: str) -> dict[str, str]:
    """The fields of the form at `url` as it stands now, to send later."""
    return form_fields(client.get(url).get_data(as_text=True), url)


def flash_messages(page: str) -> list[str]:
    return [
        unescape(message) for message in re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page)
    ]


def field_errors(page: str, field_id: str) -> list[str]:
    errors = re.search(rf'<ul class="errors" id="{field_id}-errors">(.*?)</ul>', page, re.DOTALL)
    return (
        [unescape(error) for error in re.findall(r"<li>(.*?)</li>", errors.group(1))]
        if errors
        else []
    )


INLINE_TAGS = r"</?(?:a|span|strong|cite|em|mark|del|ins|time|code)\b[^>]*>"


def text_of(page: str) -> str:
    """The words of the page's main content, without markup, in one line."""
    return words(page.split('<main id="content">', 1)[1].split("</main>", 1)[0])


def words(html: str) -> str:
    """The words of a piece of a page, without markup, in one line."""
    text = re.sub(r"<[^>]+>", " ", re.sub(INLINE_TAGS, "", html))
    return " ".join(unescape(text).split())


def follow(client, response) -> str:
    """The page a 303 leads to."""
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def shelf(app) -> tuple:
    """Every author and book, with every column: what the tests compare before and after."""
    with app.app_context():
        authors = db.session.execute(select(Author.__table__).order_by(Author.id)).all()
        books = db.session.execute(select(Book.__table__).order_by(Book.id)).all()
        return tuple(authors), tuple(books)


def recorded_changes(app) -> list:
    """The history, oldest first."""
    with app.app_context():
        return db.session.execute(select(Change.__table__).order_by(Change.id)).all()


def author_row(app, author_id: int):
    with app.app_context():
        return db.session.execute(select(Author.__table__).where(Author.id == author_id)).first()


def book_rows(app, author_id: int) -> list:
    with app.app_context():
        return db.session.execute(
            select(Book.__table__).where(Book.author_id == author_id).order_by(Book.id)
        ).all()
