"""A Redis server of a test's own, for tests that stop it: on a free port of 127.0.0.1, as
the current user, keeping nothing on disk."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import redis

from tests.servers.processes import free_port, stop_process, wait_for_port


class ThrowawayRedis:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bookshelf-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.folder),
            "--save", "",
            "--appendonly", "no",
        ]  # fmt: skip
        self.log_file = open(self.folder / "redis.log", "w")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            stop_process(self.process, self.log_file)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stored_keys(self) -> list[str]:
        client = redis.Redis(port=self.port, decode_responses=True)
        try:
            return client.keys()
        finally:
            client.close()
