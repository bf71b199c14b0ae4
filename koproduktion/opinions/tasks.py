"""Background work of opinion maps through Django's tasks interface: computations and imports.

Votes mark a map's inputs with ``update_requested_at`` and queue one computation (see
``services._inputs_changed``). The task clears the mark before it reads the votes,
so votes cast while it computes queue the next run. A run starts no earlier than
``MIN_INTERVAL`` after the start of the previous one, also while that one still runs (where
the backend can defer, and in the in-process thread of ``background``), so a busy conversation
is recomputed every few seconds, never once per vote, and the picture is never much older than
the latest vote: at most the interval plus one computation plus the worker's polling.

Nothing here runs inside a request: ``background.enqueue`` sees to it.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from . import background

logger = logging.getLogger(__name__)

# With a computation of a few seconds for 50,000 × 1,000, the results stay within about
# 5 + 5 + 1 s of the newest vote (the goal is 15 s; bench/opinion_map_live.py), and the worker
# spends at most about half its time on one busy map.
MIN_INTERVAL = datetime.timedelta(seconds=5)


@task()
def compute_opinion_map(*, project_id: int) -> None:
    from koproduktion.projects.models import Project  # noqa: PLC0415

    from .computation import opinion_map_compute  # noqa: PLC0415 - keep numpy out of web imports
    from .models import OpinionMap, OpinionMapInputs  # noqa: PLC0415
    from .presentation import results_share  # noqa: PLC0415

    opinion_map = OpinionMap.objects.filter(project_id=project_id).defer("result", "state").first()
    if opinion_map is None:  # the project was deleted meanwhile
        return
    started = timezone.now()
    OpinionMapInputs.objects.update_or_create(
        opinion_map=opinion_map,
        defaults={"update_requested_at": None, "computation_started_at": started},
        create_defaults={
            "municipality_id": opinion_map.municipality_id,
            "computation_started_at": started,
        },
    )
    opinion_map = opinion_map_compute(opinion_map=opinion_map)
    logger.info("opinion map of project %s recomputed", project_id)
    # The results page's view, built here (on the worker's time) for the app processes. The
    # project's version as the page reads it: moderation raises it (views.results_page).
    version = (
        Project.objects.filter(pk=project_id).values_list("content_version", "updated_at").first()
    )
    if version is not None:
        results_share(opinion_map=opinion_map, version=version)


def enqueue_computation(*, project_id: int) -> None:
    """Queue a computation, to start ``MIN_INTERVAL`` after the previous one started.

    The previous one is the one started last, which may still run: a vote during a computation
    queues the next one, and counted from the start of the one before, that next one would
    start as soon as the worker is free, one computation after the other (under live votes the
    worker took half a core so). A stored result without a recorded start counts from when it
    read its votes.
    """
    from .models import OpinionMap  # noqa: PLC0415

    row = (
        OpinionMap.objects.filter(project_id=project_id)
        .values_list("inputs__computation_started_at", "computed_at")
        .first()
    )
    last = None if row is None else max((t for t in row if t is not None), default=None)
    run_after = None
    if last is not None and last + MIN_INTERVAL > timezone.now():
        run_after = last + MIN_INTERVAL
    background.enqueue(compute_opinion_map, run_after=run_after, project_id=project_id)


@task()
def run_polis_import(*, import_id: int) -> None:
    from .importer import polis_import_run  # noqa: PLC0415 - keep numpy out of web imports

    polis_import_run(import_id=import_id)


def enqueue_import(*, import_id: int) -> None:
    background.enqueue(run_polis_import, import_id=import_id)
