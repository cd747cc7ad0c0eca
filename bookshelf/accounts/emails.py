"""Email addresses as accounts hold them: without surrounding space and in lower case, so
an address is one account whatever the case it is typed in."""

import re

# RFC 5321's limit on an address's length.
MAX_LENGTH = 254
# Something, an @, something: no spaces, and only one @. Whether mail reaches it is the
# administrator's business; this only keeps out what cannot be an address.
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why `email` (normalised) cannot be an account's address, or None when it can."""
    if not email:
        return "Enter an email address."
    if len(email) > MAX_LENGTH:
        return f"An email address has at most {MAX_LENGTH} characters."
    if not (ADDRESS.fullmatch(email) and email.isprintable()):
        return "Enter an email address, like name@example.org."
    return None
