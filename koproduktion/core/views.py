from __future__ import annotations

import datetime

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .audit_display import action_label, changes, role_labels, target_type_label
from .forms import AuditFilterForm, PlacesImportForm, form_errors_from
from .gazetteer import MAX_BYTES
from .page_cache import cached_for_visitors
from .readability import analyse
from .redirects import next_url
from .request_limits import size_refusal
from .selectors import audit_log as audit_log_page
from .selectors import municipality_get, municipality_list, place_list, platform_content_version

# The longest text the readability check reads (an idea takes 5,000 characters).
MAX_CHECKED = 20_000


@cached_for_visitors(platform_content_version)
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"municipalities": municipality_list(user=request.user)}
    )


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for by themselves (for the API's JSON, a download):
    sent to the drawn icon under its collected name. Temporarily, since that name changes with
    the drawing; browsers keep the answer for a day."""
    response = redirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the chosen language in a cookie and go back to the page the person was on.

    A plain link rather than Django's POST form: choosing a language changes nothing but how
    the site speaks, and pages without a form token can be cached for every visitor.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = redirect(next_url(request, default="/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 as a page of the site, in the person's language.

    Django's own handler renders 400.html without the request, so the header would not know who
    is logged in. The exception's text is for the log, not for the page; a request refused for
    its size says so (413 when too large).
    """
    status, reason = size_refusal(exception) or (400, "")
    response = render(request, "400.html", {"reason": reason}, status=status)
    # Under /api/v1/ the page becomes JSON (``api.middleware``), with this reason as its detail.
    response.refusal_reason = reason
    return response


@require_GET
@login_required
def audit_log(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's administration log, newest first, filtered; ``?vor=<id>`` pages back."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("core.can_read_audit_log", request.user, municipality):
        raise PermissionDenied
    filter_form = AuditFilterForm(request.GET or None, municipality=municipality)
    filters = filter_form.valid_data() if request.GET else {}
    older_than = _entry_id(request.GET.get("vor"))
    since, until = filters.get("von"), filters.get("bis")
    entries, more = audit_log_page(
        municipality=municipality,
        older_than=older_than,
        actor_id=filters.get("person"),
        action=filters.get("aktion", ""),
        target_type=filters.get("objekt", ""),
        since=_start_of(since) if since else None,
        until=_start_of(until + datetime.timedelta(days=1)) if until else None,
    )
    return render(
        request,
        "core/audit_log.html",
        {
            "municipality": municipality,
            "filter_form": filter_form,
            "rows": [
                {
                    "entry": entry,
                    "action": action_label(entry.action),
                    "target_type": target_type_label(entry.target_type),
                    "roles": role_labels(entry.actor_roles),
                    "changes": changes(entry),
                }
                for entry in entries
            ],
            "older_than": entries[-1].pk if more else None,
            "paged": older_than is not None,
        },
    )


def _entry_id(value: str | None) -> int | None:
    """A page key from the address; anything but a plausible id starts at the newest entry."""
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@csrf_exempt  # reads a text and answers figures; changes nothing and keeps nothing
@login_required
@require_POST
def readability(request: HttpRequest) -> HttpResponse:
    """The readability figures of one form field's text, for htmx while staff type.

    The form names the field (``lesbarkeit_feld``) and the town's minimum, if any.
    """
    text = request.POST.get(request.POST.get("lesbarkeit_feld", ""), "")[:MAX_CHECKED]
    minimum = request.POST.get("minimum", "")
    return render(
        request,
        "_readability.html",
        {
            "report": analyse(text) if text.strip() else None,
            "minimum": int(minimum) if minimum.isdigit() and len(minimum) <= 3 else None,
        },
    )


PLACES_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
@login_required
def places(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's gazetteer (streets, squares, landmarks), and the CSV import that fills it."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("core.can_manage_places", request.user, municipality):
        raise PermissionDenied
    form = PlacesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = services.places_import(
                actor=request.user,
                municipality=municipality,
                data=form.cleaned_data["data"].read(MAX_BYTES + 1),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Eingelesen: %(created)d neue Orte, %(updated)d aktualisiert.")
                % {"created": imported.created, "updated": imported.updated},
            )
            return redirect("places", municipality.slug)
    page = Paginator(place_list(municipality=municipality), PLACES_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "core/places.html",
        {"municipality": municipality, "form": form, "page": page},
        status=400 if form.errors else 200,
    )
