"""What each measured search asks of PostgreSQL: every statement Bookshelf sends for it,
run again under EXPLAIN ANALYZE, and how many rows of `books` each reads, so that
bench/RESULTS.md can show that no search reads every book.

A scan's rows read are the rows it returns and those its filter or recheck threw away,
times its loops; the count is of the scans of `books` and of its indexes.
"""

import os
import tempfile
from dataclasses import dataclass, field

import psycopg2
from sqlalchemy import event

from bookshelf import create_app
from bookshelf.extensions import db
from config import READS_BIND, Config


@dataclass
class SearchPlan:
    statements: int = 0
    # The most rows of books any one statement read, and how it read them.
    most_rows_read: int = 0
    scans: set[str] = field(default_factory=set)
    reads_every_book: bool = False


def search_plans(url: str, paths: dict[str, str]) -> dict[str, SearchPlan]:
    config = Config({**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    config.INSTANCE_PATH = tempfile.mkdtemp(prefix="bookshelf-bench-plans-")
    app = create_app(config)
    client = app.test_client()
    sent: list[tuple[str, dict]] = []
    with app.app_context():
        engine = db.engines[READS_BIND]

        def remember(connection, cursor, statement, parameters, context, executemany):
            sent.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", remember)
    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as books_rows:
        books_rows.execute("SELECT count(*) FROM books")
        books_on_shelf = books_rows.fetchone()[0]
    plans = {}
    for name, path in paths.items():
        sent.clear()
        client.get(path)
        plan = plans[name] = SearchPlan(statements=len(sent))
        for statement, parameters in sent:
            if statement.startswith("EXPLAIN"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
                [[explained]] = cursor.fetchone()
            rows = sum(rows_read(node, plan.scans) for node in nodes(explained["Plan"]))
            plan.most_rows_read = max(plan.most_rows_read, rows)
        plan.reads_every_book = plan.most_rows_read >= books_on_shelf
    connection.close()
    return plans


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def rows_read(node: dict, scans: set[str]) -> int:
    on_books = node.get("Relation Name") == "books" or node.get("Index Name", "").startswith(
        ("ix_books", "pk_books")
    )
    if not on_books or "Scan" not in node["Node Type"]:
        return 0
    scans.add(f"{node['Node Type']} {node.get('Index Name', '')}".strip())
    if node["Node Type"] == "Bitmap Heap Scan":
        return 0  # its rows are counted at the bitmap index scan that found them
    kept = node["Actual Rows"]
    thrown = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return (kept + thrown) * node["Actual Loops"]
