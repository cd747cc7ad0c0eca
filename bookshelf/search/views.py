"""The search page, whose box is in every page's header."""

from flask import Blueprint, render_template, request

from bookshelf.caching import shared
from bookshelf.catalogue.list_options import Paging, clean_text
from bookshelf.search.queries import COUNT_BOUND
from bookshelf.search.results import search

bp = Blueprint("search", __name__)


@bp.get("/search")
@shared
def search_page():
    query = clean_text(request.args.get("q"))
    paging = Paging.from_args(request.args)
    as_typed = request.args.get("as_typed") == "1"
    results = search(query, paging, as_typed)
    # Links to other pages keep the page length and the choice of spelling.
    link_args = Paging(per_page=paging.per_page).link_args() | ({"as_typed": 1} if as_typed else {})
    return render_template(
        "search/results.html",
        results=results,
        query=query,
        paging=paging,
        last_page=results.last_page(paging.per_page),
        link_args=link_args,
        count_bound=COUNT_BOUND,
    )
