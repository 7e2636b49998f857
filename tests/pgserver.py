"""Start and stop a throwaway PostgreSQL cluster on loopback for the test suite (Debian's postgresql)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class PgServer:
    datadir: str
    port: int
    bindir: str
    run_as: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _run(self, [os.path.join(self.bindir, "pg_ctl"), "-D", self.datadir, "-m", "immediate", "-w", "stop"],
             check=False)
        shutil.rmtree(self.datadir, ignore_errors=True)


def find_bindir() -> str | None:
    """The newest Debian PostgreSQL bin directory with initdb, or one on PATH."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for d in reversed(dirs):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(server: PgServer, cmd: list[str], check: bool = True) -> subprocess.CompletedProcess:
    if server.run_as:
        cmd = ["runuser", "-u", server.run_as, "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def start() -> tuple[PgServer | None, str]:
    """Start a cluster; returns (server, "") or (None, reason it could not be started)."""
    bindir = find_bindir()
    if not bindir:
        return None, "no PostgreSQL server binaries (apt-get install postgresql)"
    run_as = None
    if os.geteuid() == 0:  # postgres refuses to run as root
        if shutil.which("runuser") is None:
            return None, "running as root and runuser is missing"
        run_as = "postgres"
    datadir = tempfile.mkdtemp(prefix="glossary-pg-")
    if run_as:
        shutil.chown(datadir, user=run_as)
    server = PgServer(datadir=datadir, port=_free_port(), bindir=bindir, run_as=run_as)
    try:
        _run(server, [os.path.join(bindir, "initdb"), "-D", datadir, "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--no-sync"])
        opts = (f"-p {server.port} -c listen_addresses=127.0.0.1 -k {datadir} -c fsync=off "
                f"-c max_connections=200")
        _run(server, [os.path.join(bindir, "pg_ctl"), "-D", datadir, "-o", opts, "-l",
                      os.path.join(datadir, "log"), "-w", "start"])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        err = getattr(exc, "stderr", "") or str(exc)
        shutil.rmtree(datadir, ignore_errors=True)
        return None, f"could not start PostgreSQL: {err.strip().splitlines()[-1] if err.strip() else exc}"
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return server, ""
        except OSError:
            time.sleep(0.1)
    server.stop()
    return None, "PostgreSQL started but does not accept connections"


def stop_datadir(datadir: str) -> None:
    bindir = find_bindir() or ""
    run_as = "postgres" if os.geteuid() == 0 else None
    PgServer(datadir=datadir, port=0, bindir=bindir, run_as=run_as).stop()


if __name__ == "__main__":
    # `python tests/pgserver.py start` prints "URL DATADIR"; `python tests/pgserver.py stop DATADIR`.
    import sys

    if sys.argv[1:2] == ["stop"]:
        stop_datadir(sys.argv[2])
    else:
        srv, why = start()
        if srv is None:
            raise SystemExit(why)
        print(srv.url, srv.datadir, flush=True)
