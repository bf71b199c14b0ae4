"""Computing a town's funnel in the background (a worker at scale; in process by default)."""

from __future__ import annotations

from django_tasks import task

from koproduktion.core.models import Municipality

from .services import funnel_compute


@task()
def funnel_refresh(*, municipality_id: int) -> int:
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    return funnel_compute(municipality=municipality) if municipality else 0
