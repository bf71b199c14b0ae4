"""Several app processes count one limit at the same moment, and no count is lost.

Each backend the settings can choose for the rate limits is tried: the database (without
``REDIS_URL``; SQLite in a file, or the PostgreSQL test database when the suite runs there) and
Redis. Four Python processes, as four gunicorn workers would be, set up Django, wait for one
another and then make their attempts at the same time.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import redis
from django.db import connection

from koproduktion.core import ratelimit
from koproduktion.core.tests.redis_support import REDIS_URL
from koproduktion.core.tests.test_ratelimit import T0

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 4
ATTEMPTS = 60  # per process
LIMIT = 100  # per address and hour
ADDRESS = "192.0.2.99"
KEY = f"ratelimit:idea:a:{ratelimit._digest(ADDRESS)}:3600:{int(T0 // 3600)}"

WORKER = textwrap.dedent(
    f"""
    import sys, time
    from pathlib import Path
    import django
    django.setup()
    from django.conf import settings
    from koproduktion.core.redis_cache import RedisCache
    from koproduktion.core import ratelimit

    backend, folder, number = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if backend == "database" and number == "0" and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        from django.db import connection
        from koproduktion.core.models import RateCounter
        with connection.schema_editor() as editor:
            editor.create_model(RateCounter)
    cache = RedisCache({REDIS_URL!r}, {{"KEY_PREFIX": backend[6:]}}) if backend.startswith("redis:") else None
    settings.RATE_LIMITS = {{"idea": (None, "{LIMIT}/h")}}
    ratelimit._clock = lambda: {T0!r}
    (folder / f"ready-{{number}}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    passed = 0
    for _ in range({ATTEMPTS}):
        try:
            ratelimit.check_rate(action="idea", user=None, ip={ADDRESS!r}, cache=cache)
        except ratelimit.RateLimited:
            continue
        passed += 1
    print(passed)
    """
)


def _run_workers(backend: str, folder: Path, env: dict[str, str]) -> list[int]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "REDIS_URL"}}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, backend, str(folder), str(number)],
            cwd=ROOT,
            env={**clean, "DJANGO_SETTINGS_MODULE": "koproduktion.settings", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(PROCESSES)
    ]
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < PROCESSES:
        failed = [w for w in workers if w.poll() not in (None, 0)]
        assert not failed, failed[0].stderr.read()
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.02)
    (folder / "go").touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(int(out))
    return results


def _assert_exact(passed: list[int], counted: int) -> None:
    # Every process got some of the allowed attempts, together exactly the limit, and every
    # attempt, the refused ones too, was counted once.
    assert sum(passed) == LIMIT
    assert counted == PROCESSES * ATTEMPTS


def test_processes_share_the_count_in_the_database(tmp_path, request):
    if connection.vendor == "sqlite":
        database = tmp_path / "counters.sqlite3"
        passed = _run_workers("database", tmp_path, {"DATABASE_URL": f"sqlite:///{database}"})
        with sqlite3.connect(database) as db:
            (counted,) = db.execute(
                "SELECT value FROM core_ratecounter WHERE cache_key = ?", [f":1:{KEY}"]
            ).fetchone()
    else:
        request.getfixturevalue("transactional_db")
        db = connection.settings_dict
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        passed = _run_workers("database", tmp_path, {"DATABASE_URL": url})
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM core_ratecounter WHERE cache_key = %s", [f":1:{KEY}"])
            (counted,) = cursor.fetchone()
    _assert_exact(passed, counted)


def test_processes_share_the_count_in_redis(tmp_path, redis_prefix):
    passed = _run_workers(f"redis:{redis_prefix}", tmp_path, {})
    client = redis.Redis.from_url(REDIS_URL)
    counted = int(client.get(f"{redis_prefix}:1:{KEY}"))
    client.close()
    _assert_exact(passed, counted)
