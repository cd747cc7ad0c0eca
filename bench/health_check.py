"""What /healthz costs now that it reads the schema's revision, against the same route
sending a bare `SELECT 1`: `python -m bench.health_check` from the project root.

In-process through Flask's test client, rounds of each interleaved so that the machine's
noise falls on both; prints the medians and the median of the rounds' ratios. DATABASE_URL
names a PostgreSQL database it may migrate (default: bench_small on the local server).
"""

import os
import statistics
import tempfile
from functools import partial
from pathlib import Path

import flask_migrate
from sqlalchemy import text

from bench.interleaved import interleaved, median_ratio
from bookshelf import create_app
from bookshelf.database import read
from config import TestingConfig

URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_small")
ROUNDS, REQUESTS = 15, 300


def main() -> None:
    app = create_app(TestingConfig(URL, Path(tempfile.mkdtemp(prefix="bookshelf-bench-"))))
    with app.app_context():
        flask_migrate.upgrade()

    @app.get("/select-one")
    def select_one():
        read(text("SELECT 1"))
        return {"status": "ok"}

    client = app.test_client()
    for path in ("/healthz", "/select-one"):
        assert client.get(path).status_code == 200, path
    timings = interleaved(
        {path: partial(client.get, path) for path in ("/healthz", "/select-one")},
        ROUNDS,
        REQUESTS,
    )
    for path, rounds in timings.items():
        print(f"{path}: median {statistics.median(rounds):.0f} µs a request")
    print(f"/healthz / SELECT 1: {median_ratio(timings['/healthz'], timings['/select-one'])}")


if __name__ == "__main__":
    main()
