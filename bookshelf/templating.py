"""What the templates get beyond Jinja's own: the thousands and highlight filters, a paging
test, and the address of the page being shown."""

import re
from functools import lru_cache

from flask import Flask, request
from markupsafe import Markup, escape

from bookshelf.catalogue.list_options import has_previous_page
from bookshelf.search.words import WORD, search_words


def thousands(number: int) -> str:
    """1234567 as "1,234,567"."""
    return f"{number:,}"


# A word in escaped text (as the search splits words), or an entity the escaping wrote
# (&amp;, &#39;), which is no word of the text's and is left as it is.
ESCAPED_WORD = re.compile(r"&#?\w+;|" + WORD.pattern)


@lru_cache(maxsize=4096)
def words_of(token: str) -> tuple[str, ...]:
    """search_words of one word as written, remembered: a page of results highlights the
    same words again and again (an author's name beside each of their books)."""
    return tuple(search_words(token))


def highlight(text: str, words: tuple[str, ...]) -> Markup:
    """`text`, escaped, with each of its words that starts like one of a search's `words`
    (bookshelf.search.words) marked with <mark>: "Émile" is marked for `emile`. Escaping
    leaves letters and digits as they are, so the words are marked in the escaped text, in
    one pass (bench/FINDINGS.md has what it saves)."""

    def marked(found: re.Match) -> str:
        token = found.group()
        if token[0] != "&" and any(word.startswith(words) for word in words_of(token)):
            return f"<mark>{token}</mark>"
        return token

    return Markup(ESCAPED_WORD.sub(marked, str(escape(text))))


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
