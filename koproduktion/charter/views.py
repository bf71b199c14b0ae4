"""The participation charter: in public with its figures, and edited by the town's admins."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koproduktion.core.forms import form_errors_from
from koproduktion.core.models import Municipality
from koproduktion.core.selectors import municipality_get
from koproduktion.routing import charts, statistics
from koproduktion.routing.versions import cache_key

from .forms import PromiseForm
from .measures import measure_charter, promise_sentence
from .models import CharterPromise, PromiseKind
from .selectors import charter_promises
from .services import charter_promise_remove, charter_promise_set

# What a promise's number starts as, before the town sets one.
SUGGESTED = {PromiseKind.LISTED: 4, PromiseKind.FEEDBACK: 14}


@require_GET
def charter_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's promises, each with how well it was kept over the last twelve months and the
    cases in which it was not."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    promises = charter_promises(municipality=municipality)
    # The same for everyone, and about a year: rendered once per ten minutes (as the response
    # times, whose figures it reads), and afresh when a promise or the town's pages change.
    # Not per state of the town's contributions: in a busy town they change all day.
    key = cache_key(
        "charter",
        municipality.pk,
        municipality.content_version,
        municipality.answer_within_days,
        [(p.kind, p.number, p.updated_at.isoformat()) for p in promises],
    )
    content = cache.get(key)
    if content is None:
        measures = measure_charter(municipality=municipality, promises=promises)
        content = render_to_string(
            "charter/_charter_content.html",
            {
                "municipality": municipality,
                "measures": measures,
                "chart": charts.share_bars(measures),
                "window_start": statistics.window_start(timezone.now()),
            },
        )
        cache.set(key, content, statistics.CACHE_SECONDS)
    return render(
        request,
        "charter/charter.html",
        {
            "municipality": municipality,
            "content": mark_safe(content),  # noqa: S308 - our template
            "can_edit": rules.test_rule("charter.can_edit", request.user, municipality),
        },
    )


def _forms(
    municipality: Municipality,
    promises: dict[str, CharterPromise],
    bound: PromiseForm | None = None,
) -> list[tuple[PromiseForm, str]]:
    """One form per kind of promise, with the sentence it stands for."""
    forms = []
    for kind in PromiseKind:
        if bound is not None and bound.kind == kind:
            form = bound
        else:
            promise = promises.get(kind)
            number = (
                municipality.answer_within_days
                if kind == PromiseKind.ANSWER
                else promise.number
                if promise
                else SUGGESTED.get(kind)
            )
            form = PromiseForm(
                kind=kind,
                initial={
                    "given": promise is not None,
                    "number": number,
                    "note": promise.note if promise else "",
                },
            )
        forms.append((form, _sentence_pattern(kind)))
    return forms


def _sentence_pattern(kind: PromiseKind) -> str:
    """The promise with "N" for its number, as the form explains it."""
    return promise_sentence(kind, None, placeholder="N")


@require_http_methods(["GET", "POST"])
@login_required
def charter_edit_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's admins give, change and take back promises, one form per promise."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    if not rules.test_rule("charter.can_edit", request.user, municipality):
        raise PermissionDenied
    promises = {p.kind: p for p in charter_promises(municipality=municipality)}
    bound = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in PromiseKind.values:
            messages.error(request, _("Dieses Versprechen gibt es nicht."))
            return _edit_page(request, municipality, promises, None, status=400)
        bound = PromiseForm(request.POST, kind=PromiseKind(kind))
        if bound.is_valid() and _save(request, municipality, promises, bound):
            url = reverse("charter:edit", args=[municipality.slug])
            return redirect(f"{url}#{kind}")
    return _edit_page(
        request, municipality, promises, bound, status=400 if bound is not None else 200
    )


def _save(
    request: HttpRequest,
    municipality: Municipality,
    promises: dict[str, CharterPromise],
    form: PromiseForm,
) -> bool:
    """Give, change or take back the promise of ``form``; False when the service refused."""
    data, kind = form.cleaned_data, form.kind
    try:
        if data["given"]:
            charter_promise_set(
                actor=request.user,
                municipality=municipality,
                kind=kind,
                number=data.get("number"),
                note=data["note"],
            )
            messages.success(request, _("Das Versprechen ist veröffentlicht."))
        elif kind in promises:
            charter_promise_remove(actor=request.user, promise=promises[kind])
            messages.success(request, _("Das Versprechen ist zurückgenommen."))
        else:
            messages.info(request, _("Dieses Versprechen geben Sie nicht; nichts geändert."))
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    return True


def _edit_page(
    request: HttpRequest,
    municipality: Municipality,
    promises: dict[str, CharterPromise],
    bound: PromiseForm | None,
    *,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "charter/charter_edit.html",
        {
            "municipality": municipality,
            "forms": _forms(municipality, promises, bound),
        },
        status=status,
    )
