"""What the templates get beyond Jinja's own: the thousands filter and a paging test."""

from flask import Flask

from bookshelf.catalogue.list_options import has_previous_page


def thousands(number: int) -> str:
    """1234567 as "1,234,567"."""
    return f"{number:,}"


def init_app(app: Flask) -> None:
    app.add_template_filter(thousands)
    app.add_template_test(has_previous_page)
