"""The town's administration on the site: an overview of what its admins manage, the town's
settings, and its neighbourhoods, departments, topics and organisations (list, add, change,
delete). Every page asks ``townadmin.can_administer``; every write goes through the services,
whose refusals land next to the fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from koproduktion.core.forms import refusal_text, submitted
from koproduktion.core.models import Department, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.core.selectors import municipality_get

from . import services
from .forms import (
    DepartmentForm,
    ModelFieldsForm,
    NeighbourhoodForm,
    OrganisationForm,
    SettingsForm,
    TopicForm,
)
from .selectors import TownRecord, record_uses, town_overview, town_record_get

PER_PAGE = 50


@dataclass(frozen=True)
class Kind:
    """One kind of the town's records, as its pages and services handle it."""

    key: str  # URL names, the id in the path, the services' keyword
    model: type[TownRecord]
    form: type[ModelFieldsForm]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    title: Promise
    add: Promise
    intro: Promise
    # The list's columns after the name: (field, heading)
    columns: tuple[tuple[str, Promise], ...]
    related: tuple[str, ...] = ()


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            key="neighbourhood",
            model=Neighbourhood,
            form=NeighbourhoodForm,
            create=services.neighbourhood_create,
            update=services.neighbourhood_update,
            delete=services.neighbourhood_delete,
            title=gettext_lazy("Quartiere"),
            add=gettext_lazy("Quartier anlegen"),
            intro=gettext_lazy(
                "Die Teile der Kommune, nach denen Vorhaben, Ideen und Abstimmungen geordnet "
                "werden. Jedes Quartier hat eine öffentliche Seite."
            ),
            columns=(("description", gettext_lazy("Beschreibung")),),
        ),
        Kind(
            key="department",
            model=Department,
            form=DepartmentForm,
            create=services.department_create,
            update=services.department_update,
            delete=services.department_delete,
            title=gettext_lazy("Fachbereiche"),
            add=gettext_lazy("Fachbereich anlegen"),
            intro=gettext_lazy(
                "Die Fachbereiche und Ämter: Sie leiten Vorhaben, bekommen Ideen und Fragen in "
                "ihren Posteingang und antworten öffentlich. Wer in welchem Fachbereich "
                "arbeitet, legen Sie bei den Rollen fest."
            ),
            columns=(
                ("email", gettext_lazy("E-Mail")),
                ("phone", gettext_lazy("Telefon")),
            ),
        ),
        Kind(
            key="topic",
            model=Topic,
            form=TopicForm,
            create=services.topic_create,
            update=services.topic_update,
            delete=services.topic_delete,
            title=gettext_lazy("Themen"),
            add=gettext_lazy("Thema anlegen"),
            intro=gettext_lazy(
                "Themen ordnen Vorhaben und Ideen. Beiträge zu einem Thema gehen an seinen "
                "Fachbereich, wenn das Vorhaben ihn beteiligt."
            ),
            columns=(("department", gettext_lazy("zuständiger Fachbereich")),),
            related=("department",),
        ),
        Kind(
            key="organisation",
            model=Organisation,
            form=OrganisationForm,
            create=services.organisation_create,
            update=services.organisation_update,
            delete=services.organisation_delete,
            title=gettext_lazy("Organisationen"),
            add=gettext_lazy("Organisation anlegen"),
            intro=gettext_lazy(
                "Vereine, Initiativen, Religionsgemeinschaften und Unternehmen, die sich "
                "beteiligen. Wer eine Organisation vertritt, legen Sie bei den Rollen fest."
            ),
            columns=(
                ("kind", gettext_lazy("Art")),
                ("website", gettext_lazy("Website")),
            ),
        ),
    )
}


def _town(request: HttpRequest, slug: str) -> Municipality:
    """The town, if the person administers it: 404 where they may not see it, 403 where they
    may see it but not administer it."""
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("townadmin.can_administer", request.user, municipality):
        raise PermissionDenied
    return municipality


def _record(
    request: HttpRequest, kind: Kind, slug: str, ids: dict[str, int]
) -> tuple[Municipality, TownRecord]:
    """The town and its record named in the path (``<kind>_id``); another town's id is a 404."""
    municipality = _town(request, slug)
    pk = ids[f"{kind.key}_id"]
    return municipality, town_record_get(model=kind.model, municipality=municipality, pk=pk)


def _render(
    request: HttpRequest, template: str, municipality: Municipality, **context: Any
) -> HttpResponse:
    failed = any(getattr(value, "errors", None) for value in context.values())
    return render(
        request,
        f"townadmin/{template}",
        {"municipality": municipality, **context},
        status=400 if failed or context.get("refusal") else 200,
    )


@never_cache
@login_required
@require_GET
def overview_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Everything the town's admins manage, one link each."""
    municipality = _town(request, municipality_slug)
    return _render(
        request,
        "overview.html",
        municipality,
        counts=town_overview(municipality=municipality),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = _town(request, municipality_slug)
    form = SettingsForm(
        request.POST or None,
        initial=model_to_dict(municipality, fields=SettingsForm.names),
        municipality=municipality,
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("Sie haben nichts geändert."))
            return redirect("townadmin:settings", municipality.slug)
        if submitted(
            form,
            services.municipality_settings_set,
            actor=request.user,
            municipality=municipality,
            changes=changes,
        ):
            messages.success(request, _("Die Einstellungen der Kommune sind gespeichert."))
            return redirect("townadmin:settings", municipality.slug)
    return _render(request, "settings.html", municipality, form=form)


@never_cache
@login_required
@require_GET
def record_list_view(request: HttpRequest, municipality_slug: str, kind: str) -> HttpResponse:
    what = KINDS[kind]
    municipality = _town(request, municipality_slug)
    records = what.model._default_manager.filter(municipality=municipality).select_related(
        *what.related
    )
    page = Paginator(records.order_by("name", "pk"), PER_PAGE).get_page(request.GET.get("seite"))
    rows = [(record, _cells(what, record)) for record in page.object_list]
    return _render(request, "record_list.html", municipality, kind=what, page=page, rows=rows)


def _cells(kind: Kind, record: models.Model) -> list[tuple[Promise, str]]:
    cells = []
    for name, heading in kind.columns:
        field = record._meta.get_field(name)
        value = (
            getattr(record, f"get_{name}_display")()
            if getattr(field, "choices", None)
            else getattr(record, name)
        )
        cells.append((heading, str(value or "–")))
    return cells


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record_create_view(request: HttpRequest, municipality_slug: str, kind: str) -> HttpResponse:
    what = KINDS[kind]
    municipality = _town(request, municipality_slug)
    form = what.form(request.POST or None, municipality=municipality)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, what.create, actor=request.user, municipality=municipality, **form.cleaned_data
        )
    ):
        messages.success(
            request,
            _("„%(name)s“ ist angelegt.") % {"name": form.cleaned_data["name"].strip()},
        )
        return redirect(f"townadmin:{what.key}_list", municipality.slug)
    return _render(request, "record_form.html", municipality, kind=what, form=form, record=None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record_edit_view(
    request: HttpRequest, municipality_slug: str, kind: str, **ids: int
) -> HttpResponse:
    what = KINDS[kind]
    municipality, record = _record(request, what, municipality_slug, ids)
    form = what.form(
        request.POST or None,
        initial=model_to_dict(record, fields=what.form.names),
        municipality=municipality,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form, what.update, actor=request.user, **{what.key: record}, **form.cleaned_data
        )
    ):
        messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": record})
        return redirect(f"townadmin:{what.key}_list", municipality.slug)
    return _render(request, "record_form.html", municipality, kind=what, form=form, record=record)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record_delete_view(
    request: HttpRequest, municipality_slug: str, kind: str, **ids: int
) -> HttpResponse:
    """Asks before deleting; where the record is still used, says by what instead, and the
    service refuses it all the same if it is sent."""
    what = KINDS[kind]
    municipality, record = _record(request, what, municipality_slug, ids)
    refusal = ""
    if request.method == "POST":
        try:
            what.delete(actor=request.user, **{what.key: record})
        except ValidationError as refused:
            refusal = " ".join(refused.messages)
        except PermissionDenied as refused:
            refusal = refusal_text(refused)
        else:
            messages.success(request, _("„%(name)s“ ist gelöscht.") % {"name": record})
            return redirect(f"townadmin:{what.key}_list", municipality.slug)
    return _render(
        request,
        "record_delete.html",
        municipality,
        kind=what,
        record=record,
        uses=record_uses(record=record),
        refusal=refusal,
    )
