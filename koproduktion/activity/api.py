"""Beteiligung in Zahlen in the API: the public funnel of a town, a neighbourhood or a project.

The same figures as the public page and its CSV (``selectors``, ``public=True``): a count below
``SMALLEST`` is null, every other count rounded to a multiple of ``ROUND_TO``; staff's exact
counts are not in the API.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from koproduktion.api.filters import neighbourhood_or_400
from koproduktion.core.models import Municipality

from . import selectors
from .models import Scope, Stage
from .tasks import latest_run

router = Router(tags=["Beteiligung in Zahlen"])


class StageOut(Schema):
    stage: Stage
    label: str
    count: int | None = Field(
        description="Personen auf dieser Stufe, auf 5 gerundet; null bei weniger als 5."
    )
    share_of_previous: int | None = Field(
        description="Anteil der Stufe davor in Prozent; null für die erste Stufe oder wo eine "
        "der beiden Zahlen verborgen ist."
    )


class RowOut(Schema):
    month: datetime.date | None = Field(description="Erster Tag des Monats; null: insgesamt.")
    stages: list[StageOut]


class ReachOut(Schema):
    neighbourhood: str | None = Field(description="Kurzname des Quartiers; null: die Kommune.")
    name: str
    population: int | None = Field(description="Einwohner*innen, wie die Kommune sie angibt.")
    participants: int | None = Field(description="Beteiligte, gerundet; null bei weniger als 5.")
    per_thousand: float | None
    far_below: bool = Field(description="Erreicht weniger als die Hälfte der Quote der Kommune.")


class FunnelOut(Schema):
    scope: Scope
    neighbourhood: str | None
    project: str | None
    computed_at: datetime.datetime | None = Field(
        description="Wann die Zahlen berechnet wurden; null: noch nie."
    )
    smallest_shown: int
    rounded_to: int
    total: RowOut
    months: list[RowOut] = Field(description="Die letzten zwölf Monate, der älteste zuerst.")
    reach: list[ReachOut] = Field(
        description="Wen die Beteiligung erreicht, je Quartier (nur für die ganze Kommune)."
    )


class FunnelQuery(Schema):
    neighbourhood: str | None = Field(None, max_length=60, description="Kurzname eines Quartiers.")
    project: str | None = Field(None, max_length=100, description="Kurzname eines Vorhabens.")


def _row(row: selectors.FunnelRow) -> RowOut:
    return RowOut(
        month=row.month,
        stages=[
            StageOut(
                stage=figure.stage,
                label=str(figure.stage.label),
                count=figure.count.value,
                share_of_previous=figure.share,
            )
            for figure in row.stages
        ],
    )


def _reach(reach: selectors.Reach, municipality: Municipality) -> ReachOut:
    place = reach.neighbourhood
    return ReachOut(
        neighbourhood=place.slug if place else None,
        name=place.name if place else municipality.name,
        population=reach.population,
        participants=reach.participants.value,
        per_thousand=reach.per_thousand,
        far_below=reach.far_below,
    )


@router.get("/municipalities/{slug}/participation", response=FunnelOut)
def participation_funnel(request: HttpRequest, slug: str, filters: Query[FunnelQuery]) -> FunnelOut:
    """The PIMEV funnel: people who took part, came back or follow, were active in more than one
    month or project, committed to something, and took on responsibility; over all time and per
    month, for the town, one neighbourhood or one published project. Counts below 5 are null."""
    municipality = get_object_or_404(Municipality, slug=slug, is_public=True)
    if filters.neighbourhood and filters.project:
        raise HttpError(400, _("Bitte wählen Sie ein Quartier oder ein Vorhaben, nicht beides."))
    scope, scope_id, neighbourhood, project = Scope.TOWN, 0, None, None
    if filters.neighbourhood:
        neighbourhood = neighbourhood_or_400(municipality, filters.neighbourhood)
        scope, scope_id = Scope.NEIGHBOURHOOD, neighbourhood.pk
    elif filters.project:
        projects = selectors.scope_projects(municipality=municipality, public=True)
        project = next((each for each in projects if each.slug == filters.project), None)
        if project is None:
            raise HttpError(400, _("Dieses Vorhaben gibt es hier nicht."))
        scope, scope_id = Scope.PROJECT, project.pk
    run = latest_run(municipality)
    funnel = selectors.funnel_get(
        municipality=municipality, run=run, scope=scope, scope_id=scope_id, public=True
    )
    reach = (
        selectors.reach_list(municipality=municipality, public=True) if scope == Scope.TOWN else []
    )
    return FunnelOut(
        scope=scope,
        neighbourhood=neighbourhood.slug if neighbourhood else None,
        project=project.slug if project else None,
        computed_at=funnel.computed_at,
        smallest_shown=selectors.SMALLEST,
        rounded_to=selectors.ROUND_TO,
        total=_row(funnel.total),
        months=[_row(row) for row in funnel.months],
        reach=[_reach(each, municipality) for each in reach],
    )
