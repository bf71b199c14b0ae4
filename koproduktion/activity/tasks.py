"""Computing a town's funnel in the background (a worker at scale; in process by default)."""

from __future__ import annotations

from django_tasks import task

from koproduktion.core.models import Municipality

from . import selectors
from .models import FunnelRun
from .services import activities_rebuild, funnel_compute


@task()
def funnel_refresh(*, municipality_id: int) -> int:
    """Catch up on acts no save showed (a record changed by a queryset update, such as an
    accepted co-initiator), then compute the town's funnel."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None:
        return 0
    activities_rebuild(municipality=municipality)
    return funnel_compute(municipality=municipality)


def latest_run(municipality: Municipality) -> FunnelRun | None:
    """The figures' latest run; asks for a new one where acts wait and the figures are old (one
    request per town asks, ``selectors.refresh_claimed``)."""
    run = selectors.funnel_run(municipality=municipality)
    if selectors.funnel_is_stale(municipality=municipality, run=run) and selectors.refresh_claimed(
        municipality=municipality
    ):
        funnel_refresh.enqueue(municipality_id=municipality.pk)
        run = selectors.funnel_run(municipality=municipality)
    return run
