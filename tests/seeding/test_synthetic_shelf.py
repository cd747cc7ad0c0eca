"""The synthetic shelf reads like a real catalogue: grammatical titles and bios, no author
with two books of one title, and few authors who share a name."""

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from bookshelf.catalogue.models import Author, Book
from bookshelf.extensions import db
from bookshelf.seeding import synthetic_shelf
from bookshelf.seeding.synthetic_shelf import synthetic_authors, synthetic_books

# Words whose first letter misleads: "an honest", but "a unicorn", "a one-off".
ARTICLE_EXCEPTIONS = {"honest": "an", "hour": "an", "heir": "an", "one": "a", "unicorn": "a"}
ARTICLE_AND_WORD = re.compile(r"\b(A|a|An|an) ([A-Za-z]+)")


@pytest.fixture
def shelf(app, runner) -> dict:
    """A loaded shelf of 3,000 authors with 60,000 books: the prolific 1 in 100 hold
    some 400 books each."""
    result = runner.invoke(args=["seed", "--authors", "3000", "--books", "60000"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return {
            "authors": db.session.execute(
                select(Author.id, Author.name, Author.country, Author.bio)
            ).all(),
            "titles": db.session.execute(select(Book.author_id, Book.title)).all(),
            "repeated titles": db.session.execute(
                select(Book.author_id, Book.title, func.count())
                .group_by(Book.author_id, Book.title)
                .having(func.count() > 1)
            ).all(),
        }


def wrong_articles(text: str) -> list[str]:
    wrong = []
    for article, word in ARTICLE_AND_WORD.findall(text):
        expected = ARTICLE_EXCEPTIONS.get(word.lower(), "an" if word[0].lower() in "aeiou" else "a")
        if article.lower() != expected:
            wrong.append(f"{article} {word}")
    return wrong


def test_articles_agree_with_the_word_after_them(shelf):
    titles = [title for _, title in shelf["titles"]]
    bios = [bio for *_, bio in shelf["authors"]]

    assert [t for t in titles if wrong_articles(t)] == []
    assert [b for b in bios if wrong_articles(b)] == []
    # Both articles are there to be checked.
    assert any(t.startswith("An ") for t in titles)
    assert any(t.startswith("A ") for t in titles)


def test_no_author_has_two_books_of_one_title(shelf):
    assert shelf["repeated titles"] == []
    by_author = Counter(author_id for author_id, _ in shelf["titles"])
    assert max(by_author.values()) > 300  # prolific authors, where repeats would show


def test_few_authors_share_a_name(shelf):
    names = Counter(name for _, name, _, _ in shelf["authors"])
    sharing = sum(count for count in names.values() if count > 1)

    assert sharing <= 0.02 * len(shelf["authors"])
    assert max(names.values()) <= 3


def test_bios_read_as_written_by_hand(shelf):
    for _, name, country, bio in shelf["authors"]:
        assert name in bio
        assert bio.endswith(".")
        if country.startswith("United ") or country.endswith("s"):
            assert f"the {country}" in bio or country not in bio, bio
    # Several shapes of bio, not one sentence with the blanks filled in.
    shapes = Counter(
        re.sub(r"\d[\d,]*", "N", bio.replace(name, "NAME").replace(country, "COUNTRY"))[:25]
        for _, name, country, bio in shelf["authors"]
    )
    assert len(shapes) >= 5
    assert max(shapes.values()) < 0.4 * len(shelf["authors"])


def test_a_bio_that_names_a_book_names_one_of_the_authors_own(shelf):
    titles = {}
    for author_id, title in shelf["titles"]:
        titles.setdefault(author_id, set()).add(title)
    naming = [
        (bio, titles[author_id])
        for author_id, _, _, bio in shelf["authors"]
        if any(phrase in bio for phrase in ("known for ", "author of ", "among them "))
    ]

    assert naming
    for bio, own_titles in naming:
        assert any(title in bio for title in own_titles), bio


def test_an_author_with_more_books_than_titles_still_gets_distinct_ones(monkeypatch):
    monkeypatch.setattr(synthetic_shelf, "TITLE_PATTERNS", ("Letters from {place}",))
    monkeypatch.setattr(synthetic_shelf, "TITLE_PATTERN_WEIGHTS", [1])
    shelf = synthetic_authors(1, 500, random_seed=1)

    titles = [title for _, title in synthetic_books(shelf, random_seed=1)]

    assert len(titles) == len(set(titles)) == 500
    assert "Letters from Lisbon" in titles
    assert "Letters from Lisbon, Volume 2" in titles


def test_no_title_pattern_makes_a_large_share_of_the_books():
    """A pattern is drawn as often as it has titles to give: "Letters from {place}", with
    some sixty places, once made one book in nine."""
    shelf = synthetic_authors(200, 20_000, random_seed=1)
    titles = Counter(title for _, title in synthetic_books(shelf, random_seed=1))
    letters = sum(count for title, count in titles.items() if title.startswith("Letters from"))
    assert letters < 20_000 / 100
    assert titles.most_common(1)[0][1] < 10
