"""Browsing the author list: paging, sort, country filter, and the way back."""

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


def test_sort_and_country_combine_and_survive_paging(client, add_author):
    for number in range(1, 8):
        add_author(f"Kenyan {number}", country="Kenya", books=["River Between"] * (number % 3))
    add_author("Kenyan Elsewhere", country="Uganda", books=["River Between"])

    page = get_page(client, "/authors/?country=Kenya&sort=books&per_page=2")

    assert names_on(page) == ["Kenyan 2", "Kenyan 5"]
    assert status_line(page) == "Showing 1–2 of 7 authors"
    next_link = "/authors/?page=2&per_page=2&country=Kenya&sort=books"
    assert f'rel="next" href="{html.escape(next_link)}"' in page
    second = get_page(client, "/authors/?page=2&per_page=2&country=Kenya&sort=books")
    assert names_on(second) == ["Kenyan 1", "Kenyan 4"]
    # Changing the sort or the country starts again from the first page, keeping the rest.
    assert 'href="/authors/?per_page=2&amp;country=Kenya"' in second
    assert 'href="/authors/?per_page=2&amp;country=Uganda&amp;sort=books"' in second


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

    listing = get_page(client, "/authors/?country=Chile&page=2&sort=newest")
    author_link = re.search(r'<th scope="row"><a href="([^"]+)">', listing)[1]
    author_page = get_page(client, html.unescape(author_link))
    back = html.unescape(re.search(r'<a href="([^"]+)">← Back to authors</a>', author_page)[1])

    assert back == "/authors/?page=2&country=Chile&sort=newest"
    assert names_on(get_page(client, back)) == names_on(listing)


def test_the_back_link_survives_paging_through_books(client, add_author):
    author_id = add_author(books=[f"Book {n:02}" for n in range(30)])

    page = get_page(client, f"/authors/{author_id}?back=sort%3Dbooks%26page%3D3")

    assert f'rel="next" href="/authors/{author_id}?page=2&amp;back=page%3D3%26sort%3Dbooks"' in page
    assert '<a href="/authors/?page=3&amp;sort=books">← Back to authors</a>' in page


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "javascript:alert(1)", "%00", "page=-1&sort=evil"]
)
def test_a_forged_back_link_only_ever_leads_to_the_author_list(client, add_author, back):
    author_id = add_author()
    page = get_page(client, f"/authors/{author_id}?back={back}")
    assert '<a href="/authors/">← Back to authors</a>' in page


# Cost


@pytest.mark.parametrize(
    ("url", "statements"),
    [
        # The page, its count, the countries, and the shelf's version (bookshelf.caching).
        ("/authors/", 4),
        ("/authors/?sort=books", 4),
        ("/authors/?country=Peru&sort=newest&page=2", 4),
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

    # The author, a page of books, and the shelf's version (bookshelf.caching).
    assert len(sql_statements) == with_two == 3


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
    page = get_page(client, "/authors/?country=Chile&page=2")
    title = " ".join(re.search(r"<title>(.*?)</title>", page, re.S)[1].split())
    assert title == "Authors from Chile · page 2 · Bookshelf"
