"""URL converters shared by the blueprints."""

from werkzeug.routing import IntegerConverter

# The largest value of PostgreSQL's `integer`, the type of every id column.
MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """A row id in a URL: 1 to MAX_ROW_ID, in ASCII digits without leading zeros.

    Anything else does not match, so it is a 404 rather than a query the database would
    reject, or a second URL (01, or digits from another script) for the same page.
    """

    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map) -> None:
        super().__init__(map, min=1, max=MAX_ROW_ID)
