"""Reads from PostgreSQL read replicas, while everyone reads their own writes from the primary.

Installed by the settings only when ``DATABASE_REPLICA_URL`` names one or more standbys
(aliases ``replica``, ``replica2``, …); without it nothing here runs and every query goes to the
primary (``default``), as on a single database.

A standby replays the primary's changes a moment later (usually milliseconds, seconds under load).
A read that may see that moment's past goes to a replica; one that must be current goes to the
primary. ``ReplicaReadsMiddleware`` decides per request and ``ReplicaRouter`` per query:

- Only requests read from a replica. Management commands, task workers, scheduled commands and the
  shell read from the primary: they act on what they read.
- A request that may change something (POST, PUT, PATCH, DELETE) reads from the primary, and so
  does every request of a person who wrote within ``DATABASE_PRIMARY_AFTER_WRITE_SECONDS``: the
  answer to such a request carries the cookie ``wrote_recently`` for that long. Whoever posts an
  idea sees it on the next page, even while the replica lags.
- A GET that writes (confirming an e-mail address) reads from the primary from its first write on,
  and sets the cookie too.
- Reads inside a transaction on the primary stay there: services read what they then change in
  their ``transaction.atomic``.
- Sessions, the rate limits' counters and the task queue live on the primary only; their writes do
  not count as a person's writes.
- One request reads from one replica, chosen at random, so that a page is one consistent moment.
  A replica that cannot be reached is left out for ``RETRY_SECONDS``; its reads go to the primary.
- Writes always go to the primary, and migrations run only there (a standby gets them by
  replication).

Hand-written SQL that must agree with the ORM's reads in the same request (the content versions
the page cache keys its copies by) takes its connection from ``read_connection``: a version read
on the primary for content read on a lagging replica would store the old page under the new key.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

COOKIE = "wrote_recently"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Models kept on the primary whatever the request: what a request writes as a side effect and
# must find again at once (its session, the counters of the rate limits, the task queue).
PRIMARY_ONLY = frozenset(
    {"sessions.session", "core.ratecounter", "django_tasks_database.dbtaskresult"}
)
RETRY_SECONDS = 30.0  # how long an unreachable replica is left out


@dataclass
class _Reads:
    """Where the current request reads: the first of ``candidates`` that answers, asked at its
    first read (a request that reads nothing, such as a static file, asks none), else the
    primary; and the primary from its first write on."""

    candidates: tuple[str, ...]
    wrote: bool = False
    _chosen: str | None = None
    _asked: bool = False

    @property
    def replica(self) -> str | None:
        if not self._asked:
            self._chosen = next((alias for alias in self.candidates if _reachable(alias)), None)
            self._asked = True
        return self._chosen


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)
# Per process: the moment until which an unreachable replica is left out.
_left_out: dict[str, float] = {}


@contextmanager
def reads_from(*replicas: str) -> Iterator[_Reads]:
    """Read from the first of ``replicas`` that answers (none: the primary) until the block ends,
    or something is written."""
    reads = _Reads(candidates=replicas)
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


class ReplicaRouter:
    """The database of each query (see the module); installed with ``DATABASE_REPLICA_URL``."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        reads = _reads.get()
        if (
            reads is None
            or reads.wrote
            or model._meta.label_lower in PRIMARY_ONLY
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return reads.replica or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None and model._meta.label_lower not in PRIMARY_ONLY:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replicas hold the primary's rows: an object read from one relates to all others.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def read_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection the ORM reads ``model`` from now, for hand-written SQL beside it."""
    return connections[router.db_for_read(model)]


def _reachable(alias: str) -> bool:
    now = time.monotonic()
    if _left_out.get(alias, 0.0) > now:
        return False
    connection = connections[alias]
    try:
        # A persistent connection to a replica that went away fails its health check here.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        _left_out[alias] = now + RETRY_SECONDS
        logger.warning(
            "The read replica %r cannot be reached; reading from the primary for %d seconds.",
            alias,
            RETRY_SECONDS,
        )
        return False
    return True


def replicas_for(request: HttpRequest) -> list[str]:
    """The replicas this request may read from, in the order to try them; none: the primary."""
    if request.method not in SAFE_METHODS:
        return []
    try:
        if float(request.COOKIES.get(COOKIE, "0")) > time.time():
            return []
    except ValueError:
        pass  # a cookie not of our making
    candidates = list(settings.DATABASE_REPLICAS)
    random.shuffle(candidates)
    return candidates


class ReplicaReadsMiddleware:
    """Decides where a request reads (see the module) and marks a person who wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reads_from(*replicas_for(request)) as reads:
            response = self.get_response(request)
        if reads.wrote or request.method not in SAFE_METHODS:
            seconds = settings.DATABASE_PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


# -- the deploy check (``manage.py check --deploy``) -----------------------------------------------

_IDENTITY_SQL = (
    "SELECT (SELECT system_identifier FROM pg_control_system()), current_database(), "
    "pg_is_in_recovery()"
)


def _identity(alias: str) -> tuple[int, str, bool]:
    """The cluster's system identifier (shared by a primary and its standbys), the database's
    name and whether the server is a standby."""
    with connections[alias].cursor() as cursor:
        cursor.execute(_IDENTITY_SQL)
        return cursor.fetchone()


def replica_problems() -> list[checks.CheckMessage]:
    """Each replica of ``DATABASE_REPLICA_URL`` answers, is a standby, and of the primary."""
    aliases = list(getattr(settings, "DATABASE_REPLICAS", []))
    if not aliases:
        return []
    try:
        primary = _identity(DEFAULT_DB_ALIAS)
    except DatabaseError as error:
        return [checks.Error(f"The primary database cannot be reached: {error}", id="kp.E101")]
    problems: list[checks.CheckMessage] = []
    for alias in aliases:
        where = f"The read replica {alias!r} of DATABASE_REPLICA_URL"
        try:
            system, name, standby = _identity(alias)
        except DatabaseError as error:
            problems.append(checks.Error(f"{where} cannot be reached: {error}", id="kp.E102"))
            continue
        if not standby:
            problems.append(
                checks.Error(
                    f"{where} is not a standby (pg_is_in_recovery() is false): it does not "
                    "follow the primary, so pages read from it would not show what is written.",
                    hint="Give the address of a streaming replica of DATABASE_URL's server.",
                    id="kp.E103",
                )
            )
        elif system != primary[0] or name != primary[1]:
            problems.append(
                checks.Error(
                    f"{where} is a standby of another server or another database ({name!r}) "
                    f"than DATABASE_URL's ({primary[1]!r}).",
                    hint="Give the address of a streaming replica of DATABASE_URL's server.",
                    id="kp.E104",
                )
            )
    return problems


@checks.register("database_replicas", deploy=True)
def check_replicas(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return replica_problems()
