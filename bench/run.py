"""Bookshelf's benchmark: `make bench` (or `python -m bench.run` from the project root).

1. Builds two PostgreSQL databases with the bulk seed, 10,000 authors each, one with
   10,000 books and one with 1,000,000, and times the seed against a raw COPY of the
   same rows.
2. Serves Bookshelf on each with gunicorn (2 workers), and the bare-Flask ceiling
   (bench/ceiling.py) on the big one, and drives every page with wrk from another
   process, in rounds that alternate the servers, so that a noisy machine slows all of
   them alike. Medians of the rounds are reported.
3. Measures, on the large shelf, a conditional request's 304 against the full answer, and
   reads through the replica routing against reads straight from the primary.
4. Runs each search's statements again under EXPLAIN ANALYZE (bench/search_plans.py).
5. Times writes through the forms on both shelves (bench/writes.py).
6. Times create_app(), and writes bench/RESULTS.md and bench/results.png.

BENCH_DATABASE_URL names the server (default postgresql://postgres@127.0.0.1:5432/);
the databases bench_small, bench_large and bench_copy on it are dropped and rebuilt.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

from bench.search_plans import search_plans
from bookshelf import PROJECT_ROOT
from bookshelf.search.keys import LoadKeys
from bookshelf.seeding.bulk_load import (
    AUTHOR_COLUMNS,
    BOOK_COLUMNS,
    author_rows,
    book_rows,
    copy_field,
)
from bookshelf.seeding.synthetic_shelf import synthetic_authors
from tests.servers.gunicorn import Gunicorn

BENCH = PROJECT_ROOT / "bench"
AUTHORS = 10_000
SMALL_BOOKS = 10_000
LARGE_BOOKS = 1_000_000
RANDOM_SEED = 1
WRK = ["wrk", "--threads", "2", "--connections", "8", "--latency"]


@dataclass
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def run(command: list[str], **environment: str) -> str:
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        # DATABASE_DIRECT_URL (from a .env, say) would send `flask db` elsewhere.
        # The instance folder (a secret key made on first use) stays out of the project's.
        env={
            **os.environ,
            "DATABASE_DIRECT_URL": "",
            "INSTANCE_PATH": str(Path(tempfile.gettempdir()) / "bookshelf-bench-instance"),
            **environment,
        },
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def database_url(server: str, name: str) -> str:
    return server.rstrip("/") + "/" + name


def recreate(server: str, name: str) -> str:
    admin = psycopg2.connect(database_url(server, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    admin.close()
    url = database_url(server, name)
    run([sys.executable, "-m", "flask", "db", "upgrade"], DATABASE_URL=url)
    return url


def vacuum_analyze(url: str) -> None:
    """What autovacuum would soon do after a bulk load: statistics, and the visibility map
    that lets the list pages read their ids from the index alone."""
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def seed(url: str, books: int) -> float:
    started = time.perf_counter()
    run(
        [sys.executable, "-m", "flask", "seed", "--authors", str(AUTHORS), "--books", str(books)],
        DATABASE_URL=url,
    )
    return time.perf_counter() - started


def write_copy_files(folder: Path, books: int) -> tuple[Path, Path]:
    """The rows the bulk seed loads, search keys included, as COPY text files (author ids
    from 1, as in a new database)."""
    shelf = synthetic_authors(AUTHORS, books, RANDOM_SEED)
    ids = list(range(1, AUTHORS + 1))
    keys = LoadKeys()
    name_keys = [keys.key(author.name) for author in shelf]
    paths = folder / "authors.tsv", folder / "books.tsv"
    tables = (
        author_rows(ids, shelf, name_keys),
        book_rows(ids, shelf, name_keys, RANDOM_SEED, keys),
    )
    for path, rows in zip(paths, tables, strict=True):
        with path.open("w") as file:
            file.writelines("\t".join(map(copy_field, row)) + "\n" for row in rows)
    return paths


def raw_copy(url: str, authors_file: Path, books_file: Path) -> float:
    """COPY of the same rows into the same schema, in one transaction, and nothing else."""
    connection = psycopg2.connect(url)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with authors_file.open() as file:
            cursor.copy_expert(f"COPY authors ({', '.join(AUTHOR_COLUMNS)}) FROM STDIN", file)
        with books_file.open() as file:
            cursor.copy_expert(f"COPY books ({', '.join(BOOK_COLUMNS)}) FROM STDIN", file)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def compare_loading(server: str, rounds: int, books: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        authors_file, books_file = write_copy_files(Path(folder), books)
        seeds, copies = [], []
        for _ in range(rounds):
            seeds.append(seed(recreate(server, "bench_copy"), books))
            copies.append(raw_copy(recreate(server, "bench_copy"), authors_file, books_file))
    return {
        "seed_seconds": statistics.median(seeds),
        "copy_seconds": statistics.median(copies),
        "ratio": statistics.median(s / c for s, c in zip(seeds, copies, strict=True)),
        "seeds": seeds,
        "copies": copies,
    }


LIBRARIES = "flask, flask_migrate, flask_sqlalchemy, sqlalchemy, psycopg2"


def time_create_app(rounds: int = 7) -> dict:
    """Seconds, in fresh interpreters: create_app() with every import it makes, and the
    import of its libraries alone (most of it, and the part no app code changes)."""
    codes = {
        "create_app": "from bookshelf import create_app; create_app()",
        "libraries": f"import {LIBRARIES}",
    }
    url = "postgresql://bench@127.0.0.1/none"
    timings = {name: [] for name in codes}
    for _ in range(rounds):
        for name, code in codes.items():
            timed = f"import time; started = time.perf_counter(); {code}; "
            timed += "print(time.perf_counter() - started)"
            output = run([sys.executable, "-c", timed], DATABASE_URL=url, SECRET_KEY="bench")
            timings[name].append(float(output))
    return {name: statistics.median(seconds) for name, seconds in timings.items()}


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, seconds: int, headers: dict[str, str] | None = None) -> Measurement:
    sent = [
        argument
        for name, value in (headers or {}).items()
        for argument in ("-H", f"{name}: {value}")
    ]
    output = subprocess.run(
        [*WRK, *sent, "--duration", f"{seconds}s", url], check=True, capture_output=True, text=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output)[1])
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output)[1])
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{url} answered with errors under load:\n{output}")
    return Measurement(rps, p50, p99)


def spread(ratios: list[float]) -> str:
    """The median of the rounds' ratios, and their lowest and highest."""
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def median_measurement(runs: list[Measurement]) -> Measurement:
    return Measurement(
        statistics.median(r.requests_per_second for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(r.p99_ms for r in runs),
    )


def pages(url: str) -> dict[str, str]:
    """The pages measured, with an author of about 2,000 books (of the large shelf)."""
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM authors ORDER BY abs(book_count - 2000), id LIMIT 1")
        author_id = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM authors")
        last_page = -(-cursor.fetchone()[0] // 25)
    connection.close()
    return {
        "author list": "/authors/",
        f"deep page ({last_page})": f"/authors/?page={last_page}",
        "country filter": "/authors/?country=Kenya",
        "author, ~2,000 books": f"/authors/{author_id}",
        "API authors": "/api/authors/",
        "API books": f"/api/books/{author_id}",
    }


def searches(small_url: str, large_url: str) -> dict[str, str]:
    """The searches measured, the same on both shelves: their words are the synthetic
    shelf's, and the author and title are of a book that both shelves hold."""
    words = {
        "search, one word": "willow",
        "search, author and title": author_and_title(small_url, large_url),
        "search, one letter": "w",
        "search, common word": "the",
        "search, misspelt": "lighthuose",
        "search, no match": "the hobbit",
    }
    return {name: "/search?" + urlencode({"q": query}) for name, query in words.items()}


def author_and_title(small_url: str, large_url: str) -> str:
    """An author's surname and the longest word of one of their titles on the small shelf,
    which between 10 and 1,000 books of the large shelf also hold."""
    small, large = psycopg2.connect(small_url), psycopg2.connect(large_url)
    with small.cursor() as books, large.cursor() as holding:
        books.execute(
            "SELECT authors.name_key, books.title_key FROM books "
            "JOIN authors ON authors.id = books.author_id ORDER BY books.id"
        )
        for name_key, title_key in books:
            words = name_key.split()[-1], max(title_key.split(), key=len)
            holding.execute(
                "SELECT count(*) FROM books WHERE search_vector @@ CAST(%s AS tsquery)",
                (" & ".join(f"'{word}'" for word in words),),
            )
            if 10 <= holding.fetchone()[0] <= 1_000:
                break
    small.close()
    large.close()
    return " ".join(words)


def check_same_answers(ours: Gunicorn, ceiling: Gunicorn, paths: dict[str, str]) -> None:
    """The ceiling must answer every measured page exactly as Bookshelf does, or the
    comparison would be of different work."""
    for path in paths.values():
        answers = []
        for server in (ours, ceiling):
            with urllib.request.urlopen(server.url(path)) as response:
                headers = {k: v for k, v in response.headers.items() if k not in ("Date", "Server")}
                answers.append((response.status, headers, response.read()))
        if answers[0] != answers[1]:
            raise RuntimeError(f"the ceiling's answer to {path} differs from Bookshelf's")


def measure(
    servers: dict[str, Gunicorn], paths: dict[str, str], rounds: int, seconds: int
) -> tuple:
    """({page: {server: Measurement}}, {page: {"ceiling": [r, ...], "scaling": [r, ...]}}).

    Each round drives every server once, each round starting with the next server, so
    that none is always first. The ratios are each round's own, of runs seconds apart, so
    that the machine's slower and faster spells cancel; the report gives their median.
    """
    results, ratios = {}, {}
    for page, path in paths.items():
        names = list(servers)
        runs = {name: [] for name in names}
        for server in servers.values():
            wrk(server.url(path), 1)  # warm up the workers and the caches
        for round_number in range(rounds):
            turn = round_number % len(names)
            for name in names[turn:] + names[:turn]:
                runs[name].append(wrk(servers[name].url(path), seconds))
        results[page] = {name: median_measurement(r) for name, r in runs.items()}
        ours, ceiling, small = runs["bookshelf"], runs["ceiling"], runs["bookshelf-small"]
        ratios[page] = {
            "ceiling": [
                o.requests_per_second / c.requests_per_second
                for o, c in zip(ours, ceiling, strict=True)
            ],
            "scaling": [o.p50_ms / s.p50_ms for o, s in zip(ours, small, strict=True)],
        }
        print(
            f"  {page}: "
            + ", ".join(f"{n} {m.requests_per_second:.0f}/s" for n, m in results[page].items())
            + f"; ours/ceiling {spread(ratios[page]['ceiling'])}, "
            + f"1M/10k {spread(ratios[page]['scaling'])}"
        )
    return results, ratios


def side_by_side(paths: dict[str, str], first, second, rounds: int, seconds: int) -> dict:
    """{page: (first, second, [second/first throughput of each round])}, where `first` and
    `second` run wrk on a path for some seconds, in alternating runs."""
    results = {}
    for page, path in paths.items():
        first(path, 1)
        second(path, 1)
        firsts, seconds_ = [], []
        for _ in range(rounds):
            firsts.append(first(path, seconds))
            seconds_.append(second(path, seconds))
        ratios = [
            b.requests_per_second / a.requests_per_second
            for a, b in zip(firsts, seconds_, strict=True)
        ]
        results[page] = median_measurement(firsts), median_measurement(seconds_), ratios
        print(
            f"  {page}: {results[page][0].requests_per_second:.0f}/s against "
            f"{results[page][1].requests_per_second:.0f}/s; {spread(ratios)}"
        )
    return results


def measure_revalidation(server: Gunicorn, paths: dict[str, str], rounds: int, seconds: int):
    """Each page asked for in full, and with the validator it was last given (a 304)."""
    validators = {}
    for path in paths.values():
        with urllib.request.urlopen(server.url(path)) as response:
            validators[path] = {"If-None-Match": response.headers["ETag"]}
    return side_by_side(
        paths,
        lambda path, seconds: wrk(server.url(path), seconds),
        lambda path, seconds: wrk(server.url(path), seconds, validators[path]),
        rounds,
        seconds,
    )


def measure_routing(
    primary: Gunicorn, routed: Gunicorn, paths: dict[str, str], rounds: int, seconds: int
):
    """Each page read from the primary, and through the replica routing (to a replica that is
    the same server, so that only the routing differs)."""
    return side_by_side(
        paths,
        lambda path, seconds: wrk(primary.url(path), seconds),
        lambda path, seconds: wrk(routed.url(path), seconds),
        rounds,
        seconds,
    )


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    connection = psycopg2.connect(
        database_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER), "postgres")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory_kb / 2**20:.0f} GiB, Linux {platform.release()}, "
        f"Python {platform.python_version()}, PostgreSQL {postgres}"
    )


DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/"


def chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    figure, (against_ceiling, across_sizes) = plt.subplots(1, 2, figsize=(13, 5.5))
    for axes, series, title in (
        (
            against_ceiling,
            ("bookshelf", "ceiling"),
            "p50 at 1,000,000 books: Bookshelf and the bare-Flask ceiling",
        ),
        (
            across_sizes,
            ("bookshelf-small", "bookshelf"),
            "Bookshelf's p50 at 10,000 and at 1,000,000 books",
        ),
    ):
        width = 0.38
        for offset, server in zip((-width / 2, width / 2), series, strict=True):
            label = {
                "bookshelf": "Bookshelf, 1M books",
                "ceiling": "ceiling, 1M books",
                "bookshelf-small": "Bookshelf, 10k books",
            }[server]
            axes.barh(
                [i + offset for i in range(len(names))],
                [results[name][server].p50_ms for name in names],
                height=width,
                label=label,
            )
        axes.set_yticks(range(len(names)), names)
        axes.invert_yaxis()
        axes.set_xscale("log")
        axes.set_xlabel("p50 latency, ms (log scale; shorter is better)")
        axes.set_title(title, fontsize=10)
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def report(
    results: dict,
    ratios: dict,
    plans: dict,
    revalidation: dict,
    routing: dict,
    loading: dict,
    start_up: dict,
    writes: list[str],
    rounds: int,
    seconds: int,
    large_books: int,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench` on {machine()}.",
        "wrk with 2 threads and 8 connections against gunicorn with 2 workers; each figure is",
        f"the median of {rounds} runs of {seconds} s, the servers taking turns within each round",
        "(each round led by the next server). Each ratio is the median of the rounds' own",
        "ratios, of runs seconds apart, with the lowest and highest in brackets; it can differ",
        "from the ratio of the medians beside it. Every shelf has "
        f"{AUTHORS:,} authors. The machine is",
        "shared: compare the ratios rather than the absolute figures.",
        "",
        "![p50 per page](results.png)",
        "",
        "What the profiles show, and why targets are missed: [FINDINGS.md](FINDINGS.md).",
        "",
        "## Bookshelf against the ceiling, at 1,000,000 books",
        "",
        "The ceiling (`bench/ceiling.py`) is a bare Flask app with psycopg2 that sends the same",
        "SQL and renders the same templates. Target: Bookshelf ≥ 0.8× its throughput.",
        "",
        "| page | Bookshelf req/s | p50 ms | p99 ms | ceiling req/s | p50 ms | p99 ms "
        "| ours/ceiling | target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, by_server in results.items():
        ours, ceiling = by_server["bookshelf"], by_server["ceiling"]
        ratio = statistics.median(ratios[page]["ceiling"])
        lines.append(
            f"| {page} | {ours.requests_per_second:,.0f} | {ours.p50_ms:.1f} | {ours.p99_ms:.1f} "
            f"| {ceiling.requests_per_second:,.0f} | {ceiling.p50_ms:.1f} | {ceiling.p99_ms:.1f} "
            f"| {spread(ratios[page]['ceiling'])} | {'yes' if ratio >= 0.8 else 'no'} |"
        )
    lines += [
        "",
        "## Scaling: 10,000 books against 1,000,000",
        "",
        "Target: each page's p50 at 1,000,000 books within 1.5× of its p50 at 10,000 books.",
        "",
        "| page | req/s, 10k books | p50 ms, 10k | req/s, 1M books | p50 ms, 1M | p50 1M/10k "
        "| target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, by_server in results.items():
        small, large = by_server["bookshelf-small"], by_server["bookshelf"]
        ratio = statistics.median(ratios[page]["scaling"])
        lines.append(
            f"| {page} | {small.requests_per_second:,.0f} | {small.p50_ms:.1f} "
            f"| {large.requests_per_second:,.0f} | {large.p50_ms:.1f} "
            f"| {spread(ratios[page]['scaling'])} "
            f"| {'yes' if ratio <= 1.5 else 'no'} |"
        )
    lines += [
        "",
        "## What the searches read, at 1,000,000 books",
        "",
        "Every statement Bookshelf sends for each search, run again under EXPLAIN ANALYZE"
        " (bench/search_plans.py).",
        "A scan's rows read are those it returned and those its filter threw away. Target:"
        " no search reads every book.",
        "",
        "| search | statements | most rows of `books` one statement read | scans of `books` "
        "| reads every book |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for name, plan in plans.items():
        lines.append(
            f"| {name} | {plan.statements} | {plan.most_rows_read:,} "
            f"| {', '.join(sorted(plan.scans)) or 'none'} "
            f"| {'yes' if plan.reads_every_book else 'no'} |"
        )
    lines += [
        "",
        "## Revalidation: a 304 against the full answer, at 1,000,000 books",
        "",
        "Signed-out answers carry an ETag made of the shelf's version (bookshelf.caching); a",
        "request that sends it back (`If-None-Match`) while the shelf is unchanged gets a 304",
        "after one read of that version, without the page's statements or its template. Each",
        "page was asked for in full and with its validator, in alternating runs.",
        "",
        "| page | full req/s | p50 ms | 304 req/s | p50 ms | 304/full throughput |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, (full, revalidated, ratios) in revalidation.items():
        lines.append(
            f"| {page} | {full.requests_per_second:,.0f} | {full.p50_ms:.1f} "
            f"| {revalidated.requests_per_second:,.0f} | {revalidated.p50_ms:.1f} "
            f"| {spread(ratios)} |"
        )
    lines += [
        "",
        "## Routing reads to a replica, at 1,000,000 books",
        "",
        "Each page served as it is, and with `DATABASE_REPLICA_URL` naming the same server, so",
        "that every read goes through the replica routing (bookshelf.database: the choice of a",
        "replica, a look at its lag once a second per worker) and nothing else differs. Target:",
        "the routing costs under 5% of a page (routed/direct throughput ≥ 0.95).",
        "",
        "| page | direct req/s | p50 ms | routed req/s | p50 ms | routed/direct throughput |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, (direct, routed, ratios) in routing.items():
        lines.append(
            f"| {page} | {direct.requests_per_second:,.0f} | {direct.p50_ms:.1f} "
            f"| {routed.requests_per_second:,.0f} | {routed.p50_ms:.1f} | {spread(ratios)} |"
        )
    lines += ["", *writes]
    lines += [
        "## Loading and start-up",
        "",
        f"- `flask seed --authors {AUTHORS:,} --books {large_books:,}`: "
        f"{loading['seed_seconds']:.1f} s (median; runs: "
        + ", ".join(f"{s:.1f}" for s in loading["seeds"])
        + f"). A raw COPY of the same rows into the same schema: {loading['copy_seconds']:.1f} s "
        "(runs: " + ", ".join(f"{s:.1f}" for s in loading["copies"]) + "). "
        f"Ratio seed/COPY: {loading['ratio']:.2f} (target ≤ 2).",
        "- `create_app()`, imports included, in a fresh interpreter: "
        f"{start_up['create_app'] * 1000:.0f} ms (median of 7; target < 500 ms: "
        f"{'met' if start_up['create_app'] < 0.5 else 'not met'}). Of that, importing its "
        f"libraries alone (`import {LIBRARIES}`) takes {start_up['libraries'] * 1000:.0f} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    # Imported here: bench.writes builds its shelves with this module's helpers.
    import bench.writes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Many short runs rather than a few long ones: the servers' runs of a round are
    # seconds apart, so the machine's slower and faster spells fall on both, and the
    # median of a dozen rounds moves less than that of five (bench/FINDINGS.md).
    parser.add_argument("--rounds", type=int, default=12, help="runs of each page on each server")
    parser.add_argument("--seconds", type=int, default=2, help="length of one wrk run")
    parser.add_argument(
        "--loading-rounds", type=int, default=5, help="loads of the large shelf, each way"
    )
    parser.add_argument(
        "--large-books", type=int, default=LARGE_BOOKS, help="books on the large shelf"
    )
    parser.add_argument(
        "--write-requests", type=int, default=300, help="of each write on each shelf"
    )
    parser.add_argument(
        "--write-seconds", type=float, default=60, help="at most, of each write on each shelf"
    )
    parser.add_argument(
        "--report-dir", type=Path, default=BENCH, help="where RESULTS.md and results.png go"
    )
    arguments = parser.parse_args()
    server = os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)

    print("Loading: bulk seed against raw COPY ...")
    loading = compare_loading(server, arguments.loading_rounds, arguments.large_books)
    print(f"  seed {loading['seed_seconds']:.1f} s, COPY {loading['copy_seconds']:.1f} s")
    urls = {}
    for size, books in {"small": SMALL_BOOKS, "large": arguments.large_books}.items():
        print(f"Building the {size} shelf ({books:,} books) ...")
        urls[size] = recreate(server, f"bench_{size}")
        seed(urls[size], books)
        vacuum_analyze(urls[size])
    start_up = time_create_app()

    # Gunicorn's logs, kept only when a run fails.
    logs = Path(tempfile.mkdtemp(prefix="bookshelf-bench-"))
    servers = {
        "bookshelf": Gunicorn(logs / "bookshelf.log", urls["large"]),
        "ceiling": Gunicorn(logs / "ceiling.log", urls["large"], app="bench.ceiling:app"),
        "bookshelf-small": Gunicorn(logs / "bookshelf-small.log", urls["small"]),
        # Reads routed to a "replica" that is the primary itself: the routing's own cost.
        "bookshelf-routed": Gunicorn(
            logs / "bookshelf-routed.log", urls["large"], DATABASE_REPLICA_URL=urls["large"]
        ),
    }
    try:
        for running in servers.values():
            running.start()
        measured = pages(urls["large"]) | searches(urls["small"], urls["large"])
        check_same_answers(servers["bookshelf"], servers["ceiling"], measured)
        print("Measuring ...")
        compared = {name: servers[name] for name in ("bookshelf", "ceiling", "bookshelf-small")}
        results, ratios = measure(compared, measured, arguments.rounds, arguments.seconds)
        print("Revalidating ...")
        revalidated = {
            page: measured[page]
            for page in ("author list", "author, ~2,000 books", "API authors", "search, one word")
        }
        revalidation = measure_revalidation(
            servers["bookshelf"], revalidated, arguments.rounds, arguments.seconds
        )
        print("Routing ...")
        routing = measure_routing(
            servers["bookshelf"],
            servers["bookshelf-routed"],
            revalidated,
            arguments.rounds,
            arguments.seconds,
        )
    finally:
        for running in servers.values():
            running.stop()
    shutil.rmtree(logs)
    plans = search_plans(urls["large"], searches(urls["small"], urls["large"]))
    print("Writing ...")
    writes = bench.writes.measure(
        urls, arguments.write_requests, arguments.rounds, arguments.write_seconds
    )

    folder = arguments.report_dir
    chart(results, folder / "results.png")
    (folder / "RESULTS.md").write_text(
        report(
            results,
            ratios,
            plans,
            revalidation,
            routing,
            loading,
            start_up,
            bench.writes.report(writes, arguments.large_books),
            arguments.rounds,
            arguments.seconds,
            arguments.large_books,
        )
    )
    print(f"Wrote {folder / 'RESULTS.md'} and {folder / 'results.png'}")


if __name__ == "__main__":
    main()
