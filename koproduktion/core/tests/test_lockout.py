"""Lock-outs after failed attempts (log-ins, codes, keys), on the local-memory cache and on Redis."""

from __future__ import annotations

import threading
import time

import pytest

from koproduktion.core.ratelimit import (
    LockedOut,
    RateLimited,
    check_rate,
    lockout_attempt,
    lockout_clear,
    lockout_success,
)

# The rate-limit tests' fixture for each cache backend; the clock is the real one here.
from .redis_support import redis_prefix  # noqa: F401
from .test_ratelimit import cache  # noqa: F401

# The counters' table, for the cases counted in the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMITS = {"login": ("3/15m", "5/15m"), "mailbox": ("2/h", None)}


def _fail(n: int, *, cache, account="a@example.org", ip="198.51.100.7") -> LockedOut | None:  # noqa: F811
    """Make ``n`` attempts that fail; return the refusal of the last, if any."""
    refusal = None
    for _ in range(n):
        try:
            lockout_attempt(action="login", account=account, ip=ip, cache=cache)
        except LockedOut as locked:
            refusal = locked
    return refusal


def _succeeds(cache, account="a@example.org", ip="198.51.100.7") -> bool:  # noqa: F811
    try:
        lockout_attempt(action="login", account=account, ip=ip, cache=cache)
    except LockedOut:
        return False
    lockout_success(action="login", account=account, ip=ip, cache=cache)
    return True


def test_the_attempt_after_the_limit_locks_the_account(cache):  # noqa: F811
    assert _fail(3, cache=cache) is None
    refusal = _fail(1, cache=cache)
    assert refusal is not None
    assert refusal.retry_after == 15 * 60
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refusal.message
    assert "15 Minuten" in refusal.message
    # The right password during the lock does not get in, from any address.
    assert not _succeeds(cache, ip="203.0.113.1")
    assert _succeeds(cache, account="b@example.org", ip="203.0.113.1")


def test_the_lock_ends_after_its_period_and_is_not_lengthened(cache, settings):  # noqa: F811
    # Counters expire by the cache's own clock, so this test takes real time: one second.
    settings.RATE_LIMITS = {"login": ("3/1s", "5/1s")}
    started = time.monotonic()
    _fail(4, cache=cache)
    time.sleep(0.5)
    assert _fail(5, cache=cache, ip="203.0.113.9") is not None
    time.sleep(max(0.0, started + 1.1 - time.monotonic()))
    assert _succeeds(cache)


def test_success_forgets_the_accounts_failures(cache):  # noqa: F811
    for n in range(4):
        _fail(2, cache=cache, ip=f"203.0.113.{n}")
        assert _succeeds(cache, ip=f"203.0.113.{n}")


def test_an_address_is_locked_across_accounts_and_a_success_does_not_reset_it(cache):  # noqa: F811
    for n in range(4):
        _fail(1, cache=cache, account=f"x{n}@example.org")
    # Logging in to one's own account does not wipe out the guesses at the others.
    assert _succeeds(cache, account="mine@example.org")
    _fail(1, cache=cache, account="x9@example.org")
    assert _fail(1, cache=cache, account="x10@example.org") is not None
    assert not _succeeds(cache, account="mine@example.org")
    assert _succeeds(cache, account="mine@example.org", ip="198.51.100.8")


def test_clearing_lifts_the_accounts_lock(cache):  # noqa: F811
    _fail(4, cache=cache)
    lockout_clear(action="login", account="a@example.org", cache=cache)
    assert _succeeds(cache, ip="203.0.113.1")


# Threads of one process; the database is counted by several processes in
# test_ratelimit_processes.py (the test database of SQLite lives in this process's memory).
@pytest.mark.parametrize("cache", ["locmem", "redis"], indirect=True)
def test_concurrent_attempts_cannot_pass_the_limit(cache):  # noqa: F811
    passed = []
    barrier = threading.Barrier(12)

    def attempt() -> None:
        barrier.wait()
        try:
            lockout_attempt(action="login", account="a@example.org", ip="", cache=cache)
        except LockedOut:
            return
        passed.append(1)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 3


def test_a_subject_is_counted_apart_from_the_person_asking(cache):  # noqa: F811
    for ip in ("198.51.100.1", "198.51.100.2"):
        check_rate(action="mailbox", user=None, ip=ip, subject="x@example.org", cache=cache)
    with pytest.raises(RateLimited):
        check_rate(
            action="mailbox", user=None, ip="198.51.100.3", subject="x@example.org", cache=cache
        )
    check_rate(action="mailbox", user=None, ip="198.51.100.3", subject="y@example.org", cache=cache)
