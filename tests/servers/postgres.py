"""A PostgreSQL cluster of a test's own, for tests that stop, restart or replicate a
server. PostgreSQL refuses to run as root, so as root the tests start it as `postgres`."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.servers.processes import free_port


def postgres_program(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, or where Debian keeps it."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    return shutil.which(name) or (str(candidates[0]) if candidates else None)


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

    def __init__(self, *settings: str) -> None:
        """`settings` are postgres -c options, such as shared_preload_libraries=..."""
        self.folder = folder_for_postgres("bookshelf-postgres-")
        self.data = self.folder / "data"
        self.port = free_port()
        self.settings = settings

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
        options += "".join(f" -c {setting}" for setting in self.settings)
        log = str(self.folder / "postgres.log")
        self.run("pg_ctl", "--pgdata", str(self.data), "--log", log, "-o", options, "-w", "start")

    def stop(self, check: bool = True) -> None:
        self.run("pg_ctl", "--pgdata", str(self.data), "-m", "fast", "-w", "stop", check=check)

    def remove(self) -> None:
        """Stop it if it runs, and delete its folder."""
        self.stop(check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def replica(self) -> "ThrowawayPostgres":
        """A streaming replica of this cluster, made by pg_basebackup -R and started."""
        replica = ThrowawayPostgres(*self.settings)
        self.run(
            "pg_basebackup",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--username", "postgres",
            "--pgdata", str(replica.data),
            "--write-recovery-conf",
            "--wal-method", "stream",
            "--checkpoint", "fast",
            "--no-sync",
        )  # fmt: skip
        replica.start()
        return replica

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-c", f"CREATE DATABASE {name}")
        return self.url(name)
