"""The one way names, titles and queries become words, so that what a reader types and what
the shelf stores meet whatever their case, accents and punctuation.

"Émile Zola", "EMILE-ZOLA" and "emile zola" all become `emile zola`; initials written
"J.R.R.", "J. R. R." or "jrr" all become `jrr`. Keys are stored with a space at either end
(` emile zola `), so a whole word is always `% word %` to LIKE and the first word a range
of the key: the same patterns on PostgreSQL and SQLite, which compare the keys byte by
byte (COLLATE "C" on PostgreSQL), so names sort the same on both.
"""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
UNDECOMPOSED = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
# An apostrophe before a last single letter ("Philosopher's", "don't") is dropped, so the
# word stays one; any other ("O'Brien", "l'Étranger") separates two words, as other
# punctuation does.
CONTRACTION = re.compile(r"(?<=[^\W_])['’ʼ](?=[^\W_]\b)")
# Letters and digits; everything else separates words.
WORD = re.compile(r"[^\W_]+")
# A query's words past this many are not searched for; no title needs more.
MAX_QUERY_WORDS = 16
# PostgreSQL's longest lexeme. Only a crafted title holds a longer word (200 characters that
# each decompose into several letters); it is kept in the keys but not in the vocabulary
# or the search vectors, and no search looks for one, on either database.
LONGEST_WORD_BYTES = 2047


def search_words(text: str) -> list[str]:
    """The words of `text`: unaccented, case-folded, split at anything not a letter or digit,
    with runs of single letters (initials) joined into one word."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = CONTRACTION.sub("", bare.casefold().translate(UNDECOMPOSED))
    words = WORD.findall(folded)
    joined: list[str] = []
    for word, previous in zip(words, [""] + words, strict=False):
        if is_initial(word) and is_initial(previous):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def is_initial(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def search_key(text: str) -> str:
    """`text` as stored for searching and sorting: its words, with a space at either end."""
    return f" {' '.join(search_words(text))} "


def book_search_text(title_key: str, author_key: str) -> str:
    """What a book is found by: its title's words, then its author's."""
    return title_key + author_key[1:]


def following(prefix: str) -> str:
    """The first string after every string that starts with `prefix`, in code point order:
    `key >= prefix AND key < following(prefix)` is a range an index reads."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
