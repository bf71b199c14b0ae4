"""Computing a town's funnel in the background (a worker at scale; in process by default)."""

from __future__ import annotations

from django_tasks import task

from koproduktion.core.models import Municipality

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
