"""The setting every benchmark runs in: its databases, the app's environment, the results file.

from bench_env import POSTGRES_URL, SQLITE_URL, database_url, prepare_demo_town, record
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable
HOST = "127.0.0.1"

SQLITE_URL = f"sqlite:///{OUT / 'http_load.sqlite3'}"
POSTGRES_URL = f"postgres://postgres@{HOST}:5432/kp_bench"


def server_environment(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the app runs in: development settings without DEBUG, as a server runs."""
    # The browser tests allow Django's ORM inside Playwright's event loop; no server runs so
    # (and the production checks refuse it).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "koproduktion.settings",
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_CONN_MAX_AGE": "60",  # persistent connections, as in production
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra or {})
    return env


def manage(*args: str, database_url: str, timeout: int = 600) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=server_environment(database_url),
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
    )


def fresh_database(database_url: str) -> None:
    """Drop and create the database of ``database_url`` (an SQLite file or a PostgreSQL db)."""
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"Unsupported database URL: {database_url}")
    import psycopg  # noqa: PLC0415 - only needed for PostgreSQL
    from psycopg import sql  # noqa: PLC0415

    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_demo_town(database_url: str) -> None:
    """A fresh database with the demo town: migrate, then seed_demo."""
    fresh_database(database_url)
    manage("migrate", "--noinput", database_url=database_url)
    manage("seed_demo", database_url=database_url)


def prepare_filled_town(database_url: str, fill_script: Path, *arguments: object) -> None:
    """The demo town, then ``fill_script`` (run with ``arguments``) adds a benchmark's data."""
    started = time.monotonic()
    prepare_demo_town(database_url)
    subprocess.run(
        [PYTHON, str(fill_script), *map(str, arguments)],
        env=server_environment(database_url),
        check=True,
        timeout=1800,
    )
    print(f"  prepared in {time.monotonic() - started:.0f} s", file=sys.stderr)


def percentile(values: list[float], share: float) -> float:
    """The value at ``share`` (0.99: p99) of ``values``, nearest rank; 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}"
    )


def record(section: str) -> None:
    """Append ``section`` to bench/RESULTS.md, below the sections already there."""
    results = HERE / "RESULTS.md"
    text = results.read_text() if results.exists() else "# Benchmark results\n"
    results.write_text(text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n")


def database_url(choice: str) -> str:
    return {"sqlite": SQLITE_URL, "postgres": POSTGRES_URL}.get(choice, choice)


def database_label(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "SQLite"
    if scheme in {"postgres", "postgresql"}:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(url, connect_timeout=10) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version.split()[0]}"
    return scheme
