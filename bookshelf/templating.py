"""What the templates get beyond Jinja's own: the thousands and highlight filters, a paging
test, and the address of the page being shown."""

from flask import Flask, request
from markupsafe import Markup, escape

from bookshelf.catalogue.list_options import has_previous_page


def thousands(number: int) -> str:
    """1234567 as "1,234,567"."""
    return f"{number:,}"


def highlight(text: str, search: str) -> Markup:
    """`text`, escaped, with each place `search` occurs in it marked with <mark>.

    Case is ignored as the search ignores it, by lowering both (ILIKE lowers on
    PostgreSQL, as lower() does on SQLite). A character may lower to two ("İ" to "i̇"):
    a match that starts or ends inside one marks the whole character.
    """
    wanted = lowered(search)
    if not wanted:
        return escape(text)
    haystack = lowered(text)
    # For each character of the haystack, the index of the character of `text` it came from.
    source = [index for index, character in enumerate(text) for _ in character.lower()]
    pieces = []
    done = 0
    found = haystack.find(wanted)
    while found != -1:
        start = max(source[found], done)
        end = source[found + len(wanted) - 1] + 1
        if start < end:
            pieces += [escape(text[done:start]), Markup("<mark>%s</mark>") % text[start:end]]
            done = end
        found = haystack.find(wanted, found + len(wanted))
    pieces.append(escape(text[done:]))
    return Markup("").join(pieces)


def lowered(text: str) -> str:
    """`text` lowered a character at a time, so that it lines up with `text`."""
    return "".join(character.lower() for character in text)


def this_page() -> str:
    """The path and query string of this request, for a link back to it; a query string
    that is not UTF-8 (a 400 already) is left off."""
    try:
        query = request.query_string.decode()
    except UnicodeDecodeError:
        query = ""
    return f"{request.path}?{query}" if query else request.path


def init_app(app: Flask) -> None:
    app.add_template_filter(thousands)
    app.add_template_filter(highlight)
    app.add_template_test(has_previous_page)
    app.add_template_global(this_page)
