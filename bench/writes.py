"""Bookshelf's write benchmark: `python -m bench.writes` from the project root (and part of
`make bench`, which passes it the shelves it has just measured).

On a shelf of 10,000 books and one of 1,000,000 (10,000 authors each), makes a curator with
`flask users create`, serves Bookshelf with gunicorn (2 workers), signs in through the form,
and times, one request at a time and each on its own, the POSTs of four writes: adding an
author, adding a book (to authors across the shelf), editing an author, and editing a book
of an author with about 2,000 books. An edit's form is opened first (untimed) for its version
and CSRF token, and every write's redirect is followed (untimed) as a browser would, which
takes its flashed message out of the session. Rounds alternate the shelves, each led by the
next, as the read benchmark's do. Every write should answer 303; any other answer is
counted as a failure (a 409 would be a conflict, which requests one at a time never make).

Run alone, it builds the shelves in the databases bench_writes_small and bench_writes_large
on the PostgreSQL that BENCH_DATABASE_URL names (dropped and rebuilt).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2

from bench.run import DEFAULT_SERVER, LARGE_BOOKS, SMALL_BOOKS, recreate, seed, vacuum_analyze
from bookshelf import PROJECT_ROOT
from tests.servers.gunicorn import Gunicorn

EMAIL = "writes@bench.example"
PASSWORD = "a bench of long and quiet writes"
TIMEOUT = 30
SHELVES = {"10k": "small", "1M": "large"}
WRITES = ("add an author", "add a book", "edit an author", "edit a book, ~2,000 books")
EDITS = WRITES[2:]
NO_ANSWER = 0


class NotFollowing(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer to time, not a page to fetch."""

    def redirect_request(self, *arguments):
        return None


class Browser:
    """One curator's browser on a served Bookshelf: it keeps the session cookie."""

    def __init__(self, server: Gunicorn) -> None:
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NotFollowing()
        )

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of a GET, or of a POST of `form`; status 0 when no
        answer came (a refused or dropped connection, a timeout)."""
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.server.url(path), data, timeout=TIMEOUT) as response:
                return response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location", ""), error.read().decode()
        except OSError:  # urllib's URLError, timeouts and dropped connections
            return NO_ANSWER, "", ""

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields (CSRF token, version) of the form on a page."""
        status, _, page = self.request(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return {
            name: unescape(value)
            for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page)
            for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        }

    def sign_in(self) -> None:
        form = {**self.form("/login"), "email": EMAIL, "password": PASSWORD}
        status, _, _ = self.request("/login", form)
        if status != 303:
            raise RuntimeError(f"signing in answered {status}")

    def timed_post(self, path: str, form: dict) -> tuple[int, float]:
        """(status, seconds) of one POST; its redirect is then followed, untimed."""
        started = time.perf_counter()
        status, location, _ = self.request(path, form)
        seconds = time.perf_counter() - started
        if status == 303:
            target = urlsplit(location)
            self.request(target.path + (f"?{target.query}" if target.query else ""))
        return status, seconds


@dataclass
class Samples:
    seconds: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)

    def add(self, status: int, seconds: float) -> None:
        if status == 303:
            self.seconds.append(seconds)
        else:
            self.failures[status] += 1

    def percentile_ms(self, percent: int) -> float:
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[percent - 1] * 1000


class Shelf:
    """A served shelf, a curator signed in on it, and the rows the writes go to."""

    def __init__(self, url: str, logs: Path, name: str) -> None:
        create_curator(url)
        connection = psycopg2.connect(url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM authors ORDER BY abs(book_count - 2000), id LIMIT 1")
            self.prolific = cursor.fetchone()[0]
            cursor.execute(
                "SELECT id, title FROM books WHERE author_id = %s ORDER BY id", (self.prolific,)
            )
            self.books = cursor.fetchall()
            # Authors spread over the shelf, the same ones on every run.
            cursor.execute(
                "SELECT id, name, country FROM authors ORDER BY md5(id::text) LIMIT 1000"
            )
            self.authors = cursor.fetchall()
        connection.close()
        self.server = Gunicorn(logs / f"{name}.log", url)
        self.server.start()
        self.browser = Browser(self.server)
        self.browser.sign_in()
        self.csrf = {"csrf_token": self.browser.form("/authors/new")["csrf_token"]}

    def write(self, kind: str, number: int) -> tuple[int, float]:
        """The `number`th write of a kind: (status, seconds)."""
        author_id, name, country = self.authors[number % len(self.authors)]
        if kind == "add an author":
            form = {**self.csrf, "name": f"Writer {number}", "country": "Kenya", "bio": ""}
            return self.browser.timed_post("/authors/new", form)
        if kind == "add a book":
            form = {**self.csrf, "title": f"The Benchmark, volume {number}"}
            return self.browser.timed_post(f"/authors/{author_id}/books/new", form)
        if kind == "edit an author":
            path = f"/authors/{author_id}/edit"
            form = {
                **self.browser.form(path),
                "name": name,
                "country": country or "",
                "bio": f"Revised {number} times.",
            }
            return self.browser.timed_post(path, form)
        book_id, title = self.books[number % len(self.books)]
        path = f"/authors/{self.prolific}/books/{book_id}/edit"
        form = {
            **self.browser.form(path),
            "title": f"{title[:150]}, edition {number}",
            "author_id": str(self.prolific),
        }
        return self.browser.timed_post(path, form)

    def stop(self) -> None:
        self.server.stop()


def create_curator(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "users", "create", EMAIL, "--password-stdin"],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DATABASE_DIRECT_URL": "",
            "INSTANCE_PATH": str(Path(tempfile.gettempdir()) / "bookshelf-bench-instance"),
        },
        input=PASSWORD + "\n",
        check=True,
        capture_output=True,
        text=True,
    )


@dataclass
class Writes:
    samples: dict[str, dict[str, Samples]]  # write: {shelf: Samples}
    scaling: dict[str, list[float]]  # write: each round's p50 1M/10k
    rounds: int


def measure(urls: dict[str, str], requests: int, rounds: int, seconds: float) -> Writes:
    """`requests` of each write on each shelf ("small" and "large" in `urls`), in `rounds`
    rounds; a write stops early on a shelf once it has taken `seconds` there, its forms and
    redirects included."""
    logs = Path(tempfile.mkdtemp(prefix="bookshelf-bench-writes-"))
    shelves = {}
    try:
        for shelf, size in SHELVES.items():
            shelves[shelf] = Shelf(urls[size], logs, f"writes-{size}")
        samples = {kind: {shelf: Samples() for shelf in shelves} for kind in WRITES}
        scaling = {kind: [] for kind in WRITES}
        numbers = Counter()
        for kind in WRITES:
            spent = Counter()
            for round_number in range(rounds):
                names = list(shelves)[round_number % 2 :] + list(shelves)[: round_number % 2]
                in_round = {}
                for shelf in names:
                    in_round[shelf] = Samples()
                    for _ in range(requests // rounds):
                        if spent[shelf] > seconds:
                            break
                        started = time.perf_counter()
                        status, took = shelves[shelf].write(kind, numbers[kind, shelf])
                        spent[shelf] += time.perf_counter() - started
                        numbers[kind, shelf] += 1
                        in_round[shelf].add(status, took)
                        samples[kind][shelf].add(status, took)
                if all(len(s.seconds) > 1 for s in in_round.values()):
                    scaling[kind].append(
                        statistics.median(in_round["1M"].seconds)
                        / statistics.median(in_round["10k"].seconds)
                    )
            print(f"  {kind}: " + summary(samples[kind], scaling[kind]))
    except Exception:
        print(f"Gunicorn's logs are kept in {logs}", file=sys.stderr)
        raise
    finally:
        for running in shelves.values():
            running.stop()
    return Writes(samples, scaling, rounds)


def spread(ratios: list[float]) -> str:
    if not ratios:
        return "–"
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def failures(samples: Samples) -> str:
    if not samples.failures:
        return "0"
    return ", ".join(
        f"{count} × {status or 'no answer'}" for status, count in sorted(samples.failures.items())
    )


def summary(by_shelf: dict[str, Samples], scaling: list[float]) -> str:
    return (
        "; ".join(
            f"{shelf} p50 {s.percentile_ms(50):.1f} ms, p99 {s.percentile_ms(99):.1f} ms "
            f"({len(s.seconds)}, failed {failures(s)})"
            for shelf, s in by_shelf.items()
        )
        + f"; p50 1M/10k {spread(scaling)}"
    )


def report(writes: Writes, large_books: int = LARGE_BOOKS) -> list[str]:
    """The Writes section of RESULTS.md."""
    lines = [
        "## Writes",
        "",
        "One curator signed in through the form, one request at a time against gunicorn with",
        "2 workers; each figure times one POST (an edit's form is opened first, untimed, for",
        "its version and CSRF token; the redirect is followed, untimed). Books are added to",
        "authors across the shelf; the book edited belongs to an author of about 2,000 books.",
        f"The shelves take turns in {writes.rounds} rounds; each ratio is the median of the",
        "rounds' own, with the lowest and highest in brackets. Every write must answer 303;",
        f"any other answer is a failure. Target: an edit's p50 at {large_books:,} books within",
        "1.5× of its p50 at 10,000 books.",
        "",
        "| write | count, 10k | p50 ms, 10k | p99 ms, 10k | count, 1M | p50 ms, 1M | p99 ms, 1M "
        "| p50 1M/10k | failures | target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for kind, by_shelf in writes.samples.items():
        small, large = by_shelf["10k"], by_shelf["1M"]
        ratios = writes.scaling[kind]
        met = "–"
        if kind in EDITS:
            met = "yes" if ratios and statistics.median(ratios) <= 1.5 else "no"
        lines.append(
            f"| {kind} | {len(small.seconds)} | {small.percentile_ms(50):.1f} "
            f"| {small.percentile_ms(99):.1f} | {len(large.seconds)} "
            f"| {large.percentile_ms(50):.1f} | {large.percentile_ms(99):.1f} "
            f"| {spread(ratios)} | {failures(small)} / {failures(large)} | {met} |"
        )
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="of each write on each shelf")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--seconds", type=float, default=60, help="at most, of each write on each shelf"
    )
    parser.add_argument(
        "--large-books", type=int, default=LARGE_BOOKS, help="books on the large shelf"
    )
    arguments = parser.parse_args()
    server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    urls = {}
    for size, books in {"small": SMALL_BOOKS, "large": arguments.large_books}.items():
        print(f"Building the {size} shelf ({books:,} books) ...")
        urls[size] = recreate(server, f"bench_writes_{size}")
        seed(urls[size], books)
        vacuum_analyze(urls[size])
    print("Writing ...")
    writes = measure(urls, arguments.requests, arguments.rounds, arguments.seconds)
    print("\n".join(report(writes, arguments.large_books)))


if __name__ == "__main__":
    main()
