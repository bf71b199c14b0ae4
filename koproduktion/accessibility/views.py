"""The accessibility statement, its editing page, the form that reports a barrier, and the page
that explains how the site is used with a keyboard and a screen reader."""

from __future__ import annotations

from urllib.parse import urlsplit

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koproduktion.core.forms import form_errors_from, submitted
from koproduktion.core.models import Municipality
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.selectors import municipality_get, municipality_list

from .forms import BarrierReportForm, StatementForm
from .selectors import latest_reports, statement_for
from .services import barrier_report_submit, statement_set


@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """The platform's page: each town's statement, and how to use the site."""
    return render(
        request,
        "accessibility/index.html",
        {"municipalities": municipality_list(user=request.user)},
    )


@require_GET
def help_view(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility/help.html")


@require_GET
def statement_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    statement, customised = statement_for(municipality=municipality)
    return render(
        request,
        "accessibility/statement.html",
        {
            "municipality": municipality,
            "statement": statement,
            "customised": customised,
            "can_edit": rules.test_rule("accessibility.can_edit", request.user, municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def statement_edit_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's admins write the statement; below it, the latest reports of barriers."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("accessibility.can_edit", request.user, municipality):
        raise PermissionDenied
    statement, customised = statement_for(municipality=municipality)
    initial = {
        name: getattr(statement, name) for name in StatementForm.base_fields if name != "website"
    }
    form = StatementForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, statement_set, actor=request.user, municipality=municipality, **form.cleaned_data
        )
    ):
        messages.success(request, _("Die Erklärung zur Barrierefreiheit ist veröffentlicht."))
        return redirect("accessibility:statement", municipality.slug)
    return render(
        request,
        "accessibility/statement_edit.html",
        {
            "municipality": municipality,
            "form": form,
            "customised": customised,
            "reports": latest_reports(municipality=municipality),
        },
        status=400 if form.is_bound else 200,
    )


def _page_came_from(request: HttpRequest) -> str:
    """The page of this site the person came from (the footer's link), as a path."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    return (parts.path + (f"?{parts.query}" if parts.query else ""))[:300]


@require_http_methods(["GET", "POST"])
def report_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Report a barrier: kept and mailed to the town; over the limit the form stays filled in."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = BarrierReportForm(request.POST or None, initial={"page": _page_came_from(request)})
    if request.method == "POST" and form.is_valid():
        try:
            barrier_report_submit(
                municipality=municipality,
                language=request.LANGUAGE_CODE,
                user=request.user if request.user.is_authenticated else None,
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except RateLimited as limited:
            form.add_error(None, limited.message)
            response = _report_page(request, municipality, form, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return redirect("accessibility:report_sent", municipality.slug)
    return _report_page(request, municipality, form, status=400 if form.is_bound else 200)


def _report_page(
    request: HttpRequest, municipality: Municipality, form: BarrierReportForm, *, status: int
) -> HttpResponse:
    return render(
        request,
        "accessibility/report_form.html",
        {"municipality": municipality, "form": form},
        status=status,
    )


@require_GET
def report_sent_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    statement, _customised = statement_for(municipality=municipality)
    return render(
        request,
        "accessibility/report_sent.html",
        {"municipality": municipality, "statement": statement},
    )
