"""Bookshelf served by gunicorn, as in production: for the tests and the benchmark."""

import http.client
import os
import subprocess
import sys
from pathlib import Path

from bookshelf import PROJECT_ROOT
from tests.servers.processes import free_port, stop_process, wait_for_port


class Gunicorn:
    """An app (Bookshelf by default) served by gunicorn with two workers, as in production,
    on a free port; its log goes to `log_path`."""

    def __init__(
        self, log_path: Path, database_url: str, app: str = "wsgi:app", **environment: str
    ) -> None:
        self.app = app
        self.port = free_port()
        self.log_path = log_path
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            # DATABASE_DIRECT_URL (from a .env, say) would send `flask db` elsewhere.
            "DATABASE_DIRECT_URL": "",
            "SECRET_KEY": "served-by-gunicorn",
            "INSTANCE_PATH": str(log_path.parent),
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
            self.app,
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

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

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
