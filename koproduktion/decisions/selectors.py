"""Reads of the decision log."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from koproduktion.core.models import Municipality
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import visible_project_ids

from .models import Decision


def decision_list(
    *, municipality: Municipality, user: Any, project: Project | None = None
) -> QuerySet[Decision]:
    """The town's decision log as ``user`` may see it, newest first.

    Decisions about no project and about the projects ``user`` may see (drafts only for the
    town's staff); with ``project``, that project's decisions only. One query, whatever the size.
    """
    decisions = Decision.objects.filter(municipality=municipality)
    if project is not None:
        decisions = decisions.filter(project=project)
    else:
        decisions = decisions.filter(
            Q(project__isnull=True)
            | Q(project__in=visible_project_ids(municipality=municipality, user=user))
        )
    return decisions.select_related("project").order_by("-decided_on", "-pk")
