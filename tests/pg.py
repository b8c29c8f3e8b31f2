"""A throwaway PostgreSQL server for the SQL-source tests, started once per session.

initdb into a temporary folder, pg_ctl start on a free loopback port with the unix
socket in that folder (as the `postgres` OS user when the tests run as root), and
stop and remove it at teardown. Without Debian's postgresql the tests skip with a
message saying what to install; under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

USER, PASSWORD, DATABASE = "partnerbook", "s3cret-Pa55", "crm"
MISSING = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"


def bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian: /usr/lib/postgresql/<version>/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], owner: str | None) -> None:
    cmd = ["runuser", "-u", owner, "--", *args] if owner else args
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip() or done.stdout.strip()}")


class Server:
    def __init__(self, bins: Path) -> None:
        self.bins, self.port = bins, free_port()
        self.base = Path(tempfile.mkdtemp(prefix="partnerbook-pg-"))
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.data, self.socket = self.base / "data", self.base / "sock"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> "Server":
        self.socket.mkdir()
        (self.base / "pw").write_text(PASSWORD + "\n")
        if self.owner:
            shutil.chown(self.base, self.owner)
            for p in self.base.iterdir():
                shutil.chown(p, self.owner)
        _run(
            [
                str(self.bins / "initdb"),
                "-D",
                str(self.data),
                "-U",
                USER,
                "--pwfile",
                str(self.base / "pw"),
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            self.owner,
        )
        options = (
            f"-p {self.port} -k {self.socket} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            [
                str(self.bins / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.base / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            self.owner,
        )
        self.sql(f"CREATE DATABASE {DATABASE}", database="postgres")
        return self

    def sql(self, statement: str, database: str = DATABASE) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, password=PASSWORD, dbname=database, autocommit=True
        ) as con:
            con.execute(statement)

    def stop(self) -> None:
        try:
            _run([str(self.bins / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"], self.owner)
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """A running server: .url (with a password), .sql(statement), .port."""
    bins = bindir()
    if bins is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MISSING} (CI=true: the SQL source must be tested)")
        pytest.skip(MISSING)
    server = Server(bins)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    yield server
    server.stop()
