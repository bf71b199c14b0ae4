"""The library of good practice: the town's list with other towns' examples, one example;
staff write, change and take examples offline."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from koproduktion.core.forms import submitted
from koproduktion.core.selectors import municipality_get

from . import services
from .forms import LibraryFilterForm, PracticeExampleForm
from .models import PracticeExample
from .selectors import example_get, library, tags_in_use

PAGE_SIZE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_safe
def library_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The town's examples first, then those of the other public towns; by tag and origin."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = LibraryFilterForm(
        request.GET or None,
        municipality=municipality,
        tags=tags_in_use(municipality=municipality, user=request.user),
    )
    data = form.valid_data()
    only_here = data.get("herkunft") == LibraryFilterForm.HERE
    examples = library(
        municipality=municipality,
        user=request.user,
        tag=data.get("schlagwort"),
        only_here=only_here,
    )
    page = Paginator(examples, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "practice/library.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "page": page,
            "only_here": only_here,
            "can_manage": rules.test_rule("practice.can_manage", request.user, municipality),
        },
    )


@require_safe
def detail_view(request: HttpRequest, municipality_slug: str, example_id: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    example = example_get(municipality=municipality, user=request.user, pk=example_id)
    example.municipality = municipality
    return render(
        request,
        "practice/detail.html",
        {
            "municipality": municipality,
            "example": example,
            "tags": list(example.tags.all()),
            "can_manage": rules.test_rule("practice.can_manage", request.user, municipality),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def form_view(
    request: HttpRequest, municipality_slug: str, example_id: int | None = None
) -> HttpResponse:
    """Write a new example or, with ``example_id``, change one."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("practice.can_manage", request.user, municipality))
    example: PracticeExample | None = None
    if example_id is not None:
        example = example_get(municipality=municipality, user=request.user, pk=example_id)
    form = PracticeExampleForm(request.POST or None, instance=example, municipality=municipality)
    saved: list[PracticeExample] = []

    def save(**values: object) -> None:
        if example is None:
            saved.append(
                services.practice_example_create(
                    actor=request.user, municipality=municipality, **values
                )
            )
        else:
            saved.append(
                services.practice_example_update(actor=request.user, example=example, **values)
            )

    if request.method == "POST" and form.is_valid() and submitted(form, save, **form.values()):
        messages.success(request, _("Das Praxisbeispiel ist gespeichert."))
        saved[0].municipality = municipality
        return redirect(services.practice_example_url(saved[0]))
    return render(
        request,
        "practice/form.html",
        {"municipality": municipality, "example": example, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def unpublish_view(request: HttpRequest, municipality_slug: str, example_id: int) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("practice.can_manage", request.user, municipality))
    example = example_get(municipality=municipality, user=request.user, pk=example_id)
    services.practice_example_unpublish(actor=request.user, example=example)
    messages.success(request, _("Das Beispiel ist offline. Nur die Verwaltung sieht es noch."))
    example.municipality = municipality
    return redirect(services.practice_example_url(example))
