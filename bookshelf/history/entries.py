"""What a change says to a reader of the history: what happened to which row, the fields
that changed, and whether it can be undone."""

from dataclasses import dataclass
from datetime import UTC, datetime

# The fields a change shows, by kind of row, with their labels, the one that names the row
# first; the rest (created_at, version, book_count) are kept for restoring.
SHOWN_FIELDS = {
    "author": (("name", "Name"), ("country", "Country"), ("bio", "Bio")),
    "book": (("title", "Title"),),
}
VERBS = {"create": "Added", "update": "Edited", "delete": "Deleted", "restore": "Restored"}


def in_utc(moment: datetime) -> datetime:
    """A change's made_at in UTC: SQLite gives back the UTC time it was given, without its
    zone; PostgreSQL gives it in the session's time zone."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Difference:
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Entry:
    """A row of the history queries (bookshelf.history.queries), as the pages show it."""

    change: tuple

    @property
    def verb(self) -> str:
        return VERBS[self.change.action]

    @property
    def fields(self) -> dict:
        """The row's fields as the change left them, or as they were before a delete."""
        return self.change.after or self.change.before

    @property
    def subject(self) -> str:
        return self.fields["name" if self.change.kind == "author" else "title"]

    @property
    def when(self) -> datetime:
        return in_utc(self.change.made_at)

    @property
    def values(self) -> list[Difference]:
        """For an update, each field it changed, from and to; otherwise each field with a
        value, but the name or title, which the entry's summary gives."""
        before, after = self.change.before or {}, self.change.after or {}
        [_, *others] = SHOWN_FIELDS[self.change.kind]
        if self.change.action == "update":
            return [
                Difference(label, before.get(name), after.get(name))
                for name, label in SHOWN_FIELDS[self.change.kind]
                if before.get(name) != after.get(name)
            ]
        return [
            Difference(label, None, self.fields[name])
            for name, label in others
            if self.fields.get(name)
        ]

    @property
    def moved(self) -> bool:
        """A book given to another author; other_author_id is the one it left."""
        return self.change.other_author_id is not None

    @property
    def books(self) -> int | None:
        """How many books an author had when deleted, or came back with when restored."""
        if self.change.kind == "author" and self.change.action in ("delete", "restore"):
            return self.fields["book_count"]
        return None

    @property
    def restorable(self) -> bool:
        """A delete nothing has undone, whose row can come back now: a book needs its
        author on the shelf (author_name is their current name)."""
        return (
            self.change.action == "delete"
            and not self.change.superseded
            and (self.change.kind == "author" or self.change.author_name is not None)
        )
