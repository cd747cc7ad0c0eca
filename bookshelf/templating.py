"""What the templates get beyond Jinja's own: the thousands filter, a paging test, and the
address of the page being shown."""

from flask import Flask, request

from bookshelf.catalogue.list_options import has_previous_page


def thousands(number: int) -> str:
    """1234567 as "1,234,567"."""
    return f"{number:,}"


def this_page() -> str:
    """The path and query string of this request, for links back to it; a query string that
    is not UTF-8 (a 400 already) is left off."""
    try:
        return request.full_path.rstrip("?")
    except UnicodeDecodeError:
        return request.path


def init_app(app: Flask) -> None:
    app.add_template_filter(thousands)
    app.add_template_test(has_previous_page)
    app.add_template_global(this_page)
