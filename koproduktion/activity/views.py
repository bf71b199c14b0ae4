"""Beteiligung in Zahlen: the PIMEV funnel for the public (small counts hidden) and for staff."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from koproduktion.core.csv_export import csv_response
from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.models import Project

from . import charts, selectors
from .models import FunnelRun, Scope, Stage
from .tasks import latest_run

# How long a rendered public page part is kept; its key holds the figures' run, so a new
# computation shows at once.
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Filter:
    """The scope asked for: the town, a neighbourhood or a project; ``unknown`` when the
    address named one the town does not have (the town's figures are shown then)."""

    neighbourhood: Neighbourhood | None = None
    project: Project | None = None
    unknown: bool = False

    @property
    def scope(self) -> tuple[Scope, int]:
        if self.neighbourhood:
            return Scope.NEIGHBOURHOOD, self.neighbourhood.pk
        if self.project:
            return Scope.PROJECT, self.project.pk
        return Scope.TOWN, 0

    @property
    def query(self) -> str:
        if self.neighbourhood:
            return f"?quartier={self.neighbourhood.slug}"
        if self.project:
            return f"?vorhaben={self.project.slug}"
        return ""


def _filter(
    request: HttpRequest, neighbourhoods: list[Neighbourhood], projects: list[Project]
) -> Filter:
    wanted_neighbourhood = request.GET.get("quartier", "")
    wanted_project = request.GET.get("vorhaben", "")
    if wanted_neighbourhood:
        found = next((n for n in neighbourhoods if n.slug == wanted_neighbourhood), None)
        return Filter(neighbourhood=found, unknown=found is None)
    if wanted_project:
        found_project = next((p for p in projects if p.slug == wanted_project), None)
        return Filter(project=found_project, unknown=found_project is None)
    return Filter()


def _content(
    request: HttpRequest, municipality: Municipality, run: FunnelRun | None, *, public: bool
) -> tuple[str, Filter]:
    neighbourhoods = list(Neighbourhood.objects.filter(municipality=municipality))
    projects = selectors.scope_projects(municipality=municipality, public=public)
    chosen = _filter(request, neighbourhoods, projects)
    scope, scope_id = chosen.scope
    funnel = selectors.funnel_get(
        municipality=municipality, run=run, scope=scope, scope_id=scope_id, public=public
    )
    context: dict[str, Any] = {
        "municipality": municipality,
        "public": public,
        "chosen": chosen,
        "neighbourhoods": neighbourhoods,
        "projects": projects,
        "funnel": funnel,
        "table_rows": [funnel.total, *funnel.months],
        "stages": list(Stage),
        "funnel_chart": charts.funnel_bars(funnel.total),
        "month_chart": charts.month_columns(funnel.months),
        "smallest": selectors.SMALLEST,
        "round_to": selectors.ROUND_TO,
        "csv_url": _csv_url(municipality, public=public) + chosen.query,
    }
    if scope == Scope.TOWN:
        context["reach"] = selectors.reach_list(
            municipality=municipality, public=public, neighbourhoods=neighbourhoods
        )
    return render_to_string("activity/_figures.html", context, request=request), chosen


def _csv_url(municipality: Municipality, *, public: bool) -> str:
    name = "activity:public_csv" if public else "activity_staff:staff_csv"
    return reverse(name, args=[municipality.slug])


def _cache_key(municipality: Municipality, run: FunnelRun | None, request: HttpRequest) -> str:
    version = selectors.figures_version(municipality=municipality, run=run)
    text = "|".join([version, get_language(), request.GET.urlencode()])
    return "activity:page:" + hashlib.sha256(text.encode()).hexdigest()


@require_GET
def public_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The funnel for everyone: counts below five hidden, the others rounded to five."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    run = latest_run(municipality)
    key = _cache_key(municipality, run, request)
    content = cache.get(key)
    if content is None:
        content, chosen = _content(request, municipality, run, public=True)
        # Only the addresses the page links to are kept, not made-up filters.
        if not chosen.unknown and set(request.GET) <= {"quartier", "vorhaben"}:
            cache.set(key, content, CACHE_SECONDS)
    return render(
        request,
        "activity/public.html",
        {"municipality": municipality, "content": mark_safe(content)},  # noqa: S308 - our template
    )


def _staff_town(request: HttpRequest, slug: str) -> Municipality:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("activity.can_view_full", request.user, municipality):
        raise PermissionDenied
    return municipality


@never_cache
@login_required
@require_GET
def staff_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The funnel in full for the town's admins and coordination."""
    municipality = _staff_town(request, municipality_slug)
    content, _chosen = _content(request, municipality, latest_run(municipality), public=False)
    return render(
        request,
        "activity/staff.html",
        {"municipality": municipality, "content": mark_safe(content)},  # noqa: S308 - our template
    )


def _csv(request: HttpRequest, municipality: Municipality, *, public: bool) -> HttpResponse:
    run = selectors.funnel_run(municipality=municipality)
    neighbourhoods = list(Neighbourhood.objects.filter(municipality=municipality))
    projects = selectors.scope_projects(municipality=municipality, public=public)
    chosen = _filter(request, neighbourhoods, projects)
    scope, scope_id = chosen.scope
    funnel = selectors.funnel_get(
        municipality=municipality, run=run, scope=scope, scope_id=scope_id, public=public
    )
    hidden = _("weniger als %(count)s") % {"count": selectors.SMALLEST}

    def count(value: int | None) -> object:
        return hidden if value is None else value

    def percent(value: int | None) -> object:
        return "" if value is None else value

    header: list[object] = [_("Zeitraum")]
    for stage in Stage:
        header += [
            stage.label,
            _("%(stage)s: Anteil der Stufe davor (%%)") % {"stage": stage.label},
        ]
    rows: list[list[object]] = [header]
    for row in [funnel.total, *funnel.months]:
        line: list[object] = [
            _("insgesamt") if row.month is None else date_format(row.month, "Y-m")
        ]
        for figure in row.stages:
            line += [count(figure.count.value), percent(figure.share)]
        rows.append(line)
    if scope == Scope.TOWN:
        rows += [[], [_("Quartier"), _("Einwohner*innen"), _("Beteiligte"), _("je 1.000")]]
        for reach in selectors.reach_list(
            municipality=municipality, public=public, neighbourhoods=neighbourhoods
        ):
            rows.append(
                [
                    reach.neighbourhood.name if reach.neighbourhood else municipality.name,
                    reach.population or "",
                    count(reach.participants.value),
                    "" if reach.per_thousand is None else reach.per_thousand,
                ]
            )
    name = chosen.neighbourhood.slug if chosen.neighbourhood else ""
    name = chosen.project.slug if chosen.project else name
    suffix = f"-{name}" if name else ""
    return csv_response(rows, filename=f"beteiligung-{municipality.slug}{suffix}.csv")


@require_GET
def public_csv_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return _csv(request, municipality, public=True)


@never_cache
@login_required
@require_GET
def staff_csv_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _staff_town(request, municipality_slug)
    return _csv(request, municipality, public=False)
