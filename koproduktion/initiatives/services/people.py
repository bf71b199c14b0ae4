"""Who stands behind an initiative: supporters and co-initiators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify

from ..models import (
    Initiative,
    Initiator,
    Supporter,
)
from ..rules import forget_initiators, initiator_ids
from .common import INITIATORS_ONLY, _changed, initiative_url

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


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
