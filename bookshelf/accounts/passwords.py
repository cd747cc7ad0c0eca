"""Passwords: argon2id hashes, and the rules a new password must meet (OWASP ASVS 6.2: at
least 8 characters, no composition rules, none of the most common passwords)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_LENGTH = 128

# argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, 64 MiB, 3 passes).
hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Made with other parameters than today's, so to be hashed again at the next sign-in."""
    return hasher.check_needs_rehash(password_hash)


# A hash of no one's password, checked when an email has no account (or a disabled one),
# so that a wrong email costs the time a wrong password does, the first in a process too.
# It was made with hash_password, and must have today's parameters, which the tests check:
# when they change, make a new one the same way.
DECOY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4"
    "$VUhCKuyF3UQh+LO+MufGVA$LUJqG5Ct06sdlwiN1TcZpqsQbJchVfQfp20if0d+Pa4"
)


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used, or None when it can."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"A password can have at most {MAX_LENGTH} characters."
    if not encodable(password):
        return "A password can only have characters that UTF-8 can encode."
    if password.lower() in common_passwords():
        return "That password is one of the most common ones; choose another."
    return None


def encodable(password: str) -> bool:
    """False for text with lone surrogates, which a terminal in the C locale makes of bytes
    that are not UTF-8, and which cannot be hashed."""
    try:
        password.encode()
    except UnicodeEncodeError:
        return False
    return True


@cache
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])
