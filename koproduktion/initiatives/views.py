"""A town's initiatives: list, page, start and edit; support, join, needs and offers; the
administration's answer to a request for a partner department."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.forms import form_errors_from, refusal_text, submitted
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.core.selectors import municipality_get

from . import services
from .forms import (
    AcceptForm,
    DeclineForm,
    InitiativeFilterForm,
    InitiativeForm,
    JoinForm,
    NeedForm,
    NeedKindFilterForm,
    OfferForm,
    WithdrawForm,
    partner_departments,
)
from .models import Initiative, Initiator, Need, NeedKind, NeedOffer, State
from .selectors import (
    InitiativeFilters,
    contact_choices,
    history_of,
    initiative_get,
    initiative_list,
    initiators_of,
    is_supporter,
    needs_of,
    open_needs,
    review_queue,
)

PAGE_SIZE = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _page(request: HttpRequest, items: object) -> object:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("seite"))


def initiative_list_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = InitiativeFilterForm(request.GET or None, municipality=municipality)
    data = form.valid_data()
    state = data.get("zustand")
    initiatives = initiative_list(
        municipality=municipality,
        user=request.user,
        filters=InitiativeFilters(
            state=State(state) if state else None,
            neighbourhood=data.get("quartier"),
            topic=data.get("thema"),
        ),
    )
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "municipality": municipality,
            "filter_form": form,
            "page": _page(request, initiatives),
            "can_start": rules.test_rule("initiatives.can_start", request.user, municipality),
            "can_review": rules.test_rule("initiatives.can_review", request.user, municipality),
        },
    )


def needs_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Gesucht: what the town's initiatives are looking for."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = NeedKindFilterForm(request.GET or None)
    kind = form.valid_data().get("art")
    needs = open_needs(municipality=municipality, kind=NeedKind(kind) if kind else None)
    return render(
        request,
        "initiatives/needs.html",
        {"municipality": municipality, "filter_form": form, "page": _page(request, needs)},
    )


def _initiative(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> Initiative:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    return initiative_get(municipality=municipality, user=request.user, slug=initiative_slug)


def _detail_context(request: HttpRequest, initiative: Initiative) -> dict:
    user = request.user
    can = {
        name: rules.test_rule(f"initiatives.can_{name}", user, initiative)
        for name in (
            "edit",
            "publish",
            "request_partner",
            "withdraw",
            "support",
            "join",
            "manage_people",
            "add_need",
            "answer_request",
            "review",
        )
    }
    needs = needs_of(initiative=initiative, user=user)
    for need in needs:
        need.can_offer = rules.test_rule("initiatives.can_offer", user, need)
        need.offer_form = _offer_form(None, initiative, need, user) if need.can_offer else None
    people = initiators_of(initiative=initiative)
    return {
        "municipality": initiative.municipality,
        "initiative": initiative,
        "initiators": [p for p in people if p.accepted_at],
        "requests": [p for p in people if not p.accepted_at] if can["manage_people"] else [],
        "my_request": next((p for p in people if p.user_id == user.pk and not p.accepted_at), None),
        "supporting": is_supporter(initiative=initiative, user=user),
        "needs": needs,
        "history": history_of(initiative=initiative),
        "threshold": initiative.municipality.initiative_threshold,
        "can": can,
        "join_form": JoinForm(),
    }


def _offer_form(data: object, initiative: Initiative, need: Need, user: object) -> OfferForm:
    """One need's form; its own ids, as the initiative's page shows one form per need."""
    return OfferForm(
        data,
        municipality=initiative.municipality,
        user=user,
        auto_id=f"id_gesuch{need.pk}_%s",
    )


def detail_view(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    return render(
        request, "initiatives/initiative_detail.html", _detail_context(request, initiative)
    )


@require_http_methods(["GET", "POST"])
@login_required
def start_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    allowed = rules.test_rule("initiatives.can_start", request.user, municipality)
    form = InitiativeForm(
        request.POST or None, municipality=municipality, user=request.user, starting=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_start(
                actor=request.user,
                municipality=municipality,
                organisation=form.cleaned_data.get("organisation"),
                publish=form.cleaned_data["publish"],
                ip=client_ip(request),
                **form.values(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            initiative.municipality = municipality
            messages.success(
                request,
                _("Ihre Initiative ist gestartet. Erzählen Sie Ihren Nachbar*innen davon!")
                if initiative.state == State.COLLECTING
                else _("Ihr Entwurf ist gespeichert; nur Sie sehen ihn."),
            )
            return redirect(services.initiative_url(initiative))
    return render(
        request,
        "initiatives/initiative_form.html",
        {"municipality": municipality, "form": form, "allowed": allowed, "initiative": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit_view(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    _require(rules.test_rule("initiatives.can_edit", request.user, initiative))
    form = InitiativeForm(
        request.POST or None,
        instance=initiative,
        municipality=initiative.municipality,
        user=request.user,
        starting=False,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        initiative.refresh_from_db()
        if submitted(
            form, services.initiative_update, actor=request.user, initiative=initiative, **values
        ):
            messages.success(request, _("Die Initiative ist gespeichert."))
            return redirect(services.initiative_url(initiative))
    return render(
        request,
        "initiatives/initiative_form.html",
        {
            "municipality": initiative.municipality,
            "form": form,
            "allowed": True,
            "initiative": initiative,
        },
        status=400 if form.errors else 200,
    )


def _flash_outcome(request: HttpRequest, action: object, success: str, **arguments: object) -> bool:
    """Run a button's service; its refusal becomes the page's message."""
    try:
        action(**arguments)  # type: ignore[operator]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (PermissionDenied, RateLimited) as refused:
        messages.error(request, refusal_text(refused) or _("Das ist Ihnen hier nicht erlaubt."))
    else:
        messages.success(request, success)
        return True
    return False


@require_POST
@login_required
def state_view(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> HttpResponse:
    """The initiators' buttons: publish the draft, ask for a partner department."""
    initiative = _initiative(request, municipality_slug, initiative_slug)
    step = request.POST.get("schritt", "")
    if step == "veroeffentlichen":
        _flash_outcome(
            request,
            services.initiative_publish,
            _("Die Initiative ist veröffentlicht und sammelt Unterstützung."),
            actor=request.user,
            initiative=initiative,
        )
    elif step == "partner":
        _flash_outcome(
            request,
            services.initiative_request_partner,
            _("Die Verwaltung ist gefragt. Sie hören von ihr, sobald ein Fachbereich antwortet."),
            actor=request.user,
            initiative=initiative,
        )
    else:
        messages.error(request, _("Diesen Schritt gibt es nicht."))
    return redirect(services.initiative_url(initiative))


@require_http_methods(["GET", "POST"])
@login_required
def withdraw_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    _require(rules.test_rule("initiatives.can_withdraw", request.user, initiative))
    form = WithdrawForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.initiative_withdraw,
            actor=request.user,
            initiative=initiative,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("Die Initiative ist zurückgezogen."))
        return redirect(services.initiative_url(initiative))
    return render(
        request,
        "initiatives/withdraw.html",
        {"municipality": initiative.municipality, "initiative": initiative, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def support_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(services.initiative_url(initiative))
    if request.POST.get("zurueck"):
        if services.initiative_unsupport(actor=request.user, initiative=initiative):
            messages.success(request, _("Sie unterstützen die Initiative nicht mehr."))
    else:
        _flash_outcome(
            request,
            services.initiative_support,
            _("Danke! Sie unterstützen die Initiative."),
            actor=request.user,
            initiative=initiative,
        )
    return redirect(services.initiative_url(initiative))


@require_POST
def join_view(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> HttpResponse:
    """Ask to join (or, with ``verlassen``, step back as co-initiator)."""
    initiative = _initiative(request, municipality_slug, initiative_slug)
    if not request.user.is_authenticated:
        return redirect_to_login(services.initiative_url(initiative))
    if request.POST.get("verlassen"):
        _flash_outcome(
            request,
            services.initiator_leave,
            _("Sie sind nicht mehr Mit-Initiator*in."),
            actor=request.user,
            initiative=initiative,
        )
        return redirect(services.initiative_url(initiative))
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            services.initiative_join(
                actor=request.user,
                initiative=initiative,
                message=form.cleaned_data["message"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(
                request, _("Ihre Anfrage ist bei den Initiator*innen. Sie hören von ihnen.")
            )
            return redirect(services.initiative_url(initiative))
    context = _detail_context(request, initiative)
    context["join_form"] = form
    return render(request, "initiatives/initiative_detail.html", context, status=400)


@require_POST
@login_required
def join_answer_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str, initiator_id: int
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    row = get_object_or_404(Initiator, pk=initiator_id, initiative=initiative)
    row.initiative = initiative
    if request.POST.get("antwort") == "ja":
        _flash_outcome(
            request,
            services.initiator_accept,
            _("%(name)s ist jetzt Mit-Initiator*in.") % {"name": row.user},
            actor=request.user,
            join_request=row,
        )
    else:
        _flash_outcome(
            request,
            services.initiator_decline,
            _("Die Anfrage ist abgelehnt."),
            actor=request.user,
            join_request=row,
        )
    return redirect(services.initiative_url(initiative) + "#initiatorinnen")


@require_http_methods(["GET", "POST"])
@login_required
def need_add_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = _initiative(request, municipality_slug, initiative_slug)
    _require(rules.test_rule("initiatives.can_add_need", request.user, initiative))
    form = NeedForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.need_add,
            actor=request.user,
            initiative=initiative,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Das Gesuch steht auf der Seite und unter „Gesucht“."))
        return redirect(services.initiative_url(initiative) + "#gesucht")
    return render(
        request,
        "initiatives/need_form.html",
        {"municipality": initiative.municipality, "initiative": initiative, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def offer_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str, need_id: int
) -> HttpResponse:
    """One need with its offer form; the initiative's page posts its forms here, and a form
    with mistakes comes back here with what was typed."""
    initiative = _initiative(request, municipality_slug, initiative_slug)
    need = get_object_or_404(Need, pk=need_id, initiative=initiative)
    need.initiative = initiative
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    form = (
        _offer_form(request.POST or None, initiative, need, request.user)
        if request.user.is_authenticated
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.need_offer(
                actor=request.user,
                need=need,
                message=form.cleaned_data["message"],
                contact=form.cleaned_data["contact"],
                organisation=form.cleaned_data.get("organisation"),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(
                request,
                _(
                    "Danke für Ihr Angebot! Die Initiator*innen melden sich, wenn sie es annehmen; "
                    "erst dann sehen sie Ihren Kontakt."
                ),
            )
            return redirect(services.initiative_url(initiative) + f"#gesuch-{need.pk}")
    return render(
        request,
        "initiatives/offer_form.html",
        {
            "municipality": initiative.municipality,
            "initiative": initiative,
            "need": need,
            "form": form,
            "can_offer": rules.test_rule("initiatives.can_offer", request.user, need),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@login_required
def offer_answer_view(
    request: HttpRequest, municipality_slug: str, initiative_slug: str, offer_id: int
) -> HttpResponse:
    """The initiators accept or decline an offer; who offered may withdraw it."""
    initiative = _initiative(request, municipality_slug, initiative_slug)
    offer = get_object_or_404(NeedOffer, pk=offer_id, need__initiative=initiative)
    answer = request.POST.get("antwort")
    if answer == "ja":
        action, done = (
            services.offer_accept,
            _("Angenommen. Sie sehen jetzt beide den Kontakt der anderen Seite."),
        )
    elif answer == "zurueck":
        action, done = services.offer_withdraw, _("Ihr Angebot ist zurückgezogen.")
    else:
        action, done = services.offer_decline, _("Das Angebot ist abgelehnt.")
    _flash_outcome(request, action, done, actor=request.user, offer=offer)
    return redirect(services.initiative_url(initiative) + f"#gesuch-{offer.need_id}")


@login_required
def queue_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The administration's queue: initiatives asking for a partner department."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    _require(rules.test_rule("initiatives.can_review", request.user, municipality))
    return render(
        request,
        "initiatives/queue.html",
        {
            "municipality": municipality,
            "page": _page(request, review_queue(municipality=municipality)),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_view(request: HttpRequest, municipality_slug: str, initiative_slug: str) -> HttpResponse:
    """Accept as partner department with a named contact, or decline with a public reason."""
    initiative = _initiative(request, municipality_slug, initiative_slug)
    municipality = initiative.municipality
    _require(rules.test_rule("initiatives.can_review", request.user, initiative))
    answer = request.POST.get("antwort") if request.method == "POST" else None
    accept_form = AcceptForm(
        request.POST if answer == "annehmen" else None,
        municipality=municipality,
        departments=partner_departments(municipality=municipality, user=request.user),
        contacts=contact_choices(municipality=municipality),
    )
    decline_form = DeclineForm(request.POST if answer == "ablehnen" else None)
    if answer == "annehmen" and accept_form.is_valid():
        contact = accept_form.contact_user()
        if contact is None:
            accept_form.add_error("contact_person", _("Bitte wählen Sie aus der Liste."))
        elif submitted(
            accept_form,
            services.initiative_accept,
            actor=request.user,
            initiative=initiative,
            department=accept_form.cleaned_data["department"],
            contact_person=contact,
        ):
            messages.success(
                request,
                _("Angenommen. Das Vorhaben ist als Entwurf angelegt; die Initiative weiß es."),
            )
            return redirect(services.initiative_url(initiative))
    elif (
        answer == "ablehnen"
        and decline_form.is_valid()
        and submitted(
            decline_form,
            services.initiative_decline,
            actor=request.user,
            initiative=initiative,
            reason=decline_form.cleaned_data["reason"],
        )
    ):
        messages.success(
            request, _("Abgelehnt. Die Begründung steht auf der Seite der Initiative.")
        )
        return redirect(services.initiative_url(initiative))
    return render(
        request,
        "initiatives/review.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "accept_form": accept_form,
            "decline_form": decline_form,
            "is_requested": initiative.state == State.REQUESTED,
        },
        status=400 if accept_form.errors or decline_form.errors else 200,
    )
