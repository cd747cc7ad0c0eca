"""PgBouncer in front of a throwaway PostgreSQL, as Neon puts it in front of its computes."""

import shutil
import subprocess

from tests.servers.postgres import as_postgres_user, folder_for_postgres
from tests.servers.processes import free_port, stop_process, wait_for_port


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
