"""Public response times: how fast the administration answers, per department and by month."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koproduktion.core.csv_export import csv_response
from koproduktion.core.models import Municipality
from koproduktion.core.selectors import department_list, municipality_get

from .. import charts, statistics
from ..versions import cache_key


def _chart_department(request: HttpRequest, municipality: Municipality) -> Any:
    """The department of the chart by month (``?fachbereich=<id>``), or None for the town."""
    wanted = request.GET.get("fachbereich", "")
    if not wanted:
        return None
    department = (
        department_list(municipality=municipality).filter(pk=int(wanted)).first()
        if wanted.isdigit() and len(wanted) < 10
        else None
    )
    if department is None:
        raise Http404
    return department


@require_GET
def response_times_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """How fast the administration answers: per department and by month, as charts and tables."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    department = _chart_department(request, municipality)
    # The same for everyone: rendered once while the figures are cached.
    key = cache_key(
        "times",
        municipality.pk,
        municipality.content_version,
        municipality.answer_within_days,
        department.pk if department else None,
    )
    content = cache.get(key)
    if content is None:
        by_department = statistics.by_department(municipality=municipality)
        by_month = statistics.by_month(municipality=municipality, department=department)
        content = render_to_string(
            "routing/_response_times_content.html",
            {
                "municipality": municipality,
                "department": department,
                "by_department": by_department,
                "department_chart": charts.share_bars(by_department),
                "by_month": by_month,
                "month_chart": charts.median_columns(
                    by_month, promised_days=municipality.answer_within_days
                ),
                "window_start": statistics.window_start(timezone.now()),
            },
        )
        cache.set(key, content, statistics.CACHE_SECONDS)
    return render(
        request,
        "routing/response_times.html",
        {"municipality": municipality, "content": mark_safe(content)},  # noqa: S308 - our template
    )


@require_GET
def response_times_csv_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The figures of both charts as CSV, one row per department or month."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    department = _chart_department(request, municipality)
    rows: list[list[object]] = [
        [
            _("Bereich"),
            _("Fachbereich oder Monat"),
            _("gezählte Beiträge"),
            _("beantwortet"),
            _("rechtzeitig beantwortet"),
            _("Anteil rechtzeitig (%)"),
            _("Median Tage bis zur Antwort"),
        ]
    ]
    sections = [
        (_("Fachbereich"), statistics.by_department(municipality=municipality)),
        (
            _("Monat") + (f" ({department.name})" if department else ""),
            statistics.by_month(municipality=municipality, department=department),
        ),
    ]
    for section, figures in sections:
        rows += [
            [
                section,
                row.label,
                row.counted,
                row.answered,
                row.in_time,
                "" if row.percent_in_time is None else row.percent_in_time,
                "" if row.median_days is None else f"{row.median_days:.1f}",
            ]
            for row in figures
        ]
    return csv_response(rows, filename=f"antwortzeiten-{municipality.slug}.csv")
