"""/changes and /authors/<id>/history: what was changed, by whom and when, newest first, a
page at a time, and an author's history still readable once they are deleted."""

import re

from tests.form_pages import book_rows, fill_in, text_of, words


def entries(page: str) -> list[str]:
    """The text of each change listed, in order."""
    return [
        words(entry)
        for entry in re.findall(
            r'<li class="change change-\w+">(.*?)</li>\s*(?=<li class="change|</ol>)',
            page,
            re.DOTALL,
        )
    ]


def summaries(page: str) -> list[str]:
    """What each change did, without its time and author."""
    return [
        words(summary)
        for summary in re.findall(r'<p class="change-summary">(.*?)</p>', page, re.DOTALL)
    ]


def test_recent_changes_lists_every_change_newest_first(app, curator_client, add_author):
    kept = add_author("Octavia E. Butler")
    response = fill_in(curator_client, "/authors/new", name="Ursula Le Guin", country="USA")
    author_id = int(response.headers["Location"].rsplit("/", 1)[1])
    fill_in(curator_client, f"/authors/{author_id}/edit", name="Ursula K. Le Guin")
    fill_in(curator_client, f"/authors/{kept}/books/new", title="Kindred")

    page = curator_client.get("/changes").get_data(as_text=True)

    assert summaries(page) == [
        "Added book Kindred by Octavia E. Butler",
        "Edited author Ursula K. Le Guin",
        "Added author Ursula Le Guin",
    ]
    [added_book, edited, added] = entries(page)
    assert "curator@bookshelf.example" in added_book
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", added_book)
    assert "Name Ursula Le Guin → Ursula K. Le Guin" in edited
    assert "Country" not in edited
    assert "Added author Ursula Le Guin" in added
    assert "Country USA" in added
    assert "Showing 1–3 of 3 changes" in text_of(page)


def test_a_move_names_both_authors(app, curator_client, add_author):
    from_id = add_author("Richard Bachman", books=["Thinner"])
    to_id = add_author("Stephen King")
    [book] = book_rows(app, from_id)
    fill_in(curator_client, f"/authors/{from_id}/books/{book.id}/edit", author_id=str(to_id))

    page = curator_client.get("/changes").get_data(as_text=True)

    assert summaries(page) == ["Edited book Thinner, moved from Richard Bachman to Stephen King"]
    assert f'href="/authors/{from_id}">Richard Bachman</a>' in page


def test_an_authors_history_has_their_changes_and_their_books(app, curator_client, add_author):
    author_id = add_author("Richard Bachman", books=["Thinner"])
    other = add_author("Stephen King")
    fill_in(curator_client, f"/authors/{author_id}/edit", country="USA")
    fill_in(curator_client, f"/authors/{other}/books/new", title="Carrie")
    [book] = book_rows(app, author_id)
    fill_in(curator_client, f"/authors/{author_id}/books/{book.id}/edit", author_id=str(other))

    own = summaries(curator_client.get(f"/authors/{author_id}/history").get_data(as_text=True))
    others = summaries(curator_client.get(f"/authors/{other}/history").get_data(as_text=True))

    moved = "Edited book Thinner, moved from Richard Bachman to Stephen King"
    assert own == [moved, "Edited author Richard Bachman"]
    assert others == [moved, "Added book Carrie"]


def test_an_authors_history_stays_readable_after_they_are_deleted(app, curator_client, add_author):
    author_id = add_author("Ursula K. Le Guin", books=["The Dispossessed"])
    fill_in(curator_client, f"/authors/{author_id}/edit", bio="Earthsea.")
    fill_in(curator_client, f"/authors/{author_id}/delete")

    response = curator_client.get(f"/authors/{author_id}/history")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        '<h1 id="history-heading">History of <span class="subject">Ursula K. Le Guin</span></h1>'
        in page
    )
    assert "Ursula K. Le Guin is not on the shelf" in text_of(page)
    assert summaries(page) == [
        "Deleted author Ursula K. Le Guin with 1 book",
        "Deleted book The Dispossessed",
        "Edited author Ursula K. Le Guin",
    ]
    recent = curator_client.get("/changes").get_data(as_text=True)
    assert f'by <a href="/authors/{author_id}/history">a deleted author</a>' in recent


def test_the_history_of_an_id_the_shelf_never_had_is_a_404(curator_client):
    response = curator_client.get("/authors/999/history")
    assert response.status_code == 404
    assert "there never was" in response.get_data(as_text=True)


def test_an_author_with_no_changes_yet(curator_client, add_author):
    author_id = add_author("Seeded Author")
    page = curator_client.get(f"/authors/{author_id}/history").get_data(as_text=True)
    assert "No changes yet." in page


def test_the_history_comes_a_page_at_a_time(curator_client, add_author):
    author_id = add_author("Prolific")
    for number in range(1, 31):
        fill_in(curator_client, f"/authors/{author_id}/books/new", title=f"Book {number:02}")

    for url in ("/changes", f"/authors/{author_id}/history"):
        first = curator_client.get(url).get_data(as_text=True)
        second = curator_client.get(f"{url}?page=2").get_data(as_text=True)
        by = " by Prolific" if url == "/changes" else ""
        assert summaries(first)[0] == f"Added book Book 30{by}"
        assert len(summaries(first)) == 25
        assert summaries(second) == [f"Added book Book {n:02}{by}" for n in range(5, 0, -1)]
        assert "Showing 26–30 of 30 changes" in text_of(second)
        assert f'href="{url}?page=2"' in first
        past_the_end = curator_client.get(f"{url}?page=9").get_data(as_text=True)
        assert "There is no page 9: the list has 2 pages." in text_of(past_the_end)


def test_the_history_pages_cost_the_same_for_many_changes_as_for_few(
    curator_client, add_author, sql_statements
):
    author_id = add_author("Prolific")
    fill_in(curator_client, f"/authors/{author_id}/books/new", title="First")
    counts = []
    for _ in range(2):
        sql_statements.clear()
        curator_client.get("/changes")
        curator_client.get(f"/authors/{author_id}/history")
        counts.append(len(sql_statements))
        for number in range(30):
            fill_in(curator_client, f"/authors/{author_id}/books/new", title=f"Book {number}")
    assert counts[0] == counts[1]
