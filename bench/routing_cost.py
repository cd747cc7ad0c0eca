"""What routing reads to a replica costs a page: `python -m bench.routing_cost` from the
project root, after `make bench` has built its shelves.

The same pages from two apps on one database, one reading it directly and one through the
replica routing (DATABASE_REPLICA_URL naming that same database), so that only the routing
differs. In-process through Flask's test client, without gunicorn and wrk, whose noise on a
shared machine is larger than the routing; rounds of the two interleaved, so that the
machine's noise falls on both. Prints each page's median time a request and the median of
the rounds' routed/direct ratios. DATABASE_URL names the database (default: bench_large on
the local server).
"""

import os
import statistics
import tempfile
from functools import partial
from pathlib import Path

from bench.interleaved import interleaved, median_ratio
from bookshelf import create_app
from config import TestingConfig

URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_large")
ROUNDS, REQUESTS = 15, 200
PAGES = {
    "author list": "/authors/",
    "author page": "/authors/1",
    "API authors": "/api/authors/",
    "search, one word": "/search?q=lighthouse",
}


def app_on(replica_url: str | None):
    folder = Path(tempfile.mkdtemp(prefix="bookshelf-bench-"))
    return create_app(TestingConfig(URL, folder, replica_url=replica_url))


def main() -> None:
    clients = {"direct": app_on(None).test_client(), "routed": app_on(URL).test_client()}
    for page, path in PAGES.items():
        for client in clients.values():
            assert client.get(path).status_code == 200, path
        timings = interleaved(
            {name: partial(client.get, path) for name, client in clients.items()},
            ROUNDS,
            REQUESTS,
        )
        print(
            f"{page}: direct {statistics.median(timings['direct']):.0f} µs, routed "
            f"{statistics.median(timings['routed']):.0f} µs a request; routed/direct time "
            f"{median_ratio(timings['routed'], timings['direct'])}"
        )


if __name__ == "__main__":
    main()
