"""Writes of local actors: proposing an organisation, asking to represent one, the town's answer,
the profile its representatives keep, and ending a representation.

Nobody speaks for an organisation before the town's admins have said so: a proposed profile
stays unconfirmed and unlisted until they confirm it, and a request to represent an existing
one waits for them as well. A resident cannot propose the town's administration, one of its
departments or an organisation that exists already (names compared without case, spaces,
punctuation or a legal form such as "e. V."), so nobody looks like them on the platform.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.accounts.models import User
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
from koproduktion.core.plain_text import plain_line, plain_text
from koproduktion.core.roles import Role
from koproduktion.core.rules import forget_roles
from koproduktion.core.services import membership_grant, municipality_content_changed, town_slug
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.rules import is_participant
from koproduktion.search.written import note_written
from koproduktion.townadmin.services import ORGANISATION_PATHS

from .models import RepresentationRequest, RequestKind, RequestStatus

# Open requests one person may have in a town at a time.
MAX_OPEN_REQUESTS = 3
# Names only the town itself goes by. Compared after ``_name_key``.
OFFICIAL_WORDS = (
    "stadtverwaltung",
    "gemeindeverwaltung",
    "kreisverwaltung",
    "verwaltung",
    "rathaus",
    "buergermeister",
    "burgermeister",
    "oberbuergermeister",
    "ordnungsamt",
    "buergeramt",
    "stadtrat",
    "gemeinderat",
    "magistrat",
    "kommune",
    "stadt",
    "gemeinde",
)
# Legal forms and filler that do not make a name another one ("Bürgerverein e. V.").
LEGAL_FORMS = re.compile(r"\b(e\s*v|ev|ggmbh|gmbh|gbr|ug|ag|eg|gug|kg|mbh|ohg|die|der|das)\b")
# What the representatives set on their profile; the name stays with the town's admins.
PROFILE_FIELDS = (
    "kind",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "contact_address",
)
PROPOSAL_REFUSAL = gettext_lazy(
    "Organisationen vorschlagen und vertreten können alle, die in dieser Kommune registriert "
    "und bestätigt sind."
)


def organisation_url(organisation: Organisation) -> str:
    return reverse("actors:profile", args=[organisation.municipality.slug, organisation.slug])


def queue_url(municipality: Municipality) -> str:
    return reverse("actors_queue:list", args=[municipality.slug])


def _name_key(name: str) -> str:
    """A name as a reader tells names apart: without case, umlauts spelled out, without legal
    forms, spaces and punctuation ("Bürger-Verein Nordstadt e.V." = "buergervereinnordstadt")."""
    spelled = name.lower()
    for letter, plain in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}.items():
        spelled = spelled.replace(letter, plain)
    spelled = re.sub(r"[^\w\s]", " ", spelled)
    spelled = LEGAL_FORMS.sub(" ", spelled)
    return re.sub(r"[\W_]", "", spelled)


def _check_name(municipality: Municipality, name: str) -> str:
    """The name, cleaned; refused where it is empty, official or looks like one taken."""
    name = plain_line(name).strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie den Namen der Organisation an.")})
    key = _name_key(name)
    town_key = _name_key(municipality.name)
    official = {*OFFICIAL_WORDS, town_key}
    official |= {word + town_key for word in OFFICIAL_WORDS}
    official |= {town_key + word for word in OFFICIAL_WORDS}
    official |= {
        _name_key(department)
        for department in Department.objects.filter(municipality=municipality).values_list(
            "name", flat=True
        )
    }
    if not key or key in official:
        raise ValidationError(
            {
                "name": _(
                    "Unter diesem Namen tritt die Verwaltung der Kommune auf. Bitte wählen Sie "
                    "den Namen Ihrer Organisation."
                )
            }
        )
    for other in Organisation.objects.filter(municipality=municipality).only("name", "slug"):
        if _name_key(other.name) == key:
            raise ValidationError(
                {
                    "name": _(
                        "„%(name)s“ gibt es hier schon. Wenn Sie dazugehören, bitten Sie auf "
                        "ihrer Seite darum, sie zu vertreten."
                    )
                    % {"name": other.name}
                },
                code="taken",
            )
    return name


def _check_places(
    municipality: Municipality, neighbourhoods: Iterable[Neighbourhood], topics: Iterable[Topic]
) -> tuple[list[Neighbourhood], list[Topic]]:
    neighbourhoods, topics = list(neighbourhoods), list(topics)
    errors = {}
    if any(n.municipality_id != municipality.pk for n in neighbourhoods):
        errors["neighbourhoods"] = _("Dieses Quartier gehört zu einer anderen Kommune.")
    if any(t.municipality_id != municipality.pk for t in topics):
        errors["topics"] = _("Dieses Thema gehört zu einer anderen Kommune.")
    if errors:
        raise ValidationError(errors)
    return neighbourhoods, topics


def _require_participant(actor: User, municipality: Municipality) -> None:
    if not is_participant(actor, municipality):
        raise PermissionDenied(str(PROPOSAL_REFUSAL))


def _check_open_requests(actor: User, municipality: Municipality) -> None:
    open_requests = RepresentationRequest.objects.filter(
        user=actor, municipality=municipality, status=RequestStatus.PENDING
    ).count()
    if open_requests >= MAX_OPEN_REQUESTS:
        raise ValidationError(
            _(
                "Sie haben schon %(count)d offene Anfragen. Warten Sie bitte, bis die Kommune "
                "darüber entschieden hat."
            )
            % {"count": open_requests},
            code="too_many",
        )


def _clean_message(message: str) -> str:
    message = plain_text(message).strip()
    if not message:
        raise ValidationError(
            {"message": _("Bitte sagen Sie, welche Rolle Sie in der Organisation haben.")}
        )
    return message


def _tell_admins(municipality: Municipality, actor: User) -> None:
    admins = Membership.objects.filter(municipality=municipality, role=Role.ADMIN).values_list(
        "user_id", flat=True
    )
    notify(
        user_ids=admins,
        municipality_id=municipality.pk,
        kind=Kind.ORGANISATION,
        message=lambda: _("Eine Organisation wartet auf Ihre Bestätigung."),
        url=queue_url(municipality),
        exclude=[actor.pk],
    )


@transaction.atomic
def organisation_propose(
    *,
    actor: User,
    municipality: Municipality,
    name: str,
    message: str,
    kind: str = Organisation.Kind.ASSOCIATION,
    description: str = "",
    website: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_address: str = "",
    neighbourhoods: Iterable[Neighbourhood] = (),
    topics: Iterable[Topic] = (),
) -> RepresentationRequest:
    """Propose a new organisation's profile; ``actor`` becomes its first representative once
    the town's admins confirm it. Until then it is unlisted and seen only by ``actor`` and the
    town's administration.

    The town's row is locked while the name is checked and stored, so two proposals of the same
    name at once do not both pass.
    """
    _require_participant(actor, municipality)
    town = Municipality.objects.select_for_update().get(pk=municipality.pk)
    _check_open_requests(actor, town)
    errors: dict[str, list[str]] = {}
    try:
        name = _check_name(town, name)
    except ValidationError as refused:
        errors.update(refused.message_dict)
    try:
        message = _clean_message(message)
    except ValidationError as refused:
        errors.update(refused.message_dict)
    if errors:
        raise ValidationError(errors)
    neighbourhoods, topics = _check_places(town, neighbourhoods, topics)
    organisation = Organisation(
        municipality=town,
        name=name,
        slug=town_slug(Organisation, town.pk, name, ORGANISATION_PATHS),
        kind=kind,
        description=plain_text(description).strip(),
        website=website.strip(),
        contact_email=contact_email.strip(),
        contact_phone=plain_line(contact_phone).strip(),
        contact_address=plain_line(contact_address).strip(),
    )
    organisation.full_clean()
    organisation.save()
    organisation.neighbourhoods.set(neighbourhoods)
    organisation.topics.set(topics)
    request = RepresentationRequest.objects.create(
        municipality=town,
        user=actor,
        kind=RequestKind.NEW,
        organisation=organisation,
        name=name,
        message=message,
    )
    _tell_admins(town, actor)
    return request


@transaction.atomic
def representation_request_create(
    *, actor: User, organisation: Organisation, message: str
) -> RepresentationRequest:
    """Ask the town's admins to let ``actor`` represent a confirmed ``organisation``."""
    municipality = organisation.municipality
    _require_participant(actor, municipality)
    if not organisation.is_verified:
        raise PermissionDenied(_("Diese Organisation ist noch nicht bestätigt."))
    if Membership.objects.filter(
        user=actor, organisation=organisation, role=Role.ORGANISATION
    ).exists():
        raise ValidationError(_("Sie vertreten diese Organisation schon."), code="already")
    _check_open_requests(actor, municipality)
    message = _clean_message(message)
    try:
        with transaction.atomic():
            request = RepresentationRequest.objects.create(
                municipality=municipality,
                user=actor,
                kind=RequestKind.JOIN,
                organisation=organisation,
                name=organisation.name,
                message=message,
            )
    except IntegrityError as twice:
        raise ValidationError(
            _("Ihre Anfrage liegt der Kommune schon vor."), code="twice"
        ) from twice
    _tell_admins(municipality, actor)
    return request


@transaction.atomic
def representation_request_withdraw(
    *, actor: User, representation_request: RepresentationRequest
) -> RepresentationRequest:
    """Take back one's own open request; a proposed organisation goes with it."""
    request = RepresentationRequest.objects.select_for_update().get(pk=representation_request.pk)
    if request.user_id != actor.pk:
        raise PermissionDenied(_("Nur wer die Anfrage gestellt hat, kann sie zurückziehen."))
    if not request.is_pending:
        raise ValidationError(_("Über diese Anfrage ist schon entschieden."))
    request.status = RequestStatus.WITHDRAWN
    _close(request)
    return request


def _close(request: RepresentationRequest) -> None:
    """Store a request no longer open; an unconfirmed proposal's organisation is removed, so
    its name is free again."""
    proposed = request.organisation if request.kind == RequestKind.NEW else None
    if proposed is not None and not proposed.is_verified:
        request.organisation = None
    request.save()
    if proposed is not None and not proposed.is_verified:
        proposed.delete()


def _require_admin(actor: User, municipality_id: int) -> Municipality:
    municipality = Municipality.objects.get(pk=municipality_id)
    require(
        "townadmin.can_administer",
        actor,
        municipality,
        _("Organisationen bestätigen die Admins der Kommune."),
    )
    return municipality


def _pending(representation_request: RepresentationRequest) -> RepresentationRequest:
    request = (
        RepresentationRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "municipality")
        .get(pk=representation_request.pk)
    )
    if not request.is_pending:
        raise ValidationError(_("Über diese Anfrage ist schon entschieden."), code="decided")
    return request


@transaction.atomic
@audited(
    gettext_lazy("Organisation oder Vertretung bestätigt"),
    target="representation_request",
    fields=["status", "organisation", "user"],
)
def representation_request_accept(
    *, actor: User, representation_request: RepresentationRequest
) -> RepresentationRequest:
    """Confirm: a proposed organisation becomes public (confirmed by ``actor``), and the person
    who asked represents it from their next request on. They are told."""
    _require_admin(actor, representation_request.municipality_id)
    request = _pending(representation_request)
    organisation = request.organisation
    if organisation is None:
        raise ValidationError(_("Diese Organisation gibt es nicht mehr."))
    if request.kind == RequestKind.NEW and not organisation.is_verified:
        organisation.verified_at = timezone.now()
        organisation.verified_by = actor
        organisation.save(update_fields=["verified_at", "verified_by"])
    elif not organisation.is_verified:
        raise ValidationError(_("Diese Organisation ist noch nicht bestätigt."))
    membership_grant(
        user=request.user,
        municipality=request.municipality,
        role=Role.ORGANISATION,
        organisation=organisation,
    )
    request.status = RequestStatus.ACCEPTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    name, is_new = organisation.name, request.kind == RequestKind.NEW
    notify(
        user_ids=[request.user_id],
        municipality_id=request.municipality_id,
        kind=Kind.ORGANISATION,
        message=lambda: (
            (
                _("„%(name)s“ ist bestätigt; Sie vertreten die Organisation jetzt.")
                if is_new
                else _("Sie vertreten jetzt „%(name)s“.")
            )
            % {"name": name}
        ),
        url=organisation_url(organisation),
    )
    municipality_content_changed(municipality_id=request.municipality_id)
    return request


@transaction.atomic
@audited(
    gettext_lazy("Organisation oder Vertretung abgelehnt"),
    target="representation_request",
    fields=["status", "reason", "user"],
)
def representation_request_decline(
    *, actor: User, representation_request: RepresentationRequest, reason: str
) -> RepresentationRequest:
    """Decline with a reason the person reads; a proposed organisation is removed, so a fake
    does not keep its name."""
    _require_admin(actor, representation_request.municipality_id)
    reason = plain_text(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte begründen Sie die Ablehnung.")})
    request = _pending(representation_request)
    request.status = RequestStatus.DECLINED
    request.reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    _close(request)
    name = request.name
    notify(
        user_ids=[request.user_id],
        municipality_id=request.municipality_id,
        kind=Kind.ORGANISATION,
        message=lambda: (
            _("Ihre Anfrage zu „%(name)s“ ist abgelehnt. Begründung: %(reason)s")
            % {"name": name, "reason": reason}
        ),
        url=reverse("actors:directory", args=[request.municipality.slug]),
    )
    return request


@transaction.atomic
@audited(
    gettext_lazy("Profil einer Organisation geändert"),
    target="organisation",
    fields=[*PROFILE_FIELDS, "neighbourhoods", "topics"],
)
def organisation_profile_update(
    *,
    actor: User,
    organisation: Organisation,
    neighbourhoods: Iterable[Neighbourhood] = (),
    topics: Iterable[Topic] = (),
    **fields: Any,
) -> Organisation:
    """Its representatives (and the town's admins) keep the public profile. The name changes
    only through the town's admins, so a confirmed name cannot become another."""
    require(
        "actors.can_edit_profile",
        actor,
        organisation,
        _("Das Profil pflegen die Personen, die die Organisation vertreten."),
    )
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not a profile field: {sorted(unknown)}")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        clean = (
            (plain_text if name == "description" else plain_line)
            if isinstance(value, str)
            else None
        )
        setattr(locked, name, clean(value).strip() if clean else value)
    locked.full_clean()
    locked.save()
    neighbourhoods, topics = _check_places(locked.municipality, neighbourhoods, topics)
    locked.neighbourhoods.set(neighbourhoods)
    locked.topics.set(topics)
    municipality_content_changed(municipality_id=locked.municipality_id)
    note_written(actor)
    return locked


@transaction.atomic
@audited(
    gettext_lazy("Vertretung einer Organisation beendet"),
    target="membership",
    fields=["user", "organisation"],
)
def representation_end(*, actor: User, membership: Membership, reason: str = "") -> None:
    """End a representation: the representative themselves, or the town's admins (with a
    reason). From then on the person no longer acts for the organisation; what it committed to
    stays the organisation's."""
    if membership.role != Role.ORGANISATION:
        raise ValidationError(_("Das ist keine Vertretung einer Organisation."))
    if membership.user_id != actor.pk:
        _require_admin(actor, membership.municipality_id)
        if not plain_text(reason).strip():
            raise ValidationError({"reason": _("Bitte begründen Sie, warum die Vertretung endet.")})
    user = membership.user
    membership.delete()
    forget_roles(user)


def representation_requests_release(*, user: User) -> int:
    """Delete what ``user`` asked the town about organisations (account deletion): their
    messages about their role are theirs. A proposed organisation not yet confirmed goes with
    its only request; confirmed ones stay the town's. Returns how many requests went."""
    requests = RepresentationRequest.objects.filter(user=user)
    proposed = list(
        requests.filter(kind=RequestKind.NEW, status=RequestStatus.PENDING).values_list(
            "organisation", flat=True
        )
    )
    count, _deleted = requests.delete()
    Organisation.objects.filter(
        pk__in=proposed, verified_at__isnull=True, requests__isnull=True
    ).delete()
    return count
