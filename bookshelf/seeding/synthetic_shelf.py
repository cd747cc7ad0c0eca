"""A synthetic but plausible shelf of any size, the same for the same random seed.

Names are drawn from first and last names of many languages, titles from a few patterns
over some hundreds of words, countries from a weighted list. About 1 in 100 authors is
prolific and between them they hold a fifth of the books, so a big shelf has authors
with thousands of books, as real catalogues do.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FIRST_NAMES = (
    "Ada Alan Amara Ana Anders Aiko Aleksander Amina Arjun Astrid Beatriz Bram Camille "
    "Carlos Chen Chiara Chinedu Dag Dalia Daniel Elena Elif Emeka Emil Esther Farah Fatima "
    "Felix Freya Gabriel Giulia Grace Hana Hamid Hugo Ines Ingrid Isaac Jamal Jana Javier "
    "Jia Jonas Julia Kai Kamala Karin Kenji Lars Layla Leila Lena Leon Liam Lina Lucia Maya "
    "Mateo Mei Miguel Mira Nadia Naledi Nils Noor Olga Omar Oskar Paulo Priya Rafael Rania "
    "Rosa Ruth Sakura Samir Sara Sofia Soren Tariq Thandiwe Tomas Ulla Valentina Vera Wen "
    "Yara Yusuf Zainab Zofia"
).split()
LAST_NAMES = (
    "Abara Adeyemi Alvarez Andersen Bakker Barros Becker Bianchi Chowdhury Costa Dahl "
    "Delacroix Eriksen Ferreira Fischer Fontaine Garcia Haddad Hansen Herrera Hoffmann "
    "Ibrahim Ivanova Jansen Kowalski Kumar Larsen Lindqvist Lopez Moreau Mwangi Nakamura "
    "Nguyen Nielsen Novak Okafor Okonkwo Olsen Ortiz Park Petrov Quispe Rahman Rossi Santos "
    "Sato Schmidt Silva Singh Suzuki Tanaka Torres Varga Vogel Wang Weber Yilmaz Zhang"
).split()
COUNTRIES = [
    ("United States", 14),
    ("United Kingdom", 10),
    ("France", 7),
    ("Germany", 6),
    ("Japan", 6),
    ("Spain", 5),
    ("Italy", 5),
    ("India", 5),
    ("Brazil", 4),
    ("Nigeria", 4),
    ("Canada", 4),
    ("Mexico", 3),
    ("Argentina", 3),
    ("Sweden", 3),
    ("Norway", 2),
    ("Poland", 2),
    ("Ireland", 2),
    ("Kenya", 2),
    ("South Korea", 2),
    ("Egypt", 2),
    ("Chile", 2),
    ("Netherlands", 2),
    ("Australia", 2),
    ("Portugal", 1),
    ("Finland", 1),
    ("Turkey", 1),
    ("Ghana", 1),
    ("Peru", 1),
]
# Title words. Real catalogues have few repeated titles and many rare words; with too
# few words here, every word would be in a large share of a big shelf's titles.
ADJECTIVES = (
    "Silent Hidden Burning Forgotten Golden Broken Endless Crimson Distant Quiet Last "
    "Secret Wandering Frozen Bright Sleeping Lost Iron Glass Summer Winter Northern Small "
    "Amber Ancient Autumn Bitter Black Blue Bold Borrowed Brief Calm Careless Cold Copper "
    "Crooked Cruel Dark Deep Drowned Dry Early Empty Eternal Faded Fallen False Far Fierce "
    "Final First Foreign Fragile Free Gentle Grey Green Hollow Holy Honest Humble Hungry "
    "Idle Invisible Ivory Kind Late Little Lonely Long Loyal Mad Marble Midnight Missing "
    "Narrow New Old Open Pale Patient Perfect Proud Purple Quick Rare Red Restless Rising "
    "Rough Salt Scarlet Second Shining Short Silver Slow Southern Spring Stolen Strange "
    "Sweet Tender Thin Timid True Twin Velvet Violet Warm Western White Wild Wooden Young"
).split()
NOUNS = (
    "River Garden House City Lantern Orchard Island Kingdom Mirror Harbour Tower Forest "
    "Desert Bridge Letter Machine Empire Voyage Shadow Storm Memory Crown Feather Moon "
    "Abbey Anchor Archive Arrow Atlas Bell Blossom Border Bottle Candle Canyon Castle "
    "Cathedral Cellar Chapel Circus Cliff Clock Cloud Compass Coast Cottage Courtyard "
    "Daughter Dawn Diary Door Dream Drum Dune Echo Engine Estate Falcon Ferry Field Fire "
    "Fountain Fox Frontier Gate Ghost Glacier Harvest Hearth Heron Highway Horizon Hunter "
    "Inn Journey Key Ladder Lake Library Lighthouse Lion Map Market Meadow Mill Monastery "
    "Mountain Museum Night Ocean Opera Palace Passage Pilgrim Prophet Quarry Railway Raven "
    "Reef Ribbon Road Saint Sailor Scholar Season Shore Signal Silence Sister Sky Song "
    "Spider Star Station Stone Street Sun Swan Temple Theatre Thief Thread Tide Traveller "
    "Valley Village Vineyard Violin Wall Well Whale Widow Willow Window Wolf Word Year"
).split()
PLACES = (
    "Lisbon Kyoto Lagos Oslo Lima Cairo Dublin Seoul Naples Quito Prague Hanoi Tangier "
    "Accra Algiers Amsterdam Athens Baku Bergen Bogota Bruges Budapest Cadiz Calcutta "
    "Cordoba Damascus Dakar Delhi Florence Galway Genoa Granada Havana Istanbul "
    "Jaipur Kabul Karachi Kiev Krakow Lahore Luanda Lyon Madras Manila Marseille Mombasa "
    "Montreal Nairobi Odessa Porto Riga Salvador Samarkand Seville Smyrna Tbilisi Trieste "
    "Tunis Valparaiso Venice Vienna Vilnius Warsaw Zanzibar Zurich"
).split()
TITLE_PATTERNS = (
    "The {adjective} {noun}",
    "The {noun} of {place}",
    "A {noun} in {place}",
    "Songs for the {adjective} {noun}",
    "The {noun} and the {other}",
    "Beyond the {adjective} {noun}",
    "Letters from {place}",
    "Notes on the {noun}",
)
BIO = "{name} is a writer from {country}, known for {title}."
PROLIFIC_SHARE = 0.2  # of all books, held by the 1 in 100 prolific authors
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SyntheticAuthor:
    name: str
    country: str
    bio: str
    created_at: datetime
    book_count: int


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


def synthetic_authors(authors: int, books: int, random_seed: int) -> list[SyntheticAuthor]:
    """`authors` authors whose book counts add up to `books`, oldest first."""
    rng = random.Random(random_seed)
    countries, country_weights = zip(*COUNTRIES, strict=True)
    counts = books_per_author(authors, books, rng) if authors else []
    span = timedelta(days=3650)
    shelf = []
    for index, count in enumerate(counts):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        country = rng.choices(countries, country_weights)[0]
        created_at = EPOCH + span * (index / max(1, authors))
        bio = BIO.format(name=name, country=country, title=synthetic_title(rng))
        shelf.append(SyntheticAuthor(name, country, bio, created_at, count))
    return shelf


def synthetic_title(rng: random.Random) -> str:
    noun, other = rng.sample(NOUNS, 2)
    return rng.choice(TITLE_PATTERNS).format(
        adjective=rng.choice(ADJECTIVES), noun=noun, other=other, place=rng.choice(PLACES)
    )


def synthetic_titles(random_seed: int) -> Iterator[str]:
    """Book titles, for ever; the same sequence for the same seed."""
    rng = random.Random(random_seed)
    while True:
        yield synthetic_title(rng)
