"""What an anonymous read costs in one version of Bookshelf against another, on the same
database: `python bench/read_cost.py BEFORE AFTER` from the project root, where BEFORE and
AFTER are checkouts of the two versions (`git worktree add --detach ../before main`).

Each version runs in a process of its own, with its checkout as the working directory and
first on sys.path, so the two codebases never mix. Both serve signed-out GETs through
Flask's test client, in rounds that alternate which goes first, and report the CPU time
(time.process_time) of each batch; the ratio after/before is taken within each round, so
that the machine's slower and faster spells fall on both. Each version also reports, per
page, the statements one request sends and whether its answer sets a cookie.

DATABASE_URL names a PostgreSQL database migrated for the newer version (the older reads
it as well) and seeded; default bench_small on the local server. bench/FINDINGS.md has
the figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_small")


def serve_commands() -> None:
    """In a version's own process: answer "PATH REQUESTS" lines on stdin with the CPU
    seconds those requests took, and "check PATH" with its statements and cookies."""
    sys.path[0] = os.getcwd()
    os.environ.update(
        DATABASE_URL=URL,
        DATABASE_DIRECT_URL="",
        SECRET_KEY="read-cost",
        INSTANCE_PATH=tempfile.mkdtemp(prefix="bookshelf-read-cost-"),
    )
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from bookshelf import create_app

    statements = []
    event.listen(Engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = create_app().test_client()
    for line in sys.stdin:
        command, path, *count = line.split()
        if command == "check":
            statements.clear()
            response = client.get(path)
            answer = {
                "status": response.status_code,
                "statements": len(statements),
                "set_cookie": response.headers.getlist("Set-Cookie"),
            }
        else:
            started = time.process_time()
            for _ in range(int(count[0])):
                client.get(path)
            answer = time.process_time() - started
        print(json.dumps(answer), flush=True)


class Version:
    def __init__(self, checkout: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            cwd=checkout,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, line: str):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def prolific_author() -> int:
    import psycopg2

    connection = psycopg2.connect(URL)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM authors ORDER BY book_count DESC, id LIMIT 1")
        author_id = cursor.fetchone()[0]
    connection.close()
    return author_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=300, help="requests in a batch")
    arguments = parser.parse_args()
    paths = ["/authors/", f"/authors/{prolific_author()}", "/api/authors/", "/authors/?q=ring"]
    versions = {"before": Version(arguments.before), "after": Version(arguments.after)}
    try:
        for path in paths:
            checks = {name: version.ask(f"check {path}") for name, version in versions.items()}
            print(f"{path}: " + "; ".join(f"{name} {check}" for name, check in checks.items()))
            for version in versions.values():
                version.ask(f"time {path} 50")  # warm up
        ratios = {path: [] for path in paths}
        cpu_per_request = {path: {name: [] for name in versions} for path in paths}
        for round_number in range(arguments.rounds):
            for path in paths:
                order = list(versions)[:: 1 if round_number % 2 else -1]
                cpu = {
                    name: versions[name].ask(f"time {path} {arguments.requests}") for name in order
                }
                ratios[path].append(cpu["after"] / cpu["before"])
                for name, seconds in cpu.items():
                    cpu_per_request[path][name].append(seconds / arguments.requests * 1e6)
            print(
                f"round {round_number + 1}: " + ", ".join(f"{r[-1]:.3f}" for r in ratios.values())
            )
    finally:
        for version in versions.values():
            version.close()
    print("CPU per signed-out request, after/before, median (lowest-highest) of the rounds:")
    for path, values in ratios.items():
        before, after = (statistics.median(cpu_per_request[path][n]) for n in versions)
        print(
            f"  {path:<22} {statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f});"
            f" median {before:.0f} µs before, {after:.0f} µs after"
        )
    every = [value for values in ratios.values() for value in values]
    print(f"  {'every page':<22} {statistics.median(every):.3f}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve_commands()
    else:
        main()
