"""A synthetic but plausible shelf of any size, the same for the same random seed.

Authors get a name, a country and a bio that names one of their own books; titles come
from a few patterns over the words in synthetic_words, and no author has two books of
one title. About 1 in 100 authors is prolific and between them they hold a fifth of the
books, so a big shelf has authors with thousands of books, as real catalogues do.
"""

import math
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from bookshelf.seeding.synthetic_words import (
    ADJECTIVES,
    COUNTRIES,
    COUNTRIES_WITH_THE,
    FIRST_NAMES,
    LAST_NAMES,
    MIDDLE_INITIALS,
    NOUNS,
    OCCUPATIONS,
    PLACES,
    TOPICS,
)

PROLIFIC_SHARE = 0.2  # of all books, held by the 1 in 100 prolific authors
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
# How many times a title the author already has is drawn anew before it becomes a
# further volume ("The Quiet Harbour, Volume 2"); only an author with more books than
# there are titles to draw from gets that far.
REDRAWS = 5


def indefinite_article(word: str) -> str:
    """The article English puts before `word`: "an" before a vowel sound. Of the words
    here, only "Honest" sounds otherwise than it is spelt."""
    return "an" if word[0] in "AEIOUaeiou" or word == "Honest" else "a"


def with_article(word: str) -> str:
    return f"{indefinite_article(word).capitalize()} {word}"


NOUNS_WITH_ARTICLE = [with_article(noun) for noun in NOUNS]
ADJECTIVES_WITH_ARTICLE = [with_article(adjective) for adjective in ADJECTIVES]
TITLE_PATTERNS = (
    "The {adjective} {noun}",
    "The {noun} of {place}",
    "{a_noun} in {place}",
    "{an_adjective} {noun}",
    "Songs for the {adjective} {noun}",
    "The {noun} and the {other}",
    "Beyond the {adjective} {noun}",
    "Letters from {place}",
    "Notes on the {noun}",
)


def possible_titles(pattern: str) -> int:
    """How many titles `pattern` can make: a pattern is drawn as often as it has titles to
    give, so that "Letters from {place}" does not make one book in nine."""
    sizes = {
        "adjective": len(ADJECTIVES),
        "an_adjective": len(ADJECTIVES),
        "noun": len(NOUNS),
        "a_noun": len(NOUNS),
        "other": len(NOUNS) - 1,
        "place": len(PLACES),
    }
    return math.prod(sizes[field] for _, field, _, _ in string.Formatter().parse(pattern) if field)


TITLE_PATTERN_WEIGHTS = [possible_titles(pattern) for pattern in TITLE_PATTERNS]
# Bios for any author; for one with a book, which they name; for one with several.
BIOS = (
    "{name} is {a_occupation} from {country}, born in {born}.",
    "{name} lives in {country} and writes about {topic}.",
    "Born in {born}, {name} grew up in {country} and writes about {topic}.",
)
BIOS_WITH_A_BOOK = (
    "{name} is {a_occupation} from {country}, best known for {title}.",
    "{An_occupation} from {country}, {name} is the author of {title}.",
    "Born in {country} in {born}, {name} first came to notice with {title}.",
    "{name} writes about {topic}, most memorably in {title}.",
)
BIOS_WITH_BOOKS = (
    "{name} has published {books:,} books since {debut}, among them {title}.",
    "{title} is the best known of the {books:,} books by {name}, {a_occupation} from {country}.",
)


@dataclass(frozen=True)
class SyntheticAuthor:
    name: str
    country: str
    bio: str
    created_at: datetime
    book_count: int
    known_for: str | None  # the title the bio names, loaded as the author's first book


def books_per_author(authors: int, books: int, rng: random.Random) -> list[int]:
    """How many of `books` each of `authors` gets: a prolific few, and the rest around the
    average. Adds up to `books` exactly."""
    prolific = max(1, authors // 100) if authors > 1 else authors
    weights = [
        rng.uniform(0.5, 1.5) * (PROLIFIC_SHARE / prolific)
        if index < prolific
        else rng.uniform(0.2, 1.8) * ((1 - PROLIFIC_SHARE) / max(1, authors - prolific))
        for index in range(authors)
    ]
    rng.shuffle(weights)
    total = sum(weights)
    exact = [books * weight / total for weight in weights]
    counts = [int(share) for share in exact]
    # Largest remainders first, so the counts add up to `books`.
    by_remainder = sorted(range(authors), key=lambda i: exact[i] - counts[i], reverse=True)
    for index in by_remainder[: books - sum(counts)]:
        counts[index] += 1
    return counts


def middle_initial_share(authors: int) -> float:
    """A quarter of a small shelf's authors go by a middle initial, as many writers do.
    The share grows with the shelf, to nine in ten from 35,000 authors on, which keeps
    namesakes to about 1 author in 100 up to 100,000 authors (and 1 in 8 of a million,
    where real catalogues have many namesakes too)."""
    return min(0.9, 0.2 + authors / 50_000)


def synthetic_authors(authors: int, books: int, random_seed: int) -> list[SyntheticAuthor]:
    """`authors` authors whose book counts add up to `books`, oldest first."""
    rng = random.Random(random_seed)
    countries, country_weights = zip(*COUNTRIES, strict=True)
    cumulative_weights = list(accumulate(country_weights))
    counts = books_per_author(authors, books, rng) if authors else []
    initials = middle_initial_share(authors)
    span = timedelta(days=3650)
    shelf = []
    for index, count in enumerate(counts):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if rng.random() < initials:
            name = f"{first} {rng.choice(MIDDLE_INITIALS)}. {last}"
        else:
            name = f"{first} {last}"
        country = rng.choices(countries, cum_weights=cumulative_weights)[0]
        known_for = synthetic_title(rng) if count else None
        bio = synthetic_bio(rng, name, country, count, known_for)
        created_at = EPOCH + span * (index / max(1, authors))
        shelf.append(SyntheticAuthor(name, country, bio, created_at, count, known_for))
    return shelf


def synthetic_bio(
    rng: random.Random, name: str, country: str, books: int, known_for: str | None
) -> str:
    templates = BIOS + (BIOS_WITH_A_BOOK if books else ()) + (BIOS_WITH_BOOKS if books > 1 else ())
    occupation = rng.choice(OCCUPATIONS)
    born = rng.randint(1925, 1995)
    return rng.choice(templates).format(
        name=name,
        country=f"the {country}" if country in COUNTRIES_WITH_THE else country,
        a_occupation=f"{indefinite_article(occupation)} {occupation}",
        An_occupation=with_article(occupation),
        born=born,
        debut=min(2014, born + rng.randint(20, 40)),
        topic=rng.choice(TOPICS),
        title=known_for,
        books=books,
    )


def synthetic_title(rng: random.Random) -> str:
    noun = rng.randrange(len(NOUNS))
    other = (noun + rng.randrange(1, len(NOUNS))) % len(NOUNS)  # never the noun itself
    adjective = rng.randrange(len(ADJECTIVES))
    [pattern] = rng.choices(TITLE_PATTERNS, TITLE_PATTERN_WEIGHTS)
    return pattern.format(
        adjective=ADJECTIVES[adjective],
        an_adjective=ADJECTIVES_WITH_ARTICLE[adjective],
        noun=NOUNS[noun],
        a_noun=NOUNS_WITH_ARTICLE[noun],
        other=NOUNS[other],
        place=rng.choice(PLACES),
    )


def synthetic_books(shelf: list[SyntheticAuthor], random_seed: int) -> Iterator[tuple[int, str]]:
    """(the author's place in `shelf`, title) for each book, author by author; the same
    for the same seed. Each author's titles differ from one another."""
    rng = random.Random(random_seed)
    for position, author in enumerate(shelf):
        if not author.book_count:
            continue
        # Each title the author has, with how many volumes of it: held while the author's
        # books are made, so memory grows with the titles there are, not the books.
        volumes = {author.known_for: 1}
        yield position, author.known_for
        for _ in range(author.book_count - 1):
            yield position, another_title(rng, volumes)


def another_title(rng: random.Random, volumes: dict[str, int]) -> str:
    """A title the author does not have yet, which `volumes` then counts."""
    for _ in range(REDRAWS):
        title = synthetic_title(rng)
        if title not in volumes:
            volumes[title] = 1
            return title
    volumes[title] += 1
    return f"{title}, Volume {volumes[title]}"
