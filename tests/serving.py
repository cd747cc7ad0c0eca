"""Real servers for the tests that need them: a throwaway PostgreSQL cluster, PgBouncer,
gunicorn serving Bookshelf, and a steady stream of requests against it.

Every process runs on a free port of 127.0.0.1, in a folder the test owns, and is
stopped when the test ends. PostgreSQL and PgBouncer refuse to run as root, so when the
tests run as root they start them as the `postgres` user.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bookshelf import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {seconds} s")


def postgres_program(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, or where Debian keeps it."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    return shutil.which(name) or (str(candidates[0]) if candidates else None)


def stop_process(process: subprocess.Popen, log) -> None:
    """Ask it to stop; if it has not within 15 s, make it."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def as_postgres_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def folder_for_postgres(prefix: str) -> Path:
    """A new folder under the system's temporary one (pytest's own are private to root),
    owned by the user the servers run as."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return folder


class ThrowawayPostgres:
    """A PostgreSQL cluster of the test's own (initdb, then pg_ctl on a free port)."""

    def __init__(self) -> None:
        self.folder = folder_for_postgres("bookshelf-postgres-")
        self.data = self.folder / "data"
        self.port = free_port()

    def run(self, program: str, *arguments: str, check: bool = True) -> None:
        command = [postgres_program(program), *arguments]
        subprocess.run(as_postgres_user(command), check=check, capture_output=True)

    def init(self) -> None:
        self.run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "postgres.log")
        self.run("pg_ctl", "--pgdata", str(self.data), "--log", log, "-o", options, "-w", "start")

    def stop(self, check: bool = True) -> None:
        self.run("pg_ctl", "--pgdata", str(self.data), "-m", "fast", "-w", "stop", check=check)

    def remove(self) -> None:
        """Stop it if it runs, and delete its folder."""
        self.stop(check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-c", f"CREATE DATABASE {name}")
        return self.url(name)


class PgBouncer:
    """PgBouncer in transaction pooling mode, as in front of Neon's pooled URL."""

    def __init__(self, server_port: int, database: str) -> None:
        self.folder = folder_for_postgres("bookshelf-pgbouncer-")
        self.port = free_port()
        self.database = database
        (self.folder / "users.txt").write_text('"postgres" ""\n')
        (self.folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"{database} = host=127.0.0.1 port={server_port} dbname={database}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.folder / 'users.txt'}\n"
            "admin_users = postgres\n"
            "pool_mode = transaction\n"
            "default_pool_size = 4\n"
            "max_client_conn = 200\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = as_postgres_user(["pgbouncer", str(self.folder / "pgbouncer.ini")])
        self.log_file = open(self.folder / "pgbouncer.log", "w")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            stop_process(self.process, self.log_file)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/pgbouncer"


class Gunicorn:
    """Bookshelf served by gunicorn with two workers, as in production."""

    def __init__(self, folder: Path, database_url: str, **environment: str) -> None:
        self.port = free_port()
        self.log_path = folder / "gunicorn.log"
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DATABASE_DIRECT_URL": "",
            "SECRET_KEY": "served-by-gunicorn-in-a-test",
            **environment,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ]
        self.log_file = open(self.log_path, "w")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            stop_process(self.process, self.log_file)

    def log(self) -> str:
        return self.log_path.read_text()

    def get(self, path: str, timeout: float = 15) -> tuple[int, str, str]:
        """(status, content type, body) of one GET."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode()
            return response.status, response.getheader("Content-Type", ""), body
        finally:
            connection.close()


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
