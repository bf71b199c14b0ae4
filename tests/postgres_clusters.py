"""A throw-away PostgreSQL primary with a streaming replica, for the tests of the read replicas.

    with PrimaryWithReplica() as servers:
        servers.primary.execute("CREATE DATABASE koproduktion")
        ...  # servers.primary.url("koproduktion"), servers.replica.url("koproduktion")
        servers.pause_replay()  # the replica lags until resume_replay()

Why not a replica of the server the suite runs on (127.0.0.1:5432): ``pg_basebackup`` copies a
whole cluster, every database of every test run on the machine, and a replication connection
needs a ``replication`` line in that server's ``pg_hba.conf``, which the machine's configuration
does not have and a test must not change. So ``initdb`` makes a primary of its own on a free
loopback port (its ``pg_hba.conf`` allows replication from 127.0.0.1, as initdb writes it with
``--auth=trust``), ``pg_basebackup -R`` copies it into a standby that follows it on another port,
and both are stopped and their folder removed when the block ends, also when it fails. PostgreSQL
refuses to run as root: run as root (CI containers), the servers run as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import psycopg

HOST = "127.0.0.1"
USER = "postgres"
TIMEOUT = 60  # seconds for a server to start, or a replica to catch up


def _bin_dir() -> Path | None:
    """The folder of ``initdb``, ``pg_ctl`` and ``pg_basebackup``: ``PG_BIN``, else the newest
    Debian PostgreSQL, else the PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


BIN = _bin_dir()
PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup")


def missing_programs() -> str | None:
    """Why the clusters cannot be made here, or None."""
    absent = [name for name in PROGRAMS if BIN is None or not (BIN / name).exists()]
    if absent:
        return f"the PostgreSQL server programs are not installed ({', '.join(absent)})"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(USER)
        except KeyError:
            return "run as root, and there is no 'postgres' user to run PostgreSQL as"
    return None


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """One PostgreSQL server of ours: its data folder and port."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.data = folder / name
        self.log = folder / f"{name}.log"
        self.port = free_port()
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://{USER}@{HOST}:{self.port}/{database}"

    def execute(self, statement: str, *params: object, database: str = "postgres") -> tuple:
        """Run one statement in autocommit; its first row (or an empty tuple)."""
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=10) as conn:
            cursor = conn.execute(statement, params or None)
            return (cursor.fetchone() or ()) if cursor.description else ()

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses={HOST} -c unix_socket_directories={self.folder} "
            # Thrown away afterwards: no need to survive a power cut.
            "-c fsync=off -c full_page_writes=off"
        )
        _run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", TIMEOUT, "-o", options, "start")
        self.running = True

    def stop(self) -> None:
        if self.running:
            _run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
            self.running = False

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


class PrimaryWithReplica:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="koproduktion-replica-"))
        if os.geteuid() == 0:
            account = pwd.getpwnam(USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.primary = Server(self.folder, "primary")
        self.replica = Server(self.folder, "replica")

    def __enter__(self) -> PrimaryWithReplica:
        try:
            _run(
                "initdb", "-D", self.primary.data, "-U", USER, "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
            self.primary.start()
            _run(
                "pg_basebackup", "-h", HOST, "-p", self.primary.port, "-U", USER,
                "-D", self.replica.data, "--write-recovery-conf", "--wal-method=stream",
                "--checkpoint=fast", "--no-sync",
            )  # fmt: skip
            self.replica.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.replica.stop()
        self.primary.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def logs(self) -> str:
        return f"primary:\n{self.primary.tail()}\nreplica:\n{self.replica.tail()}"

    def wait_for_replay(self) -> None:
        """Until the replica has replayed everything the primary wrote so far."""
        (target,) = self.primary.execute("SELECT pg_current_wal_lsn()::text")
        self._wait("catch up", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target)

    def pause_replay(self) -> None:
        """The replica keeps receiving the primary's changes but shows none of them."""
        self.replica.execute("SELECT pg_wal_replay_pause()")
        self._wait("pause", "SELECT pg_get_wal_replay_pause_state() = 'paused'")

    def resume_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_resume()")
        self.wait_for_replay()

    def _wait(self, what: str, query: str, *params: object) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not self.replica.execute(query, *params)[0]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"The replica did not {what} in time.\n{self.logs()}")
            time.sleep(0.05)


def _run(program: str, *args: object, check: bool = True) -> None:
    """One of the server programs, as the ``postgres`` user when we are root."""
    assert BIN is not None, missing_programs()
    as_user = {"user": USER} if os.geteuid() == 0 else {}
    result = subprocess.run(
        [str(BIN / program), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 2,
        check=False,
        # A working folder the postgres user may enter, whatever the caller's is.
        cwd=tempfile.gettempdir(),
        **as_user,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{program} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
