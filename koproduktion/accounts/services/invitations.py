"""Invitations to a town's roles, by e-mail: sent, sent again, withdrawn, accepted.

The link's key is 256 random bits; only its SHA-256 hash is stored. It is handed to the mail task
sealed (``core.sealing``, under a key derived from SECRET_KEY), so neither the invitations' table
nor the task queue holds a usable link. A link works once, until the invitation expires, and not
after it was withdrawn or sent again.

Against mail bombing, every mail counts for the admin and their client address (``invitation``)
and for the mailbox (``mailbox``, shared with registration and password reset). What an
invitation tells the admin about an address is no more than the roles page shows anyway: the mail
goes out whether or not the address has an account.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import Department, Municipality
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.roles import Role
from koproduktion.core.sealing import seal
from koproduktion.core.services import membership_grant, role_choice_check, roles_held_refusal

from ..models import Invitation, User
from ..tasks import INVITATION_SEAL, send_invitation_email
from .registration import account_save, normalise_email, secret_hash


def _require_role_management(actor: User, municipality: Municipality) -> None:
    require(
        "core.can_manage_roles",
        actor,
        municipality,
        _("Einladungen verschicken nur die Admins der Kommune."),
    )


def invitation_url(*, base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:invitation", args=[token])


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = secret_hash(token)
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(seconds=settings.INVITATION_MAX_AGE)
    return token


def _mail(*, invitation: Invitation, token: str, base_url: str, language: str) -> None:
    """Send the link when the transaction commits, sealed for the task queue."""
    sealed = seal(
        token.encode(), salt=INVITATION_SEAL, label="token", context=str(invitation.pk).encode()
    )
    arguments = {
        "invitation_id": invitation.pk,
        "sealed_token": base64.b64encode(sealed).decode(),
        "base_url": base_url,
        "language": language,
    }
    transaction.on_commit(lambda: send_invitation_email.enqueue(**arguments))


def _count_mail(*, actor: User, email: str, ip: str) -> None:
    check_rate(action="invitation", user=actor, ip=ip)
    check_rate(action="mailbox", user=None, ip="", subject=email)


@transaction.atomic
@audited(gettext_lazy("Einladung verschickt"), fields=["roles", "departments", "expires_at"])
def invitation_create(
    *,
    actor: User,
    municipality: Municipality,
    email: str,
    roles: Iterable[str],
    departments: Iterable[Department],
    base_url: str,
    ip: str,
    language: str,
) -> Invitation:
    """Invite ``email`` to take on ``roles`` in ``municipality`` (staff: in ``departments``).

    Refuses, by field, what the roles page shows anyway: roles the address's account holds here
    already, an invitation to the address that is still open. One that expired unaccepted is
    closed and replaced. Raises RateLimited past the limits; sends the mail after the commit.
    """
    _require_role_management(actor, municipality)
    chosen, departments = role_choice_check(
        municipality=municipality, roles=roles, departments=departments
    )
    email = normalise_email(email)
    refused = roles_held_refusal(
        municipality=municipality,
        user=User.objects.filter(email=email, deleted_at__isnull=True).first(),
        roles=chosen,
    )
    if refused is not None:
        raise refused
    waiting = (
        Invitation.objects.select_for_update()
        .filter(municipality=municipality, email=email, accepted_at__isnull=True)
        .filter(withdrawn_at__isnull=True)
        .first()
    )
    if waiting is not None and not waiting.is_expired():
        raise ValidationError(
            {
                "email": _(
                    "An diese Adresse ist schon eine Einladung unterwegs (gültig bis %(until)s). "
                    "Unter „Offene Einladungen“ senden Sie sie erneut oder ziehen sie zurück."
                )
                % {
                    "until": formats.date_format(
                        timezone.localtime(waiting.expires_at), "DATE_FORMAT"
                    )
                }
            }
        )
    _count_mail(actor=actor, email=email, ip=ip)
    if waiting is not None:
        Invitation.objects.filter(pk=waiting.pk).update(withdrawn_at=timezone.now())
    invitation = Invitation(
        municipality=municipality,
        email=email,
        roles=[role.value for role in chosen],
        created_by=actor,
    )
    token = _new_token(invitation)
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as twice:
        # Another admin invited the address at the same moment.
        raise ValidationError(
            {"email": _("An diese Adresse ist eben eine Einladung verschickt worden.")}
        ) from twice
    invitation.departments.set(departments)
    _mail(invitation=invitation, token=token, base_url=base_url, language=language)
    return invitation


def _open_invitation(actor: User, invitation: Invitation) -> Invitation:
    """``invitation`` locked and still open, for one of its town's admins."""
    _require_role_management(actor, invitation.municipality)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("Diese Einladung ist schon angenommen oder zurückgezogen."))
    return locked


@transaction.atomic
@audited(gettext_lazy("Einladung erneut verschickt"), target="invitation", fields=["expires_at"])
def invitation_resend(
    *, actor: User, invitation: Invitation, base_url: str, ip: str, language: str
) -> Invitation:
    """Send the invitation again with a new link; the old link stops working. Raises
    RateLimited past the limits (the same as a new invitation)."""
    locked = _open_invitation(actor, invitation)
    _count_mail(actor=actor, email=locked.email, ip=ip)
    token = _new_token(locked)
    locked.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _mail(invitation=locked, token=token, base_url=base_url, language=language)
    return locked


@transaction.atomic
@audited(gettext_lazy("Einladung zurückgezogen"), target="invitation", fields=["withdrawn_at"])
def invitation_withdraw(*, actor: User, invitation: Invitation) -> Invitation:
    """The link stops working; the address can be invited again."""
    locked = _open_invitation(actor, invitation)
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    return locked


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why the link of ``invitation`` (None: a link of no invitation) does not work, or None."""
    if invitation is None:
        return _("Dieser Einladungslink ist ungültig. Vielleicht wurde er erneut verschickt?")
    if invitation.accepted_at is not None:
        return _("Diese Einladung ist schon angenommen worden. Melden Sie sich einfach an.")
    if invitation.withdrawn_at is not None:
        return _("Diese Einladung wurde zurückgezogen.")
    if invitation.is_expired():
        return _(
            "Diese Einladung ist abgelaufen. Bitten Sie die Admins der Kommune, sie erneut zu "
            "senden."
        )
    return None


def _locked_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("municipality")
        .filter(token_hash=secret_hash(token))
        .first()
    )
    refusal = invitation_refusal(invitation)
    if refusal is not None:
        raise ValidationError(refusal, code="invalid")
    return invitation  # type: ignore[return-value]


@transaction.atomic
@audited(gettext_lazy("Einladung angenommen"), fields=["accepted_at", "accepted_by"])
def invitation_accept(*, actor: User, token: str) -> Invitation:
    """The person logged in as the invited address takes on the invitation's roles.

    The link works once: the invitation's row is locked and marked accepted in the same
    transaction as the roles are given.
    """
    invitation = _locked_by_token(token)
    if not actor.is_active or actor.email.lower() != invitation.email:
        raise PermissionDenied(
            _(
                "Diese Einladung gilt für eine andere E-Mail-Adresse als die Ihres Kontos. "
                "Melden Sie sich mit dem Konto dieser Adresse an."
            )
        )
    departments = list(invitation.departments.all())
    for role in invitation.roles:
        membership_grant(
            user=actor,
            municipality=invitation.municipality,
            role=Role(role),
            departments=departments if role == Role.STAFF else None,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


@transaction.atomic
def invitation_register(*, token: str, public_name: str, password: str, language: str) -> User:
    """A new account for the invited address, confirmed by the link itself, with the roles.

    Raises ValidationError when the link does not work, or when the address got an account
    meanwhile (then the person logs in and accepts).
    """
    invitation = _locked_by_token(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("Unter dieser Adresse gibt es schon ein Konto. Melden Sie sich an."), code="taken"
        )
    try:
        user = account_save(
            email=invitation.email,
            public_name=public_name,
            password=password,
            language=language,
            confirmed=True,
        )
    except IntegrityError as taken:
        raise ValidationError(
            _("Unter dieser Adresse gibt es schon ein Konto. Melden Sie sich an.")
        ) from taken
    invitation_accept(actor=user, token=token)
    return user


@transaction.atomic
def invitations_forget(*, user: User) -> int:
    """The invitations ``user`` accepted or that wait for their address (account deletion)."""
    deleted, _by_model = Invitation.objects.filter(
        models.Q(accepted_by=user) | models.Q(email__iexact=user.email)
    ).delete()
    return deleted


@transaction.atomic
def invitations_expired_delete(*, now: datetime.datetime | None = None) -> int:
    """Invitations never accepted, withdrawn or expired more than
    RETENTION_DAYS_UNCONFIRMED_ACCOUNT days ago: the address of someone who did not join."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.RETENTION_DAYS_UNCONFIRMED_ACCOUNT
    )
    deleted, _by_model = (
        Invitation.objects.filter(accepted_at__isnull=True)
        .filter(models.Q(withdrawn_at__lt=cutoff) | models.Q(expires_at__lt=cutoff))
        .delete()
    )
    return deleted
