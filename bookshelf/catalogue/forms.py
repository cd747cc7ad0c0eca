"""The forms curators edit the shelf with. Each field accepts what its column holds: text
trimmed of surrounding space, within the column's length, with no control characters."""

import unicodedata

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import HiddenInput

from bookshelf.catalogue.models import Author, Book

NAME_LENGTH = Author.__table__.c.name.type.length
COUNTRY_LENGTH = Author.__table__.c.country.type.length
TITLE_LENGTH = Book.__table__.c.title.type.length
# The column has no limit; a bio is a few paragraphs, and a bound keeps a page's size sane.
BIO_LENGTH = 5000


def trimmed(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def trimmed_lines(value: str | None) -> str | None:
    """Trimmed, with the line ends browsers send (CR LF) made plain newlines."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class PlainText:
    """Refuses control characters (NUL and the like; line breaks and tabs too, unless
    `multiline`), and U+FFFD, which a browser never sends but bytes that are not UTF-8
    become: what was meant cannot be told from it."""

    def __init__(self, multiline: bool = False) -> None:
        self.allowed = "\n\t" if multiline else ""

    def __call__(self, form, field) -> None:
        text = field.data or ""
        if "\ufffd" in text:
            raise ValidationError("This has characters that could not be read; type it again.")
        if any(self.is_control(character) for character in text):
            what = (
                "control characters" if self.allowed else "line breaks, tabs or control characters"
            )
            raise ValidationError(f"Remove the {what} from this.")

    def is_control(self, character: str) -> bool:
        return unicodedata.category(character) in ("Cc", "Cs") and character not in self.allowed


def at_most(length: int, what: str) -> Length:
    return Length(
        max=length, message=f"{what} can have at most {length:,} characters; this has %(length)d."
    )


class VersionField(IntegerField):
    """The version of the row the form was opened on, hidden in the form."""

    widget = HiddenInput()

    def __init__(self, **kwargs) -> None:
        # Versions are integers, as ids are: anything past that was never a version.
        super().__init__(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)], **kwargs)

    def move_to(self, version: int) -> None:
        """Carry another version from now on (a conflict's, once the user has seen it)."""
        self.data = version
        self.raw_data = [str(version)]


class AuthorForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the author’s name."),
            at_most(NAME_LENGTH, "A name"),
            PlainText(),
        ],
    )
    country = StringField(
        "Country",
        filters=[trimmed],
        validators=[at_most(COUNTRY_LENGTH, "A country"), PlainText()],
        description="Optional. Pick one already on the shelf, or type another.",
    )
    bio = TextAreaField(
        "Bio",
        filters=[trimmed_lines],
        validators=[at_most(BIO_LENGTH, "A bio"), PlainText(multiline=True)],
        description="Optional. A few sentences about the author.",
    )

    def fields(self) -> dict:
        """The values to store: an empty country or bio is none."""
        return {
            "name": self.name.data,
            "country": self.country.data or None,
            "bio": self.bio.data or None,
        }


class EditAuthorForm(AuthorForm):
    version = VersionField()


class BookForm(FlaskForm):
    title = StringField(
        "Title",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the book’s title."),
            at_most(TITLE_LENGTH, "A title"),
            PlainText(),
        ],
    )


class LastValueField(StringField):
    """A text field whose last value wins. When a move names no one author, the answer
    offers some to choose from, each a submit button of this name placed after the field:
    the one pressed sends its id after the typed text, and the Enter key (which presses the
    form's first button, Save) sends the typed text alone."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            self.data = valuelist[-1]


class EditBookForm(BookForm):
    author_id = LastValueField(
        "Author",
        filters=[trimmed],
        validators=[
            DataRequired("Enter the author’s name or id."),
            at_most(NAME_LENGTH, "An author’s name"),
            PlainText(),
        ],
        description="To move the book to another author, type their name or their id.",
    )
    version = VersionField()
