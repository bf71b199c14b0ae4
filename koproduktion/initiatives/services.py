"""Writes of initiatives: start, edit, move through the states, support, join; the partner
department's answer; needs and offers.

An initiative's state changes only under its row lock (SELECT … FOR UPDATE) and only along
``models.TRANSITIONS``; every change leaves a ``StateChange`` with its reason. Supports keep
``Initiative.support_count`` with F() updates in the same transaction as the support row, and
accepted offers keep ``Need.accepted_count`` under the need's row lock, so counts stay right
when people act at once.

What residents do (start, support, join, offer) is not the administration's and stays out of
its log; what staff do (accept, decline) and initiators' decisions on others are logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import (
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.roles import Role
from koproduktion.core.rules import staff_departments
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.rules import manages_all_projects
from koproduktion.projects.services import (
    PlannedPhase,
    project_content_changed,
    project_create,
    timeline_set,
)

from .models import (
    EDITABLE_STATES,
    TRANSITIONS,
    Initiative,
    Initiator,
    Need,
    NeedKind,
    NeedOffer,
    OfferStatus,
    State,
    StateChange,
    Supporter,
)
from .rules import forget_initiators, initiator_ids

if TYPE_CHECKING:
    from koproduktion.accounts.models import User

# What the initiators write on the start and edit forms.
TEXT_FIELDS = ("title", "summary", "why", "help_needed", "neighbourhood", "topic", "contact")
INITIATORS_ONLY = gettext_lazy("Das können nur die Initiator*innen dieser Initiative.")


def initiative_url(initiative: Initiative) -> str:
    return reverse("initiatives:detail", args=[initiative.municipality.slug, initiative.slug])


def _unique_slug(municipality: Municipality, title: str) -> str:
    base = slugify(title)[:70] or "initiative"
    taken = set(
        Initiative.objects.filter(municipality=municipality, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _locked(initiative: Initiative) -> Initiative:
    """The initiative's row, locked for this transaction (only its own row: the town's stays
    free for everyone else)."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    locked.municipality = initiative.municipality
    return locked


def _check_organisation(actor: User, organisation: Organisation | None, field: str) -> None:
    """Only a representative of ``organisation`` acts in its name."""
    if organisation is None:
        return
    if not Membership.objects.filter(
        user=actor,
        municipality_id=organisation.municipality_id,
        role=Role.ORGANISATION,
        organisation=organisation,
    ).exists():
        raise ValidationError(
            {field: _("Im Namen einer Organisation handelt nur, wer sie vertritt.")}
        )


def _move(
    initiative: Initiative, *, to: State, actor: User | None, reason: str = ""
) -> StateChange:
    """Move ``initiative`` (locked by the caller) to ``to`` along ``TRANSITIONS``."""
    if to not in TRANSITIONS[initiative.state]:
        raise ValidationError(
            _("Aus dem Stand „%(old)s“ geht es nicht nach „%(new)s“.")
            % {"old": State(initiative.state).label, "new": State(to).label},
            code="transition",
        )
    change = StateChange.objects.create(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        old_state=initiative.state,
        new_state=to,
        reason=reason,
        changed_by=actor,
    )
    initiative.state = to
    return change


def _people(initiative: Initiative) -> set[int]:
    """Initiators and supporters: whom the initiative's big steps are told."""
    return set(initiator_ids(initiative)) | set(
        Supporter.objects.filter(initiative=initiative).values_list("user_id", flat=True)
    )


def _changed(initiative: Initiative) -> None:
    """The project page shows the initiative's initiators: renew it when they change."""
    if initiative.project_id:
        project_content_changed(project_id=initiative.project_id)


@transaction.atomic
def initiative_start(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    summary: str,
    why: str,
    help_needed: str = "",
    neighbourhood: Neighbourhood | None = None,
    topic: Topic | None = None,
    organisation: Organisation | None = None,
    contact: str = "",
    publish: bool = True,
    ip: str = "",
) -> Initiative:
    """A new initiative with ``actor`` as its starter; ``publish`` puts it up for support at
    once, otherwise it stays a draft only its initiators see."""
    require(
        "initiatives.can_start",
        actor,
        municipality,
        _("Initiativen starten alle, die in dieser Kommune registriert und bestätigt sind."),
    )
    check_rate(action="initiative", user=actor, ip=ip)
    _check_organisation(actor, organisation, "organisation")
    initiative = Initiative(
        municipality=municipality,
        title=title.strip(),
        slug=_unique_slug(municipality, title),
        summary=summary.strip(),
        why=why.strip(),
        help_needed=help_needed.strip(),
        neighbourhood=neighbourhood,
        topic=topic,
        organisation=organisation,
        contact=contact.strip(),
        created_by=actor,
    )
    initiative.full_clean()
    initiative.save()
    Initiator.objects.create(
        initiative=initiative,
        municipality=municipality,
        user=actor,
        is_starter=True,
        accepted_at=timezone.now(),
    )
    StateChange.objects.create(
        initiative=initiative,
        municipality=municipality,
        old_state="",
        new_state=State.DRAFT,
        changed_by=actor,
    )
    if publish:
        _move(initiative, to=State.COLLECTING, actor=actor)
        initiative.save(update_fields=["state"])
    return initiative


@transaction.atomic
def initiative_update(*, actor: User, initiative: Initiative, **fields: object) -> Initiative:
    """Change the texts, place and topic (``TEXT_FIELDS``) while the initiative is open."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    if locked.state not in EDITABLE_STATES:
        raise ValidationError(
            _("Im Stand „%(state)s“ lässt sich die Initiative nicht mehr ändern.")
            % {"state": State(locked.state).label}
        )
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def initiative_publish(*, actor: User, initiative: Initiative) -> Initiative:
    """From draft to collecting support: everyone sees it now."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    _move(locked, to=State.COLLECTING, actor=actor)
    locked.save(update_fields=["state", "updated_at"])
    return locked


@transaction.atomic
def initiative_request_partner(*, actor: User, initiative: Initiative) -> Initiative:
    """Ask the administration for a partner department, once enough people support it. The
    coordination, the admins and the staff of the topic's department hear of it."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    threshold = locked.municipality.initiative_threshold
    if locked.state == State.COLLECTING and locked.support_count < threshold:
        raise ValidationError(
            _("Dafür braucht die Initiative %(needed)d Unterstützer*innen; sie hat %(count)d.")
            % {"needed": threshold, "count": locked.support_count},
            code="threshold",
        )
    _move(locked, to=State.REQUESTED, actor=actor)
    locked.save(update_fields=["state", "updated_at"])
    reviewers = Membership.objects.filter(
        municipality_id=locked.municipality_id, role__in=[Role.COORDINATION, Role.ADMIN]
    ).values_list("user_id", flat=True)
    staff: list[int] = []
    if locked.topic_id and locked.topic.department_id:
        staff = list(
            Membership.objects.filter(
                municipality_id=locked.municipality_id,
                role=Role.STAFF,
                departments=locked.topic.department_id,
            ).values_list("user_id", flat=True)
        )
    title = locked.title
    notify(
        user_ids=[*reviewers, *staff],
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _("Die Initiative „%(title)s“ sucht einen Partner-Fachbereich.") % {"title": title}
        ),
        url=reverse("initiatives:review", args=[locked.municipality.slug, locked.slug]),
        exclude=[actor.pk],
    )
    return locked


@transaction.atomic
def initiative_withdraw(*, actor: User, initiative: Initiative, reason: str = "") -> Initiative:
    """The initiators give up; supporters are told, with the reason if one is given."""
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    locked = _locked(initiative)
    _move(locked, to=State.WITHDRAWN, actor=actor, reason=reason.strip())
    locked.save(update_fields=["state", "updated_at"])
    title = locked.title
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: _("Die Initiative „%(title)s“ ist zurückgezogen.") % {"title": title},
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    return locked


def _check_partner(actor: User, initiative: Initiative, department: Department) -> None:
    if department.municipality_id != initiative.municipality_id:
        raise ValidationError({"department": _("Gehört zu einer anderen Kommune.")})
    if not manages_all_projects.test(actor, initiative.municipality) and (
        department.pk not in staff_departments(actor)
    ):
        raise ValidationError(
            {"department": _("Bitte wählen Sie einen Ihrer eigenen Fachbereiche als Partner.")}
        )


@transaction.atomic
@audited(
    gettext_lazy("Initiative als Partner angenommen"),
    target="initiative",
    fields=("state", "partner_department", "contact_person", "project"),
)
def initiative_accept(
    *, actor: User, initiative: Initiative, department: Department, contact_person: User
) -> Project:
    """``department`` becomes the initiative's partner with ``contact_person`` (staff of that
    department) as its named contact. A draft project is set up from the initiative, led by the
    department, with a first phase from today; initiators and supporters are told."""
    require(
        "initiatives.can_review",
        actor,
        initiative,
        _("Anfragen von Initiativen beantworten die Fachbereiche und die Koordination."),
    )
    locked = _locked(initiative)
    if State.ACCEPTED not in TRANSITIONS[locked.state]:
        _move(locked, to=State.ACCEPTED, actor=actor)  # refuses, naming both states
    _check_partner(actor, locked, department)
    if not Membership.objects.filter(
        user=contact_person,
        municipality_id=locked.municipality_id,
        role=Role.STAFF,
        departments=department,
    ).exists():
        raise ValidationError(
            {
                "contact_person": _(
                    "Die Ansprechperson muss im Fachbereich „%(department)s“ arbeiten."
                )
                % {"department": department.name}
            }
        )
    description = "\n\n".join(
        part
        for part in (
            locked.why,
            f"**{_('Welche Hilfe gebraucht wird')}**\n\n{locked.help_needed}"
            if locked.help_needed
            else "",
        )
        if part
    )
    project = project_create(
        actor=actor,
        municipality=locked.municipality,
        title=locked.title,
        summary=locked.summary,
        description=description,
        topic=locked.topic,
        neighbourhood=locked.neighbourhood,
        department=department,
    )
    timeline_set(
        actor=actor,
        project=project,
        plan={PhaseKind.INFORMATION: PlannedPhase(starts_on=timezone.localdate())},
    )
    _move(locked, to=State.ACCEPTED, actor=actor)
    locked.project = project
    locked.partner_department = department
    locked.contact_person = contact_person
    locked.save()
    title, name = locked.title, department.name
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _(
                "Gute Nachricht: „%(title)s“ wird ein Vorhaben, mit dem Fachbereich %(department)s "
                "als Partner."
            )
            % {"title": title, "department": name}
        ),
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    initiative.refresh_from_db()
    return project


@transaction.atomic
@audited(
    gettext_lazy("Initiative als Partner abgelehnt"),
    target="initiative",
    fields=("state", "decline_reason"),
)
def initiative_decline(*, actor: User, initiative: Initiative, reason: str) -> Initiative:
    """No partner department: the public reason stands on the initiative's page."""
    require(
        "initiatives.can_review",
        actor,
        initiative,
        _("Anfragen von Initiativen beantworten die Fachbereiche und die Koordination."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Bitte begründen Sie die Absage; die Begründung ist öffentlich.")}
        )
    locked = _locked(initiative)
    _move(locked, to=State.DECLINED, actor=actor, reason=reason)
    locked.decline_reason = reason
    locked.save(update_fields=["state", "decline_reason", "updated_at"])
    title = locked.title
    notify(
        user_ids=_people(locked),
        municipality_id=locked.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _("Die Verwaltung kann bei „%(title)s“ nicht Partner sein: %(reason)s")
            % {"title": title, "reason": reason}
        ),
        url=initiative_url(locked),
        exclude=[actor.pk],
    )
    initiative.refresh_from_db()
    return locked


# --- Support -----------------------------------------------------------------------------------


@transaction.atomic
def initiative_support(*, actor: User, initiative: Initiative) -> Supporter:
    """One support per person; the database refuses a second, also when sent twice at once."""
    require(
        "initiatives.can_support",
        actor,
        initiative,
        _(
            "Unterstützen können alle aus der Kommune, solange die Initiative Unterstützung sammelt."
        ),
    )
    try:
        with transaction.atomic():
            support = Supporter.objects.create(
                initiative=initiative, user=actor, municipality_id=initiative.municipality_id
            )
    except IntegrityError as twice:
        raise ValidationError(
            _("Sie unterstützen diese Initiative bereits."), code="twice"
        ) from twice
    Initiative.objects.filter(pk=initiative.pk).update(support_count=F("support_count") + 1)
    initiative.support_count = Initiative.objects.values_list("support_count", flat=True).get(
        pk=initiative.pk
    )
    return support


@transaction.atomic
def initiative_unsupport(*, actor: User, initiative: Initiative) -> bool:
    """Take one's support back; True if there was one."""
    deleted, _counts = Supporter.objects.filter(initiative=initiative, user=actor).delete()
    if deleted:
        Initiative.objects.filter(pk=initiative.pk).update(support_count=F("support_count") - 1)
        initiative.support_count -= 1
    return bool(deleted)


# --- Initiators --------------------------------------------------------------------------------


@transaction.atomic
def initiative_join(
    *, actor: User, initiative: Initiative, message: str = "", ip: str = ""
) -> Initiator:
    """Ask to join as co-initiator; an initiator accepts or declines the request. (Not an open
    join: co-initiators edit the initiative and see the contacts of accepted offers.)"""
    require(
        "initiatives.can_join",
        actor,
        initiative,
        _("Mitmachen können alle aus der Kommune, solange die Initiative offen ist."),
    )
    check_rate(action="offer", user=actor, ip=ip)
    request = Initiator(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        user=actor,
        message=message.strip(),
    )
    request.full_clean(exclude=["initiative", "user", "municipality"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as twice:
        raise ValidationError(
            {"message": _("Sie haben schon gefragt, ob Sie mitmachen können.")}, code="twice"
        ) from twice
    name, title = str(actor), initiative.title
    notify(
        user_ids=initiator_ids(initiative),
        municipality_id=initiative.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: (
            _("%(name)s möchte bei „%(title)s“ mitmachen.") % {"name": name, "title": title}
        ),
        url=initiative_url(initiative) + "#initiatorinnen",
    )
    return request


@transaction.atomic
def initiator_accept(*, actor: User, join_request: Initiator) -> Initiator:
    """An initiator takes the person in as co-initiator."""
    initiative = join_request.initiative
    require("initiatives.can_manage_people", actor, initiative, str(INITIATORS_ONLY))
    updated = Initiator.objects.filter(pk=join_request.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("Diese Anfrage ist schon beantwortet."))
    join_request.refresh_from_db()
    forget_initiators(initiative)
    title = initiative.title
    notify(
        user_ids=[join_request.user_id],
        municipality_id=initiative.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: _("Sie sind jetzt Mit-Initiator*in von „%(title)s“.") % {"title": title},
        url=initiative_url(initiative),
    )
    # A supporter who joins counts once, as an initiator.
    initiative_unsupport(actor=join_request.user, initiative=initiative)
    _changed(initiative)
    return join_request


@transaction.atomic
def initiator_decline(*, actor: User, join_request: Initiator) -> None:
    """An initiator says no to a request to join; the person may ask again later."""
    require("initiatives.can_manage_people", actor, join_request.initiative, str(INITIATORS_ONLY))
    if join_request.accepted_at is not None:
        raise ValidationError(_("Diese Anfrage ist schon beantwortet."))
    join_request.delete()


@transaction.atomic
def initiator_leave(*, actor: User, initiative: Initiative) -> None:
    """A co-initiator steps back; the starter stays (they withdraw the initiative instead)."""
    row = Initiator.objects.filter(initiative=initiative, user=actor).first()
    if row is None:
        raise ValidationError(_("Sie sind nicht dabei."))
    if row.is_starter:
        raise ValidationError(
            _("Wer die Initiative gestartet hat, bleibt dabei; Sie können sie zurückziehen.")
        )
    row.delete()
    forget_initiators(initiative)
    _changed(initiative)


# --- Needs and offers --------------------------------------------------------------------------


@transaction.atomic
def need_add(
    *,
    actor: User,
    initiative: Initiative,
    kind: NeedKind,
    description: str,
    quantity: int = 1,
    when: str = "",
) -> Need:
    """The initiators say what they are looking for."""
    require("initiatives.can_add_need", actor, initiative, str(INITIATORS_ONLY))
    need = Need(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        kind=kind,
        description=description.strip(),
        quantity=quantity,
        when=when.strip(),
    )
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def need_offer(
    *,
    actor: User,
    need: Need,
    message: str,
    contact: str = "",
    organisation: Organisation | None = None,
    ip: str = "",
) -> NeedOffer:
    """Answer a need with an offer. The initiators are told that an offer came, on the
    platform; the message and contact reach no one by mail, and the contact only the
    initiators, once they accept."""
    require(
        "initiatives.can_offer",
        actor,
        need,
        _("Anbieten können alle aus der Kommune, solange das Gesuch offen ist."),
    )
    check_rate(action="offer", user=actor, ip=ip)
    _check_organisation(actor, organisation, "organisation")
    offer = NeedOffer(
        need=need,
        municipality_id=need.municipality_id,
        user=actor,
        organisation=organisation,
        message=message.strip(),
        contact=contact.strip(),
    )
    offer.full_clean(exclude=["need", "user", "municipality"])
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError as twice:
        raise ValidationError(
            {"message": _("Sie haben hierfür schon ein offenes Angebot.")}, code="twice"
        ) from twice
    initiative = need.initiative
    title = initiative.title
    notify(
        user_ids=initiator_ids(initiative),
        municipality_id=need.municipality_id,
        kind=Kind.INITIATIVE,
        message=lambda: _("Neues Angebot für „%(title)s“.") % {"title": title},
        url=initiative_url(initiative) + f"#gesuch-{need.pk}",
    )
    return offer


def _decide(actor: User, offer: NeedOffer, status: OfferStatus) -> NeedOffer:
    need = Need.objects.select_for_update().get(pk=offer.need_id)
    initiative = need.initiative
    require("initiatives.can_decide_offer", actor, initiative, str(INITIATORS_ONLY))
    offer = NeedOffer.objects.get(pk=offer.pk)
    if offer.status != OfferStatus.OPEN:
        raise ValidationError(_("Über dieses Angebot ist schon entschieden."))
    if status == OfferStatus.ACCEPTED and need.fulfilled_at is not None:
        raise ValidationError(_("Das Gesuch ist schon erfüllt."))
    offer.status = status
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    if status == OfferStatus.ACCEPTED:
        need.accepted_count += 1
        if need.accepted_count >= need.quantity:
            need.fulfilled_at = timezone.now()
        need.save(update_fields=["accepted_count", "fulfilled_at"])
    title = initiative.title
    notify(
        user_ids=[offer.user_id],
        municipality_id=offer.municipality_id,
        kind=Kind.INITIATIVE,
        message=(
            (lambda: _("Ihr Angebot für „%(title)s“ ist angenommen.") % {"title": title})
            if status == OfferStatus.ACCEPTED
            else (lambda: _("Ihr Angebot für „%(title)s“ wird nicht gebraucht.") % {"title": title})
        ),
        url=initiative_url(initiative) + f"#gesuch-{need.pk}",
    )
    return offer


@transaction.atomic
def offer_accept(*, actor: User, offer: NeedOffer) -> NeedOffer:
    """The initiators take the offer: contacts are shown to both sides; enough accepted
    offers fulfil the need."""
    return _decide(actor, offer, OfferStatus.ACCEPTED)


@transaction.atomic
def offer_decline(*, actor: User, offer: NeedOffer) -> NeedOffer:
    return _decide(actor, offer, OfferStatus.DECLINED)


@transaction.atomic
def offer_withdraw(*, actor: User, offer: NeedOffer) -> NeedOffer:
    """Who offered takes an open offer back."""
    if offer.user_id != actor.pk:
        raise PermissionDenied(_("Nur wer angeboten hat, kann das Angebot zurückziehen."))
    if not NeedOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
        status=OfferStatus.WITHDRAWN, decided_at=timezone.now()
    ):
        raise ValidationError(_("Über dieses Angebot ist schon entschieden."))
    offer.refresh_from_db()
    return offer


# --- Account deletion --------------------------------------------------------------------------


@transaction.atomic
def supports_release(*, user: User) -> int:
    """Withdraw every support of ``user`` (account deletion), keeping the counts."""
    count = 0
    for initiative in Initiative.objects.filter(supporters__user=user):
        count += initiative_unsupport(actor=user, initiative=initiative)
    return count


@transaction.atomic
def offers_release(*, user: User) -> None:
    """Open offers are withdrawn; every offer's message and contact cleared."""
    NeedOffer.objects.filter(user=user, status=OfferStatus.OPEN).update(
        status=OfferStatus.WITHDRAWN, decided_at=timezone.now()
    )
    NeedOffer.objects.filter(user=user).update(message="", contact="")


@transaction.atomic
def initiator_contacts_clear(*, user: User) -> None:
    """The contact a starter gave goes with the account; open requests to join too."""
    Initiative.objects.filter(created_by=user).update(contact="")
    Initiator.objects.filter(user=user, accepted_at__isnull=True).delete()
    Initiator.objects.filter(user=user).update(message="")
