"""A steady stream of requests against a server, recording every answer."""

import threading
import time
from dataclasses import dataclass, field

from tests.servers.gunicorn import Gunicorn


@dataclass
class Answer:
    at: float
    path: str
    status: int | None  # None: no HTTP answer at all
    seconds: float


@dataclass
class SteadyLoad:
    """Requests to `paths`, one after another, from a background thread, until stopped.

    Bounded: it stops by itself after `max_seconds` or `max_requests`.
    """

    server: Gunicorn
    paths: list[str]
    pause: float = 0.02
    max_seconds: float = 120
    max_requests: int = 20_000
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "SteadyLoad":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        started = time.monotonic()
        for number in range(self.max_requests):
            if self._stopping.is_set() or time.monotonic() - started > self.max_seconds:
                return
            path = self.paths[number % len(self.paths)]
            sent = time.monotonic()
            try:
                status = self.server.get(path)[0]
            except OSError:
                status = None
            self.answers.append(Answer(sent, path, status, time.monotonic() - sent))
            time.sleep(self.pause)

    def wait_for(self, count: int, seconds: float = 30) -> None:
        """Until `count` more answers have come in."""
        target = len(self.answers) + count
        deadline = time.monotonic() + seconds
        while len(self.answers) < target and time.monotonic() < deadline:
            time.sleep(0.02)

    def failures(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status != 200]
