"""The town's support catalogue: list with filters, an offer's page, CSV; staff set up, change
and archive offers; the people who run a project or an initiative link offers to it."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from koproduktion.core.csv_export import csv_response
from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.selectors import municipality_get
from koproduktion.initiatives.selectors import initiative_get
from koproduktion.projects.selectors import project_get

from . import services
from .forms import LinkForm, SupportFilterForm, SupportOfferForm
from .models import BuildingBlock, OfferState, SupportOffer
from .selectors import (
    SupportFilters,
    link_get,
    link_targets,
    linkable_offers,
    links_of_initiative,
    links_of_offer,
    links_of_project,
    managed_offers,
    offer_get,
    offer_list,
    with_places,
)
from .templatetags.support import amount, deadline_words

PAGE_SIZE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _filtered(request: HttpRequest, municipality: Any) -> tuple[SupportFilterForm, Any]:
    form = SupportFilterForm(request.GET or None, municipality=municipality)
    data = form.valid_data()
    block = data.get("baustein")
    offers = offer_list(
        municipality=municipality,
        filters=SupportFilters(
            building_block=BuildingBlock(block) if block else None,
            neighbourhood=data.get("quartier"),
            topic=data.get("thema"),
            open_only=bool(data.get("offen")),
        ),
    )
    return form, offers


@require_safe
def offer_list_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The catalogue: open deadlines first, nearest on top; filters by building block,
    neighbourhood, topic and open deadlines."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form, offers = _filtered(request, municipality)
    page = Paginator(with_places(offers), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "support/offer_list.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "page": page,
            "blocks": BuildingBlock,
            "is_filtered": any(request.GET.get(name) for name in form.fields),
            "can_create": rules.test_rule("support.can_create", request.user, municipality),
        },
    )


@require_safe
def offer_csv_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The catalogue as the list shows it (same filters), for a spreadsheet."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _form, offers = _filtered(request, municipality)
    rows: list[list[Any]] = [
        [
            _("Titel"),
            _("Baustein"),
            _("Kurz gesagt"),
            _("Anbieter"),
            _("Zielgruppe"),
            _("Wer kann es bekommen?"),
            _("Fördersumme"),
            _("Frist"),
            _("Quartiere"),
            _("Themen"),
            _("Ansprechperson"),
            _("E-Mail"),
            _("Telefon"),
            _("Webseite"),
            _("Adresse"),
        ]
    ]
    for offer in with_places(offers)[:5000]:
        rows.append(
            [
                offer.title,
                offer.get_building_block_display(),
                offer.summary,
                offer.provider,
                offer.target_group,
                offer.eligibility,
                amount(offer),
                offer.deadline.isoformat() if offer.deadline else _("laufend"),
                ", ".join(n.name for n in offer.neighbourhoods.all()) or _("ganze Kommune"),
                ", ".join(t.name for t in offer.topics.all()),
                offer.contact_name,
                offer.contact_email,
                offer.contact_phone,
                offer.contact_url,
                request.build_absolute_uri(services.support_offer_url(offer)),
            ]
        )
    return csv_response(rows, filename=f"unterstuetzung-{municipality.slug}.csv")


def _offer(request: HttpRequest, municipality_slug: str, support_offer_id: int) -> SupportOffer:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return offer_get(municipality=municipality, user=request.user, pk=support_offer_id)


@require_safe
def offer_detail_view(
    request: HttpRequest, municipality_slug: str, support_offer_id: int
) -> HttpResponse:
    offer = _offer(request, municipality_slug, support_offer_id)
    can_link = offer.state == OfferState.PUBLISHED and not offer.is_expired
    return render(
        request,
        "support/offer_detail.html",
        {
            "municipality": offer.municipality,
            "offer": offer,
            "deadline_text": deadline_words(offer),
            "neighbourhoods": list(offer.neighbourhoods.all()),
            "topics": list(offer.topics.all()),
            "links": list(links_of_offer(offer=offer)),
            "targets": link_targets(offer=offer, user=request.user) if can_link else None,
            "can_manage": rules.test_rule("support.can_manage", request.user, offer),
        },
    )


@login_required
@require_safe
def manage_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The offers a person keeps, drafts and archived ones too: where staff start."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("support.can_create", request.user, municipality))
    offers = managed_offers(municipality=municipality, user=request.user)
    return render(
        request,
        "support/manage.html",
        {
            "municipality": municipality,
            "page": Paginator(offers, 50).get_page(request.GET.get("seite")),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def offer_form_view(
    request: HttpRequest, municipality_slug: str, support_offer_id: int | None = None
) -> HttpResponse:
    """Set up an offer or, with ``support_offer_id``, change one."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("support.can_create", request.user, municipality))
    offer = None
    if support_offer_id is not None:
        offer = offer_get(municipality=municipality, user=request.user, pk=support_offer_id)
        _require(rules.test_rule("support.can_manage", request.user, offer))
    form = SupportOfferForm(
        request.POST or None, instance=offer, municipality=municipality, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        places = {
            "neighbourhoods": form.cleaned_data["neighbourhoods"],
            "topics": form.cleaned_data["topics"],
        }
        try:
            if offer is None:
                saved = services.support_offer_create(
                    actor=request.user, municipality=municipality, **places, **form.values()
                )
            else:
                saved = services.support_offer_update(
                    actor=request.user, offer=offer, **places, **form.values()
                )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            form.add_error(None, refusal_text(refused))
        else:
            saved.municipality = municipality
            messages.success(request, _("Das Angebot ist gespeichert."))
            return redirect(services.support_offer_url(saved))
    return render(
        request,
        "support/offer_form.html",
        {"municipality": municipality, "offer": offer, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def archive_view(
    request: HttpRequest, municipality_slug: str, support_offer_id: int
) -> HttpResponse:
    offer = _offer(request, municipality_slug, support_offer_id)
    _require(rules.test_rule("support.can_manage", request.user, offer))
    archived = request.POST.get("zurueck") != "1"
    try:
        services.support_offer_archive(actor=request.user, offer=offer, archived=archived)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Das Angebot ist archiviert; es steht nicht mehr im Katalog.")
            if archived
            else _("Das Angebot steht wieder im Katalog."),
        )
    return redirect(services.support_offer_url(offer))


# --- Linking offers to projects and initiatives ----------------------------------------------


def _project(request: HttpRequest, municipality_slug: str, project_slug: str) -> Any:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    project = project_get(
        municipality=municipality, slug=project_slug, user=request.user, related=False
    )
    project.municipality = municipality
    _require(rules.test_rule("support.can_link_project", request.user, project))
    return project


def _initiative(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> Any:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    initiative = initiative_get(municipality=municipality, user=request.user, slug=initiative_slug)
    _require(rules.test_rule("support.can_link_initiative", request.user, initiative))
    return initiative


def _link_page(
    request: HttpRequest, *, target: Any, kind: str, links: list, back: str
) -> HttpResponse:
    """The form "Passendes Angebot verknüpfen" and the offers linked so far, with unlinking."""
    municipality = target.municipality
    offers = linkable_offers(municipality=municipality)
    initial = {}
    wanted = request.GET.get("angebot", "")
    if wanted.isdigit() and len(wanted) < 19:
        initial["offer"] = offers.filter(pk=int(wanted)).first()
    form = LinkForm(request.POST or None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_link_create(
                actor=request.user,
                offer=form.cleaned_data["offer"],
                note=form.cleaned_data["note"],
                **{kind: target},
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDenied as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(
                request,
                _("„%(offer)s“ ist verknüpft und steht jetzt auf der Seite.")
                % {"offer": form.cleaned_data["offer"].title},
            )
            return redirect(back + "#unterstuetzung")
    return render(
        request,
        "support/link_form.html",
        {
            "municipality": municipality,
            "target": target,
            "kind": kind,
            "links": links,
            "form": form,
            "back": back,
            "catalogue": reverse("support:list", args=[municipality.slug]),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def link_project_view(
    request: HttpRequest, municipality_slug: str, project_slug: str
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    return _link_page(
        request,
        target=project,
        kind="project",
        links=links_of_project(project=project),
        back=reverse("projects:detail", args=[project.municipality.slug, project.slug]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def link_initiative_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    return _link_page(
        request,
        target=initiative,
        kind="initiative",
        links=links_of_initiative(initiative=initiative),
        back=reverse("initiatives:detail", args=[initiative.municipality.slug, initiative.slug]),
    )


def _unlink(request: HttpRequest, link: Any, back: str) -> HttpResponse:
    try:
        services.support_link_delete(actor=request.user, link=link)
    except PermissionDenied as refused:
        messages.error(request, refusal_text(refused))
    else:
        messages.success(
            request, _("Die Verknüpfung mit „%(offer)s“ ist gelöst.") % {"offer": link.offer.title}
        )
    return redirect(back)


@require_POST
@login_required
def unlink_project_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, support_link_id: int
) -> HttpResponse:
    project = _project(request, municipality_slug, project_slug)
    link = link_get(pk=support_link_id, project=project)
    return _unlink(
        request, link, reverse("support:link_project", args=[municipality_slug, project.slug])
    )


@require_POST
@login_required
def unlink_initiative_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str, support_link_id: int
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    link = link_get(pk=support_link_id, initiative=initiative)
    return _unlink(
        request,
        link,
        reverse("support:link_initiative", args=[municipality_slug, initiative.slug]),
    )
