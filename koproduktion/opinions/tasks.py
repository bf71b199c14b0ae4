"""Background recomputation of opinion maps through Django's tasks interface.

Votes mark a map with ``update_requested_at`` and queue one task (see
``services.opinion_map_request_update``). The task clears the mark before it reads the votes, so
votes cast while it computes queue the next run. With a backend that can defer (the database
queue of ``make run``), a run waits until ``MIN_INTERVAL`` after the previous computation, so a
busy conversation is recomputed at most every few seconds, never once per vote.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MIN_INTERVAL = datetime.timedelta(seconds=10)


@task()
def compute_opinion_map(*, project_id: int) -> None:
    from .computation import opinion_map_compute  # noqa: PLC0415 - keep numpy out of web imports
    from .models import OpinionMap  # noqa: PLC0415

    OpinionMap.objects.filter(project_id=project_id).update(update_requested_at=None)
    opinion_map = OpinionMap.objects.filter(project_id=project_id).first()
    if opinion_map is None:  # the project was deleted meanwhile
        return
    opinion_map_compute(opinion_map=opinion_map)
    logger.info("opinion map of project %s recomputed", project_id)


def enqueue_computation(*, project_id: int) -> None:
    """Queue a computation, deferred to respect ``MIN_INTERVAL`` where the backend can."""
    from .models import OpinionMap  # noqa: PLC0415

    queued = compute_opinion_map
    if queued.get_backend().supports_defer:
        last = (
            OpinionMap.objects.filter(project_id=project_id)
            .values_list("computed_at", flat=True)
            .first()
        )
        if last is not None and last + MIN_INTERVAL > timezone.now():
            queued = queued.using(run_after=last + MIN_INTERVAL)
    queued.enqueue(project_id=project_id)
