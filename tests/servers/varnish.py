"""A Varnish of a test's own in front of one backend: on a free port of 127.0.0.1, with the
stock VCL (requests with a cookie pass, answers that set one or say private are not
kept, time to live and grace from Cache-Control), keeping its cache in memory."""

import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from tests.servers.processes import free_port, stop_process, wait_for_port

VCL = """vcl 4.1;
backend default {{ .host = "127.0.0.1"; .port = "{port}"; }}
"""


class Varnish:
    def __init__(self, backend_port: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bookshelf-varnish-"))
        self.port = free_port()
        (self.folder / "default.vcl").write_text(VCL.format(port=backend_port))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            "varnishd", "-F",
            "-f", str(self.folder / "default.vcl"),
            "-a", f"127.0.0.1:{self.port}",
            "-n", str(self.folder / "work"),
            "-s", "malloc,32m",
            "-j", "none",
        ]  # fmt: skip
        self.log_file = open(self.folder / "varnish.log", "w")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            stop_process(self.process, self.log_file)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, cookie: str | None = None):
        """The answer's status, headers and body, and whether the cache served it (a hit
        names two requests in X-Varnish: this one and the one that fetched it)."""
        request = urllib.request.Request(
            self.url(path), headers={"Cookie": cookie} if cookie else {}
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            body = response.read().decode()
            hit = len(response.headers["X-Varnish"].split()) == 2
            return response.status, response.headers, body, hit
