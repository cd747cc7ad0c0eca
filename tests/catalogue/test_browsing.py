"""Browsing the author list: paging, search, sort, country filter, and the way back."""

import html
import re

import pytest


def text_of(markup: str) -> str:
    """What a reader sees of a fragment: its text, without tags such as <mark>."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def names_on(page: str) -> list[str]:
    return [text_of(name) for name in re.findall(r'<th scope="row"><a [^>]*>(.*?)</a>', page)]


def titles_on(page: str) -> list[str]:
    block = page.split('<ul class="books">', 1)[1].split("</ul>", 1)[0]
    return [text_of(title) for title in re.findall(r"<li>(.*?)</li>", block)]


def row_of(page: str, name: str) -> str:
    """The author list's row for the author called `name`."""
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")
    return next(row for row in rows if names_on(row) == [name])


def matching_titles_in(row: str) -> str:
    """The titles a search result shows as the reason it is there, as a reader reads them."""
    found = re.search(r'<p class="matching-titles">(.*?)</p>', row, re.S)
    return " ".join(text_of(found[1]).split()) if found else ""


def marked_in(markup: str) -> list[str]:
    return [html.unescape(marked) for marked in re.findall(r"<mark>(.*?)</mark>", markup)]


def pager(page: str, label: str) -> str:
    """The navigation labelled exactly `label`, as markup."""
    return re.search(rf'<nav class="[^"]*" aria-label="{re.escape(label)}">.*?</nav>', page, re.S)[
        0
    ]


def get_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def status_line(page: str) -> str:
    return " ".join(
        re.search(r'<p class="summary[^"]*" role="status">(.*?)</p>', page, re.S)[1].split()
    )


# Paging


def test_the_list_shows_25_authors_a_page_with_links_to_the_others(client, add_authors):
    add_authors(30)

    first = get_page(client, "/authors/")
    second = get_page(client, "/authors/?page=2")

    assert names_on(first) == [f"Author {n:03}" for n in range(1, 26)]
    assert status_line(first) == "Showing 1–25 of 30 authors"
    assert 'rel="next" href="/authors/?page=2"' in first
    assert 'aria-current="page" href="/authors/?page=1"' in first
    assert names_on(second) == [f"Author {n:03}" for n in range(26, 31)]
    assert status_line(second) == "Showing 26–30 of 30 authors"
    assert 'rel="prev" href="/authors/?page=1"' in second


def test_per_page_is_honoured_up_to_100(client, add_authors):
    add_authors(120)

    assert len(names_on(get_page(client, "/authors/?per_page=10"))) == 10
    page = get_page(client, "/authors/?per_page=5000")
    assert len(names_on(page)) == 100
    assert 'href="/authors/?page=2&amp;per_page=100"' in page


def test_long_lists_number_their_pages_around_the_current_one(client, add_authors):
    add_authors(60)

    page = get_page(client, "/authors/?per_page=2&page=15")

    links = re.findall(
        r'<a (?:aria-current="page" )?href="/authors/\?page=(\d+)&amp;per_page=2">\d+</a>', page
    )
    assert links == ["1", "13", "14", "15", "16", "17", "18", "30"]
    assert page.count('<span class="gap">…</span>') == 2


@pytest.mark.parametrize("query", ["page=abc", "page=-3", "page=0", "per_page=x&page=", "page=%00"])
def test_malformed_paging_shows_the_first_page(client, add_authors, query):
    add_authors(3)
    assert names_on(get_page(client, f"/authors/?{query}")) == [
        "Author 001",
        "Author 002",
        "Author 003",
    ]


@pytest.mark.parametrize("page_number", ["3", "99999999999999999999999"])
def test_a_page_past_the_end_is_empty_with_a_way_back(client, add_authors, page_number):
    add_authors(30)

    page = get_page(client, f"/authors/?page={page_number}")

    assert names_on(page) == []
    assert "the list has 2 pages" in status_line(page)
    assert '<a href="/authors/?page=2">Go to the last page</a>' in page
    assert '<a href="/authors/">back to the first</a>' in page


@pytest.mark.parametrize(
    ("list_of", "label", "list_starts"),
    [("authors", "Pages of authors", "<table"), ("books", "Pages of books", '<ul class="books">')],
)
def test_pagers_above_and_below_a_list_say_which_page_of_how_many(
    client, add_authors, add_author, list_of, label, list_starts
):
    add_authors(29)
    author_id = add_author("Prolific", books=[f"Book {n:02}" for n in range(30)])
    path = "/authors/" if list_of == "authors" else f"/authors/{author_id}"

    page = get_page(client, f"{path}?page=2&per_page=10")

    above, below = pager(page, f"{label}, top"), pager(page, label)
    assert page.index(above) < page.index(list_starts) < page.index(below)
    for nav in (above, below):
        assert "Page 2 of 3" in text_of(nav)
        assert f'rel="prev" href="{path}?page=1&amp;per_page=10"' in nav
        assert f'rel="next" href="{path}?page=3&amp;per_page=10"' in nav
    # Only the pager below numbers the pages.
    assert 'aria-current="page"' in below
    assert 'aria-current="page"' not in above


def test_a_list_of_one_page_has_no_pager(client, add_authors):
    add_authors(3)
    page = get_page(client, "/authors/")
    assert '<nav class="pagination' not in page
    assert "Page 1 of 1" not in page


# Searching


def test_search_matches_names_and_book_titles_ignoring_case(client, add_author):
    add_author("J.R.R. Tolkien", books=["The Two Towers"])
    add_author("George R.R. Martin", books=["A Game of Thrones"])
    add_author("Tove Jansson", books=["Moominvalley in November"])

    assert names_on(get_page(client, "/authors/?q=tolkien")) == ["J.R.R. Tolkien"]
    assert names_on(get_page(client, "/authors/?q=TOWERS")) == ["J.R.R. Tolkien"]
    assert names_on(get_page(client, "/authors/?q=to")) == ["J.R.R. Tolkien", "Tove Jansson"]
    assert names_on(get_page(client, "/authors/?q=+")) == [
        "George R.R. Martin",
        "J.R.R. Tolkien",
        "Tove Jansson",
    ]


def test_an_author_with_many_matching_books_is_listed_once(client, add_author):
    add_author("Terry Pratchett", books=["Guards! Guards!", "Men at Arms", "Feet of Clay"])
    page = get_page(client, "/authors/?q=a")
    assert names_on(page) == ["Terry Pratchett"]
    assert status_line(page) == "Showing 1–1 of 1 author"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("%", "100% Fiction"), ("_", "Snake_case"), ("\\", "Back\\slash"), ("0%", "100% Fiction")],
)
def test_like_wildcards_in_a_search_are_plain_characters(client, add_author, query, expected):
    for name in (
        "100% Fiction",
        "1000 Fictions",
        "Snake_case",
        "Snakecase",
        "Back\\slash",
        "Backslash",
    ):
        add_author(name)
    assert names_on(get_page(client, "/authors/?" + f"q={query}".replace("%", "%25"))) == [expected]


def test_a_search_with_no_match_says_so_and_echoes_the_query_safely(client, add_author):
    add_author("Mary Shelley")

    page = get_page(client, "/authors/?q=%3Cscript%3Ealert(1)%3C/script%3E")

    assert names_on(page) == []
    assert "No authors match." in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# Why a search found an author


def test_a_search_shows_the_titles_it_matched_highlighted(client, add_author):
    add_author(
        "Ursula K. Le Guin",
        books=["The Wandering Ring", "A Wizard of Earthsea", "Spring Tales", "Ring Cycle", "Bring"],
    )
    add_author("Tove Jansson", books=["The Summer Book", "RINGS of Moominvalley"])

    page = get_page(client, "/authors/?q=rInG")

    le_guin, jansson = row_of(page, "Ursula K. Le Guin"), row_of(page, "Tove Jansson")
    # The first three by title, and how many more there are.
    assert (
        matching_titles_in(le_guin) == "Matching titles: Bring, Ring Cycle, Spring Tales and 1 more"
    )
    assert marked_in(le_guin) == ["ring", "Ring", "ring"]
    assert "<cite>Sp<mark>ring</mark> Tales</cite>" in le_guin
    assert matching_titles_in(jansson) == "Matching titles: RINGS of Moominvalley"
    assert marked_in(jansson) == ["RING"]


def test_a_name_that_matched_is_highlighted_and_shows_no_titles(client, add_author):
    add_author("Ringo Starr", books=["Octopus's Garden"])

    row = row_of(get_page(client, "/authors/?q=ring"), "Ringo Starr")

    assert ">" + "<mark>Ring</mark>o Starr</a>" in row
    assert matching_titles_in(row) == ""


@pytest.mark.parametrize("url", ["/authors/", "/authors/?country=Peru", "/authors/?sort=books"])
def test_only_a_search_marks_names_or_shows_titles(client, add_author, url):
    add_author("Ringo Starr", country="Peru", books=["Ring Cycle"])
    page = get_page(client, url)
    assert names_on(page) == ["Ringo Starr"]
    assert "matching-titles" not in page
    assert "<mark>" not in page


def test_highlighted_names_and_titles_are_escaped(client, add_author):
    add_author("<b>Bold</b> & Co", books=["<script>alert(1)</script> & Ring", "Plain"])

    tags = row_of(get_page(client, "/authors/?q=%3CSCRIPT%3E"), "<b>Bold</b> & Co")
    ampersand = row_of(get_page(client, "/authors/?q=%26"), "<b>Bold</b> & Co")

    assert "<script>" not in tags
    assert "<cite><mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; &amp; Ring</cite>" in tags
    assert matching_titles_in(tags) == "Matching titles: <script>alert(1)</script> & Ring"
    # A search for "&" marks the character, not a piece of the "&amp;" it is written as.
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>&amp;</mark> Co</a>" in ampersand
    assert marked_in(ampersand) == ["&", "&"]


def test_highlighting_ignores_case_beyond_ascii(client, add_author):
    add_author("Émile Zola")
    add_author("Väinö Linna", books=["Täällä Pohjantähden alla"])
    assert "<mark>Émile</mark> Zola" in get_page(client, "/authors/?q=éMILE")
    linna = row_of(get_page(client, "/authors/?q=TÄÄLLÄ"), "Väinö Linna")
    assert "<cite><mark>Täällä</mark> Pohjantähden alla</cite>" in linna


def test_like_wildcards_are_highlighted_as_plain_characters(client, add_author):
    add_author("Percent", books=["100% Fiction", "1000 Fictions", "Snake_case"])
    row = row_of(get_page(client, "/authors/?q=0%25"), "Percent")
    assert matching_titles_in(row) == "Matching titles: 100% Fiction"
    assert marked_in(row) == ["0%"]


# Sorting


def test_sort_orders(client, add_author):
    add_author(
        "Bram Stoker", books=["Dracula", "The Jewel of Seven Stars", "The Lair of the White Worm"]
    )
    add_author("Anne Rice", books=["Interview with the Vampire", "The Vampire Lestat"])
    add_author("Carmilla's Author")

    assert names_on(get_page(client, "/authors/")) == [
        "Anne Rice",
        "Bram Stoker",
        "Carmilla's Author",
    ]
    assert names_on(get_page(client, "/authors/?sort=books")) == [
        "Bram Stoker",
        "Anne Rice",
        "Carmilla's Author",
    ]
    assert names_on(get_page(client, "/authors/?sort=newest")) == [
        "Carmilla's Author",
        "Anne Rice",
        "Bram Stoker",
    ]
    assert names_on(get_page(client, "/authors/?sort=price")) == names_on(
        get_page(client, "/authors/")
    )


def test_most_books_breaks_ties_by_name(client, add_author):
    add_author("Zadie Smith", books=["White Teeth"])
    add_author("Ali Smith", books=["Autumn"])
    add_author("Many Books", books=["One", "Two", "Three"])
    assert names_on(get_page(client, "/authors/?sort=books")) == [
        "Many Books",
        "Ali Smith",
        "Zadie Smith",
    ]


# Filtering by country


def test_country_filter_and_the_country_list(client, add_author):
    add_author("Chinua Achebe", country="Nigeria")
    add_author("Wole Soyinka", country="Nigeria")
    add_author("Naguib Mahfouz", country="Egypt")
    add_author("Anonymous")

    everyone = get_page(client, "/authors/")
    nigeria = get_page(client, "/authors/?country=Nigeria")

    assert re.search(r'country=Egypt"\s*>Egypt</a>\s*<span class="count">1</span>', everyone)
    assert re.search(r'country=Nigeria"\s*>Nigeria</a>\s*<span class="count">2</span>', everyone)
    assert names_on(nigeria) == ["Chinua Achebe", "Wole Soyinka"]
    assert re.search(r'country=Nigeria"\s*aria-current="true">Nigeria</a>', nigeria)
    assert names_on(get_page(client, "/authors/?country=nigeria")) == []
    assert names_on(get_page(client, "/authors/?country=")) == names_on(everyone)


def test_search_sort_and_country_combine_and_survive_paging(client, add_author):
    for number in range(1, 8):
        add_author(f"Kenyan {number}", country="Kenya", books=["River Between"] * (number % 3))
    add_author("Kenyan Elsewhere", country="Uganda", books=["River Between"])

    page = get_page(client, "/authors/?q=river&country=Kenya&sort=books&per_page=2")

    assert names_on(page) == ["Kenyan 2", "Kenyan 5"]
    assert status_line(page) == "Showing 1–2 of 5 authors"
    next_link = "/authors/?page=2&per_page=2&q=river&country=Kenya&sort=books"
    assert f'rel="next" href="{html.escape(next_link)}"' in page
    second = get_page(client, "/authors/?page=2&per_page=2&q=river&country=Kenya&sort=books")
    assert names_on(second) == ["Kenyan 1", "Kenyan 4"]
    # Changing the sort or the country starts again from the first page, keeping the rest.
    assert 'href="/authors/?per_page=2&amp;q=river&amp;country=Kenya"' in second
    assert 'href="/authors/?per_page=2&amp;q=river&amp;country=Uganda&amp;sort=books"' in second


# An author's page


def test_an_authors_books_are_paged_by_title(client, add_author):
    author_id = add_author("Isaac Asimov", books=[f"Title {n:02}" for n in range(30, 0, -1)])

    first = get_page(client, f"/authors/{author_id}")
    second = get_page(client, f"/authors/{author_id}?page=2")

    assert titles_on(first) == [f"Title {n:02}" for n in range(1, 26)]
    assert "30 books" in first
    assert titles_on(second) == [f"Title {n:02}" for n in range(26, 31)]
    assert status_line(second) == "Showing 26–30 of 30 books"
    assert f'rel="prev" href="/authors/{author_id}?page=1"' in second


def test_an_authors_page_lists_books_unnumbered_and_counts_them_once(client, add_author):
    author_id = add_author("Ada", country="Peru", books=["Third", "First", "Second"])

    page = get_page(client, f"/authors/{author_id}")

    assert titles_on(page) == ["First", "Second", "Third"]
    assert "<ol" not in page
    assert '<h2 id="books-heading">Books</h2>' in page
    assert page.count("3 books") == 1


def test_the_back_link_returns_to_the_list_page_the_reader_came_from(client, add_authors):
    add_authors(30, country="Chile")

    listing = get_page(client, "/authors/?q=author&country=Chile&page=2&sort=newest")
    author_link = re.search(r'<th scope="row"><a href="([^"]+)">', listing)[1]
    author_page = get_page(client, html.unescape(author_link))
    back = html.unescape(re.search(r'<a href="([^"]+)">← Back to authors</a>', author_page)[1])

    assert back == "/authors/?page=2&q=author&country=Chile&sort=newest"
    assert names_on(get_page(client, back)) == names_on(listing)


def test_the_back_link_survives_paging_through_books(client, add_author):
    author_id = add_author(books=[f"Book {n:02}" for n in range(30)])

    page = get_page(client, f"/authors/{author_id}?back=q%3Dle%26page%3D3")

    assert f'rel="next" href="/authors/{author_id}?page=2&amp;back=page%3D3%26q%3Dle"' in page
    assert '<a href="/authors/?page=3&amp;q=le">← Back to authors</a>' in page


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "javascript:alert(1)", "%00", "page=-1&sort=evil"]
)
def test_a_forged_back_link_only_ever_leads_to_the_author_list(client, add_author, back):
    author_id = add_author()
    page = get_page(client, f"/authors/{author_id}?back={back}")
    assert '<a href="/authors/">← Back to authors</a>' in page


# Cost


# A search sends one statement more than a list: the matching titles of its page's authors.
@pytest.mark.parametrize(
    ("url", "statements"),
    [
        ("/authors/", 3),
        ("/authors/?q=book&sort=books", 4),
        ("/authors/?country=Peru&sort=newest&page=2", 3),
    ],
)
def test_the_list_costs_the_same_statements_for_200_authors_as_for_2(
    client, add_authors, sql_statements, url, statements
):
    add_authors(2, books_each=3, country="Peru")
    sql_statements.clear()
    client.get(url)
    with_two = len(sql_statements)

    add_authors(198, books_each=3, country="Peru")
    sql_statements.clear()
    client.get(url)

    assert len(sql_statements) == with_two == statements


def test_an_authors_page_costs_the_same_statements_for_200_books_as_for_2(
    client, add_author, sql_statements
):
    few = add_author("Few", books=["One", "Two"])
    many = add_author("Many", books=[f"Book {n}" for n in range(200)])

    sql_statements.clear()
    client.get(f"/authors/{few}")
    with_two = len(sql_statements)
    sql_statements.clear()
    client.get(f"/authors/{many}?page=3")

    assert len(sql_statements) == with_two == 2


def test_search_ignores_case_beyond_ascii(client, add_author):
    add_author("Émile Zola")
    add_author("Väinö Linna", books=["Täällä Pohjantähden alla"])
    assert names_on(get_page(client, "/authors/?q=ÉMILE")) == ["Émile Zola"]
    assert names_on(get_page(client, "/authors/?q=émile")) == ["Émile Zola"]
    assert names_on(get_page(client, "/authors/?q=VÄINÖ")) == ["Väinö Linna"]
    assert names_on(get_page(client, "/authors/?q=TÄÄLLÄ")) == ["Väinö Linna"]


def test_a_search_longer_than_anything_stored_finds_nothing(client, add_author):
    add_author("A" * 100)
    page = get_page(client, "/authors/?q=" + "A" * 60_000)
    assert names_on(page) == []
    assert "No authors match." in page


def test_searching_from_a_filtered_list_keeps_the_filter(client, add_author):
    add_author("Chinua Achebe", country="Nigeria")
    page = get_page(client, "/authors/?country=Nigeria&sort=books&per_page=10&page=1")
    form = page.split('<form class="search"', 1)[1].split("</form>", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert hidden == {"country": "Nigeria", "sort": "books", "per_page": "10"}


def test_the_way_back_from_past_the_end_keeps_the_filters(client, add_authors):
    add_authors(30, country="Chile")
    page = get_page(client, "/authors/?country=Chile&sort=newest&page=9")
    assert 'href="/authors/?page=2&amp;country=Chile&amp;sort=newest">Go to the last page' in page
    assert 'href="/authors/?country=Chile&amp;sort=newest">back to the first' in page


def test_authors_without_a_country_are_not_a_country(client, add_author):
    add_author("No Country")
    add_author("Empty Country", country="")
    add_author("Real Country", country="Peru")
    page = get_page(client, "/authors/")
    aside = page.split('<aside class="countries"', 1)[1].split("</aside>", 1)[0]
    assert re.findall(r">([^<]+)</a>", aside) == ["All countries", "Peru"]


def test_the_title_says_which_list_it_is(client, add_authors):
    add_authors(30, country="Chile")
    page = get_page(client, "/authors/?q=author&country=Chile&page=2")
    title = " ".join(re.search(r"<title>(.*?)</title>", page, re.S)[1].split())
    assert title == "“author” · Authors from Chile · page 2 · Bookshelf"
