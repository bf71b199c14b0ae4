"""The app under gunicorn on a free port of 127.0.0.1, for the HTTP benchmarks.

from app_server import AppServer

with AppServer(database_url=url) as server:  # two sync workers by default
    ...  # load server.base_url
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from bench_env import HOST, PYTHON, ROOT, server_environment

HEALTHZ = "/healthz"
WORKERS = 2
STARTUP_TIMEOUT = 60  # seconds for gunicorn to answer /healthz


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def local_only(base_url: str) -> None:
    if urlsplit(base_url).hostname != HOST:
        raise ValueError(f"This benchmark loads only {HOST}, not {base_url}.")


class AppServer:
    """gunicorn serving ``koproduktion.wsgi`` on a free port of 127.0.0.1, as a context manager."""

    def __init__(
        self,
        *,
        database_url: str,
        workers: int = WORKERS,
        env: dict[str, str] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.env = env
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None
        # Lives as long as the server, which may be started and stopped by hand; closed by stop().
        self._log = tempfile.TemporaryFile("w+")  # noqa: SIM115

    def __enter__(self) -> AppServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "koproduktion.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_environment(self.database_url, self.env),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that stop() can end the workers with the master
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped while starting:\n{self.log()}")
            if status(self.base_url + HEALTHZ) == 200:
                return
            time.sleep(0.2)
        log = self.log()
        self.stop()
        raise RuntimeError(f"gunicorn did not answer {HEALTHZ} in time:\n{log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self._log.closed:
            self._log.close()

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read()[-4000:]

    def worker_rss_mib(self) -> list[float]:
        """The resident memory of each gunicorn worker (the master's children), in MiB."""
        if self.process is None:
            return []
        return [rss_mib(pid) for pid in children(self.process.pid)]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        # "pid (name) state ppid …"; the name may hold spaces and parentheses.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_mib(pid: int) -> float:
    """The resident set (VmRSS) of process ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def status(url: str) -> int | None:
    local_only(url)
    request = urllib.request.Request(url, headers={"Accept-Language": "de"})  # noqa: S310 - http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None
