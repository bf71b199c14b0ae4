"""Work of the opinion map that no request waits for, whichever task backend is configured.

With a task worker (``TASKS_BACKEND=django_tasks_db.DatabaseBackend`` and ``manage.py
db_worker``, as ``make run`` and production have it) a task goes into the database's queue and
a worker process runs it. The in-process backend of django-tasks, the default without
``TASKS_BACKEND``, runs a task where it is enqueued: a vote's request would wait for the whole
computation of the map (seconds in a large conversation, work growing with its size). So when
the configured backend runs tasks in the caller, ``enqueue`` hands the task to one thread of
this process instead, which runs such tasks one after another, each when its time has come; the
request only hands it over.

``OPINION_MAP_TASKS_IN_PROCESS = "held"`` keeps the handed-over tasks until ``run_held()`` runs
them in the calling thread: how the tests say "now the worker runs" (their database transaction
cannot be shared with another thread). Production refuses to start without a worker queue
(``settings/production.py``), so neither happens there.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

logger = logging.getLogger(__name__)

THREAD = "thread"
HELD = "held"

_condition = threading.Condition()
_queue: list[tuple[float, int, Task, dict[str, Any]]] = []
_order = itertools.count()
_thread: threading.Thread | None = None
_held: list[tuple[Task, dict[str, Any]]] = []


def runs_in_caller(task: Task) -> bool:
    """Whether the configured backend would run ``task`` inside the code that enqueues it."""
    return isinstance(task.get_backend(), ImmediateBackend)


def enqueue(task: Task, *, run_after: datetime.datetime | None = None, **kwargs: Any) -> None:
    """Queue ``task(**kwargs)``, never to run in the calling request."""
    if not runs_in_caller(task):
        queued = task
        if run_after is not None and task.get_backend().supports_defer:
            queued = task.using(run_after=run_after)
        queued.enqueue(**kwargs)
        return
    if settings.OPINION_MAP_TASKS_IN_PROCESS == HELD:
        with _condition:
            _held.append((task, kwargs))
        return
    delay = 0.0 if run_after is None else (run_after - timezone.now()).total_seconds()
    with _condition:
        heapq.heappush(_queue, (time.monotonic() + max(delay, 0.0), next(_order), task, kwargs))
        _start()
        _condition.notify()


def _start() -> None:
    global _thread  # noqa: PLW0603 - one thread per process, started on first use
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(target=_work, name="opinion-map-background", daemon=True)
        _thread.start()


def _work() -> None:
    while True:
        with _condition:
            while not _queue:
                _condition.wait()
            due, _n, task, kwargs = _queue[0]
            wait = due - time.monotonic()
            if wait > 0:
                _condition.wait(timeout=wait)
                continue
            heapq.heappop(_queue)
        _run(task, kwargs)


def _run(task: Task, kwargs: dict[str, Any]) -> None:
    try:
        task.call(**kwargs)
    except Exception:
        logger.exception("background task %s failed", task.name)
    finally:
        # This thread's own connections; a request's are closed by Django as usual.
        connections.close_all()


def run_held() -> int:
    """Run the held tasks (and those they hand over in turn) here and now; how many ran."""
    ran = 0
    while True:
        with _condition:
            if not _held:
                return ran
            task, kwargs = _held.pop(0)
        task.call(**kwargs)
        ran += 1


def held() -> list[tuple[str, dict[str, Any]]]:
    """The held tasks by name, for tests to see what a request handed over."""
    with _condition:
        return [(task.name, dict(kwargs)) for task, kwargs in _held]


def discard_held() -> None:
    with _condition:
        _held.clear()
