"""Rate limits on writes (ideas, comments, reports, votes, sign-ups), per account and per address.

    from koproduktion.core.ratelimit import RateLimited, check_rate, client_ip

    try:
        check_rate(action="comment", user=request.user, ip=client_ip(request))
    except RateLimited as limited:
        ...  # show limited.message; an API answers 429 with Retry-After: limited.retry_after

The counters live in a cache of their own, ``caches[settings.RATE_LIMIT_CACHE]`` ("ratelimit"),
apart from the visitors' page cache, which would evict them when a flood of addresses fills it.
Every app process shares it: Redis with ``REDIS_URL``, the database without
(``core.counter_cache``; see ``settings/caches.py``). Each limit is a fixed window: the first
attempt of a window creates its counter with ``cache.add`` and every further attempt raises it
with ``cache.incr``; both are atomic in Redis, in the database and in the local-memory cache, so
concurrent requests never lose a count. The window's number is part of the key, and each counter
expires a second after its window ends. In the database, a count made inside the caller's
transaction is undone with it.

``settings.RATE_LIMITS`` maps an action to ``(per account, per address)``, each a rate such as
``"5/10m"`` (five in ten minutes; units s, m, h, d) or ``None`` for no limit. Addresses are hashed
before they become keys, and IPv6 addresses count per /64 network, the block one connection
usually gets.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Used for an action that settings.RATE_LIMITS leaves out, and documented there.
DEFAULT_RATE_LIMITS: dict[str, tuple[str | None, str | None]] = {
    "idea": ("5/10m", "20/10m"),
    "comment": ("20/10m", "60/10m"),
    "report": ("10/h", "30/h"),
    "vote": ("120/m", "600/m"),
    "signup": ("20/h", "60/h"),
    "initiative": ("3/h", "10/h"),
    "offer": ("10/h", "30/h"),
    "login": ("5/15m", "30/15m"),
    "two_factor": ("5/15m", "30/15m"),
    "api_token": (None, "30/15m"),
    "verification_code": ("10/h", "30/h"),
    "register": (None, "10/h"),
    "password_reset": (None, "10/h"),
    "confirmation_resend": (None, "10/h"),
    "mailbox": ("8/d", None),
    "invitation": ("20/h", "60/h"),
    "role_grant": ("30/h", "60/h"),
    "barrier_report": ("5/h", "10/h"),
    "similar_ideas": ("60/m", "120/m"),
    "search": ("60/m", "120/m"),
}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"5/10m"`` → five per 600 seconds; ``"30/h"`` → thirty per hour."""
        try:
            count, per = text.strip().split("/")
            unit = per[-1]
            amount = int(per[:-1]) if per[:-1] else 1
            rate = cls(limit=int(count), period=amount * UNITS[unit])
        except (ValueError, KeyError, IndexError) as error:
            raise ImproperlyConfigured(
                f"Rate {text!r} is not of the form '5/10m' (units: s, m, h, d)."
            ) from error
        if rate.limit < 1 or rate.period < 1:
            raise ImproperlyConfigured(f"Rate {text!r} must allow at least one per period.")
        return rate


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` seconds until the next one is allowed."""

    def __init__(self, *, action: str, retry_after: int) -> None:
        self.action = action
        self.retry_after = max(1, retry_after)
        self.message = _(
            "Sie waren gerade sehr aktiv. Bitte warten Sie %(wait)s und versuchen Sie es dann "
            "noch einmal."
        ) % {"wait": _wait_text(self.retry_after)}
        super().__init__(self.message)


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d Sekunde", "%(count)d Sekunden", seconds) % {"count": seconds}
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d Minute", "%(count)d Minuten", minutes) % {"count": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)d Stunde", "%(count)d Stunden", hours) % {"count": hours}


def rate_limits(action: str) -> tuple[Rate | None, Rate | None]:
    """The (per account, per address) rates of ``action``; an unknown action is a mistake."""
    configured = {**DEFAULT_RATE_LIMITS, **getattr(settings, "RATE_LIMITS", {})}
    if action not in configured:
        raise ImproperlyConfigured(f"No rate limit for action {action!r} in RATE_LIMITS.")
    per_account, per_address = configured[action]
    return (
        Rate.parse(per_account) if per_account else None,
        Rate.parse(per_address) if per_address else None,
    )


def _address_bucket(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class _Window:
    """The counter of one limit in the current window of its period."""

    key: str
    rate: Rate
    now: float

    @property
    def number(self) -> int:
        return int(self.now // self.rate.period)

    @property
    def cache_key(self) -> str:
        return f"{self.key}:{self.rate.period}:{self.number}"

    @property
    def timeout(self) -> int:
        # A second past the window's end, so the counter never expires while it is in use.
        return self.rate.period + 1

    def wait(self, count: int) -> int | None:
        """The seconds to wait when ``count`` goes over the rate, else None."""
        if count <= self.rate.limit:
            return None
        return math.ceil((self.number + 1) * self.rate.period - self.now)


def _add_or_incr(cache: BaseCache, key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        # Evicted or expired between add and incr: start the window again.
        cache.add(key, 1, timeout=timeout)
        return 1


def _count(cache: BaseCache, windows: list[_Window]) -> list[int]:
    """Count one attempt in each window; their counts after it."""
    items = [(window.cache_key, window.timeout) for window in windows]
    # The database counts all of them in one statement each and one transaction.
    counting = getattr(cache, "add_or_incr_many", None)
    if counting is not None:
        return counting(items)
    return [_add_or_incr(cache, key, timeout) for key, timeout in items]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def check_rate(
    *, action: str, user, ip: str, cache: BaseCache | None = None, subject: str | None = None
) -> None:
    """Count one attempt at ``action``; raise RateLimited when it is one too many.

    Counts against the account (skipped for anonymous visitors) and against the client address
    (``client_ip(request)``); either limit refuses. Refused attempts count too, so hammering does
    not open the door any sooner than the end of the window. ``cache`` defaults to the cache named
    by ``settings.RATE_LIMIT_CACHE`` ("ratelimit").

    ``subject`` stands in for the account where the request concerns something else than the
    person asking, such as the mailbox a mail goes to; it is hashed before it becomes a key.
    """
    per_account, per_address = rate_limits(action)
    cache = cache or rate_limit_cache()
    now = _clock()
    windows = []
    if per_account and subject is not None:
        windows.append(_Window(f"{KEY_PREFIX}:{action}:s:{_digest(subject)}", per_account, now))
    elif per_account and user is not None and user.is_authenticated:
        windows.append(_Window(f"{KEY_PREFIX}:{action}:u:{user.pk}", per_account, now))
    if per_address and ip:
        bucket = _digest(_address_bucket(ip))
        windows.append(_Window(f"{KEY_PREFIX}:{action}:a:{bucket}", per_address, now))
    counts = _count(cache, windows) if windows else []
    waits = [window.wait(count) for window, count in zip(windows, counts, strict=True)]
    refused = [wait for wait in waits if wait is not None]
    if refused:
        raise RateLimited(action=action, retry_after=max(refused))


def rate_limit_cache() -> BaseCache:
    """The cache that holds the counters (``settings.RATE_LIMIT_CACHE``)."""
    return caches[getattr(settings, "RATE_LIMIT_CACHE", "ratelimit")]


def _clock() -> float:
    # One place to read the time, so that tests can move it.
    return time.time()


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, behind trusted proxies, from X-Forwarded-For.

    With ``settings.TRUSTED_PROXY_COUNT = n`` (n > 0) the app sits behind n proxies that each
    append the address they received the request from, so the client is the n-th entry from the
    right; entries further left were written by the client and are not believed. With 0 (the
    default) X-Forwarded-For is ignored, since anyone can send it.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy; the leftmost is the best we have.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockedOut(RateLimited):
    """Too many failed attempts (log-ins, codes, keys): locked for ``retry_after`` seconds.

    The words are the same whether the account, the address or both are locked, and whether or
    not an account exists for what was typed.
    """

    LOG_IN_ACTIONS = frozenset({"login", "two_factor"})

    def __init__(self, *, action: str, retry_after: int) -> None:
        super().__init__(action=action, retry_after=retry_after)
        wait = {"wait": _wait_text(self.retry_after)}
        if action in self.LOG_IN_ACTIONS:
            self.message = (
                _(
                    "Zu viele fehlgeschlagene Anmeldeversuche. Aus Sicherheitsgründen ist die "
                    "Anmeldung jetzt für %(wait)s gesperrt. Wenn Sie Ihr Passwort vergessen haben, "
                    "können Sie es zurücksetzen."
                )
                % wait
            )
        else:
            self.message = (
                _(
                    "Zu viele fehlgeschlagene Versuche. Aus Sicherheitsgründen ist das jetzt für "
                    "%(wait)s gesperrt."
                )
                % wait
            )
        self.args = (self.message,)


def _lockout_keys(action: str, account: str | None, ip: str) -> list[tuple[str, Rate, bool]]:
    """(counter key, rate, is the account's) for each limit of ``action`` that applies."""
    per_account, per_address = rate_limits(action)
    keys = []
    if per_account and account:
        keys.append((f"{KEY_PREFIX}:{action}:fail:s:{_digest(account)}", per_account, True))
    if per_address and ip:
        bucket = _digest(_address_bucket(ip))
        keys.append((f"{KEY_PREFIX}:{action}:fail:a:{bucket}", per_address, False))
    return keys


def lockout_attempt(
    *, action: str, account: str | None, ip: str, cache: BaseCache | None = None
) -> None:
    """Count one attempt at ``action`` (a log-in, a code) BEFORE it is tried.

    Raises LockedOut while the account or the address is locked, and when this attempt is one
    more than the rate allows; that attempt locks them for the rate's period (a lock is not
    lengthened by attempts made during it, which are refused uncounted). ``account`` is what identifies the account as typed
    (the normalised e-mail address, whether or not an account has it; or a user id), ``ip`` the
    client's address. Counting before trying keeps the limit exact under concurrent attempts.
    Call ``lockout_success`` when the attempt succeeded: a failure simply stays counted.

    Call it outside a transaction that a failure rolls back: in the database's counters
    (``core.counter_cache``) a count made inside it would be undone with it, and the lock would
    never come.
    """
    cache = cache or rate_limit_cache()
    keys = _lockout_keys(action, account, ip)
    now = _clock()
    locks = cache.get_many([f"{key}:lock" for key, _rate, _own in keys])
    # A lock holds the moment it ends, in milliseconds: the database's counters store integers.
    waits = [until / 1000 - now for until in locks.values() if until / 1000 > now]
    if not waits:
        for key, rate, _own in keys:
            count = _add_or_incr(cache, key, rate.period)
            if count > rate.limit:
                # The counter is left to expire (before the lock does): deleting it would let
                # attempts that passed the check above a moment ago start a fresh count.
                cache.add(f"{key}:lock", round((now + rate.period) * 1000), timeout=rate.period + 1)
                waits.append(rate.period)
    if waits:
        raise LockedOut(action=action, retry_after=math.ceil(max(waits)))


def lockout_success(
    *, action: str, account: str | None, ip: str, cache: BaseCache | None = None
) -> None:
    """The attempt counted by ``lockout_attempt`` succeeded: forget the account's failures.

    The address's count only loses this attempt, so that someone who can log in to an account
    of their own cannot wipe out the failures they made guessing at others.
    """
    cache = cache or rate_limit_cache()
    for key, _rate, own in _lockout_keys(action, account, ip):
        if own:
            cache.delete(key)
            continue
        try:
            left = cache.decr(key)
        except ValueError:
            continue  # expired meanwhile
        if left <= 0:
            # Also removes a counter that expired between the check and the decrement and
            # would otherwise live on without a timeout.
            cache.delete(key)


def lockout_clear(*, action: str, account: str, cache: BaseCache | None = None) -> None:
    """Lift the account's lock and forget its failures (the owner proved it, e.g. by a reset)."""
    cache = cache or rate_limit_cache()
    for key, _rate, _own in _lockout_keys(action, account, ""):
        cache.delete_many([key, f"{key}:lock"])


def _clock() -> float:
    # One place to read the time, so that tests can move it.
    return time.time()
