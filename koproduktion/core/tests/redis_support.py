"""The Redis the rate-limit tests count in: database 15, a key prefix per test, deleted after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(
            "Redis does not answer on 127.0.0.1:6379. Start it: redis-server --daemonize yes "
            "--bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no (.ci/run does this)."
        )
    prefix = f"kp-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()
