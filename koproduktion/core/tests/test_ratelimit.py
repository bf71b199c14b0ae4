"""Rate limits per account and per address, on the local-memory cache, on a real Redis and in
the database (the rate limits' store without Redis, ``core.counter_cache``).

The Redis tests use database 15 and a key prefix of their own, and delete their keys afterwards.
Redis runs on every development and CI machine (.ci/run starts it when it is down), so nothing here
is skipped: a missing Redis fails with a message that says so. Counting by several processes at
once is in test_ratelimit_processes.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from koproduktion.core import ratelimit
from koproduktion.core.counter_cache import DatabaseCounterCache
from koproduktion.core.ratelimit import Rate, RateLimited, check_rate, client_ip
from koproduktion.core.redis_cache import RedisCache
from koproduktion.core.tests.redis_support import REDIS_URL
from koproduktion.settings.caches import cache_settings

ROOT = Path(__file__).resolve().parents[3]
T0 = 1_800_000_000.0  # a window boundary for every period used here (divisible by 3600)


class Person:
    """Stands in for a logged-in user: the limiter needs only ``pk`` and ``is_authenticated``."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "_clock", clock)
    return clock


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMITS = {
        "idea": ("3/10m", "5/10m"),
        "report": (None, "2/h"),
        "vote": ("2/m", None),
    }


def _redis_cache(prefix: str) -> RedisCache:
    # A cache object of its own has its own connection pool, as another process would.
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture(params=["locmem", "redis", "database"])
def cache(request):
    if request.param == "locmem":
        return LocMemCache(f"ratelimit-{uuid.uuid4().hex}", {})
    if request.param == "database":
        request.getfixturevalue("db")
        return DatabaseCounterCache("", {})
    return _redis_cache(request.getfixturevalue("redis_prefix"))


def _attempts(n: int, *, cache, user=None, ip: str = "198.51.100.7", action: str = "idea"):
    """Make ``n`` attempts; return how many passed and the last refusal."""
    passed, refusal = 0, None
    for _ in range(n):
        try:
            check_rate(action=action, user=user, ip=ip, cache=cache)
        except RateLimited as limited:
            refusal = limited
        else:
            passed += 1
    return passed, refusal


def _only_key() -> str:
    """The counter of the address ``_attempts`` uses by default, for the action "idea"."""
    bucket = ratelimit._digest("198.51.100.7")
    return f"ratelimit:idea:a:{bucket}:600:{int(T0 // 600)}"


# -- the rate format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [("5/10m", 5, 600), ("30/h", 30, 3600), ("1/s", 1, 1), ("100/d", 100, 86400)],
)
def test_rates_are_read_from_text(text, limit, period):
    assert Rate.parse(text) == Rate(limit=limit, period=period)


@pytest.mark.parametrize("text", ["5", "5/10", "5/10x", "x/m", "0/m", "5/0m", ""])
def test_a_malformed_rate_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured):
        Rate.parse(text)


def test_an_action_without_a_limit_is_a_configuration_error():
    # An action nobody configured ("signup" was one until task sign-ups got their limit).
    with pytest.raises(ImproperlyConfigured, match="teleport"):
        check_rate(action="teleport", user=None, ip="198.51.100.7")


def test_actions_left_out_of_the_setting_keep_their_defaults(settings):
    settings.RATE_LIMITS = {}
    assert ratelimit.rate_limits("comment") == (Rate(20, 600), Rate(60, 600))


# -- counting, on both caches ----------------------------------------------------------------


def test_an_account_gets_its_limit_from_any_address(cache):
    person = Person(1)
    for n in range(3):
        check_rate(action="idea", user=person, ip=f"198.51.100.{n}", cache=cache)
    with pytest.raises(RateLimited) as refused:
        check_rate(action="idea", user=person, ip="198.51.100.99", cache=cache)
    assert refused.value.action == "idea"
    # Another person at the same address is not affected.
    check_rate(action="idea", user=Person(2), ip="198.51.100.99", cache=cache)


def test_an_address_is_limited_across_accounts_and_for_visitors(cache):
    for pk in range(5):
        check_rate(action="idea", user=Person(pk), ip="203.0.113.5", cache=cache)
    with pytest.raises(RateLimited):
        check_rate(action="idea", user=Person(99), ip="203.0.113.5", cache=cache)
    with pytest.raises(RateLimited):
        check_rate(action="idea", user=AnonymousUser(), ip="203.0.113.5", cache=cache)
    check_rate(action="idea", user=AnonymousUser(), ip="203.0.113.6", cache=cache)


def test_the_limit_lifts_when_the_window_ends(cache, clock):
    clock.now = T0 + 200
    passed, refusal = _attempts(4, cache=cache, user=Person(1))
    assert passed == 3
    assert refusal.retry_after == 400  # the ten-minute window ends at T0 + 600
    assert "7 Minuten" in refusal.message
    clock.now = T0 + 599
    with pytest.raises(RateLimited) as refused:
        check_rate(action="idea", user=Person(1), ip="198.51.100.7", cache=cache)
    assert refused.value.retry_after == 1
    assert "1 Sekunde" in refused.value.message
    clock.now = T0 + 600
    check_rate(action="idea", user=Person(1), ip="198.51.100.7", cache=cache)


def test_refused_attempts_do_not_move_the_end_of_the_window(cache, clock):
    _attempts(3, cache=cache, user=Person(1))
    passed, refusal = _attempts(50, cache=cache, user=Person(1))
    assert (passed, refusal.retry_after) == (0, 600)
    clock.now = T0 + 600
    assert _attempts(3, cache=cache, user=Person(1))[0] == 3


def test_none_switches_a_limit_off(cache):
    # "report": no limit per account, 2/h per address.
    for n in range(5):
        check_rate(action="report", user=Person(1), ip=f"198.51.100.{n}", cache=cache)
    # "vote": 2/m per account, none per address.
    assert _attempts(5, cache=cache, user=None, action="vote") == (5, None)
    passed, refusal = _attempts(3, cache=cache, user=Person(1), action="vote")
    assert passed == 2
    assert "warten Sie 1 Minute und" in refusal.message


def test_actions_count_separately(cache):
    _attempts(3, cache=cache, user=Person(1))
    check_rate(action="vote", user=Person(1), ip="198.51.100.7", cache=cache)


def test_ipv6_addresses_count_per_64_network(cache):
    for host in range(5):
        check_rate(action="idea", user=None, ip=f"2001:db8:1:2::{host + 1:x}", cache=cache)
    with pytest.raises(RateLimited):
        check_rate(action="idea", user=None, ip="2001:db8:1:2:ffff::1", cache=cache)
    check_rate(action="idea", user=None, ip="2001:db8:1:3::1", cache=cache)


# Threads of one process; the database is counted by several processes in
# test_ratelimit_processes.py (the test database of SQLite lives in this process's memory).
@pytest.mark.parametrize("cache", ["locmem", "redis"], indirect=True)
def test_concurrent_attempts_are_counted_exactly(cache):
    passed = []
    barrier = threading.Barrier(12)

    def attempt() -> None:
        barrier.wait()
        try:
            check_rate(action="idea", user=None, ip="203.0.113.77", cache=cache)
        except RateLimited:
            return
        passed.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 5


@pytest.mark.django_db
def test_the_rate_limits_cache_is_used_without_an_argument():
    assert _attempts(6, cache=None)[0] == 5
    assert isinstance(caches["ratelimit"], DatabaseCounterCache)
    assert caches["ratelimit"].get(_only_key()) == 6


# -- Redis: one count for all processes ------------------------------------------------------


def test_two_cache_connections_share_the_count_on_redis(redis_prefix):
    first, second = _redis_cache(redis_prefix), _redis_cache(redis_prefix)
    assert first._cache.get_client() is not second._cache.get_client()
    for _ in range(2):
        check_rate(action="idea", user=Person(7), ip="198.51.100.1", cache=first)
    check_rate(action="idea", user=Person(7), ip="198.51.100.2", cache=second)
    with pytest.raises(RateLimited):
        check_rate(action="idea", user=Person(7), ip="198.51.100.3", cache=first)
    with pytest.raises(RateLimited):
        check_rate(action="idea", user=Person(7), ip="198.51.100.4", cache=second)


def test_another_process_shares_the_count_on_redis(redis_prefix):
    # A separate Python process (as a second gunicorn worker would be) makes three attempts at
    # the same moment of the test clock.
    script = textwrap.dedent(
        f"""
        import django
        django.setup()
        from koproduktion.core.redis_cache import RedisCache
        from koproduktion.core import ratelimit
        ratelimit._clock = lambda: {T0!r}
        cache = RedisCache({REDIS_URL!r}, {{"KEY_PREFIX": {redis_prefix!r}}})
        for _ in range(3):
            ratelimit.check_rate(action="idea", user=None, ip="192.0.2.44", cache=cache)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "koproduktion.settings"}
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)
    # Five per address: this process has two left.
    passed, refusal = _attempts(5, cache=_redis_cache(redis_prefix), ip="192.0.2.44")
    assert passed == 2
    assert refusal is not None


def test_redis_counters_expire_after_their_window(redis_prefix):
    cache = _redis_cache(redis_prefix)
    check_rate(action="idea", user=Person(3), ip="198.51.100.8", cache=cache)
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{redis_prefix}:*"))
    assert len(keys) == 2  # one per account, one per address
    assert all(0 < client.ttl(key) <= 601 for key in keys)
    # Addresses are hashed before they become keys.
    assert not any(b"198.51.100.8" in key for key in keys)
    client.close()


# -- the client address ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.1", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # the client wrote the left part
        (2, "6.6.6.6, 203.0.113.1, 10.0.0.9", "203.0.113.1"),
        (2, "203.0.113.1", "203.0.113.1"),  # fewer entries than proxies
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)
    assert client_ip(request) == expected


def test_with_redis_the_setting_is_all_it_takes(settings, redis_prefix):
    # What REDIS_URL configures, with this test's own database and key prefix.
    settings.CACHES = cache_settings(REDIS_URL, key_prefix=redis_prefix)
    assert _attempts(6, cache=None)[0] == 5
    assert _attempts(1, cache=_redis_cache(f"{redis_prefix}:ratelimit"))[0] == 0
    assert caches["ratelimit"].get(_only_key()) == 7
    assert caches["default"].get(_only_key()) is None
