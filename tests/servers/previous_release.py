"""What the release before a migration writes while the migration runs, as plain SQL: the
current code's models expect what the migration is still adding."""

import threading
import time

import psycopg2


class Writer:
    """Writes to the catalogue from a thread, until stopped (bounded in count), keeping
    every error and the longest write: a book added, another of its author's retitled, and
    the author renamed, in one short transaction, taking the two tables in turn in either
    order, as writers do (the book_count triggers take books then authors; the editing
    pages lock the author first). It knows nothing of search keys, as that release did not."""

    def __init__(self, url: str, author_ids: list[int]) -> None:
        self.url, self.author_ids = url, author_ids
        self.writes, self.errors, self.longest = 0, [], 0.0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Writer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        connection = psycopg2.connect(self.url)
        while not self._stopping.is_set() and self.writes < 20_000:
            started = time.monotonic()
            try:
                self._write(connection, self.writes)
                self.writes += 1
                self.longest = max(self.longest, time.monotonic() - started)
            except psycopg2.Error as error:
                self.errors.append(error)
            time.sleep(0.01)
        connection.close()

    def _write(self, connection, number: int) -> None:
        author_id = self.author_ids[number % len(self.author_ids)]
        with connection, connection.cursor() as cursor:
            if number % 2:
                cursor.execute("SELECT 1 FROM authors WHERE id = %s FOR UPDATE", (author_id,))
            cursor.execute(
                "INSERT INTO books (title, author_id) VALUES (%s, %s)",
                (f"Written during the migration {number}", author_id),
            )
            cursor.execute(
                "UPDATE books SET title = %s "
                "WHERE id = (SELECT min(id) FROM books WHERE author_id = %s)",
                (f"Retitled during the migration {number}", author_id),
            )
            cursor.execute(
                "UPDATE authors SET name = %s, bio = %s WHERE id = %s",
                (f"Renamed Éditeur {number}", f"Edited {number} times.", author_id),
            )
