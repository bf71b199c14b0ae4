"""Background work of the accounts app: e-mails go out through Django's tasks interface."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from koproduktion.core.audit import person_label
from koproduktion.core.roles import Role
from koproduktion.core.sealing import unseal


def _send(*, user_id: int, template: str, **context: str) -> None:
    from .models import User  # noqa: PLC0415 - tasks module is imported by services

    user = User.objects.get(pk=user_id)
    with translation.override(user.language):
        context = {"user": user, "site_name": settings.SITE_NAME, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(subject, body, None, [user.email])


@task()
def send_confirmation_email(*, user_id: int, confirm_url: str) -> None:
    _send(user_id=user_id, template="confirm", confirm_url=confirm_url)


@task()
def send_registration_attempt_email(*, user_id: int, reset_url: str) -> None:
    """Tell the owner of an address that someone tried to register with it."""
    _send(user_id=user_id, template="registration_attempt", reset_url=reset_url)


# Salt of the key that seals an invitation's link for the task queue (``core.sealing``).
INVITATION_SEAL = "koproduktion.accounts.invitation"


@task()
def send_invitation_email(
    *, invitation_id: int, sealed_token: str, base_url: str, language: str
) -> None:
    """Mail an invitation's link; nothing when it was withdrawn, accepted or sent anew meanwhile.

    In the language of the address's account if it has one, else in the inviting admin's.
    """
    from .models import Invitation, User  # noqa: PLC0415 - tasks module is imported by services
    from .services import secret_hash  # noqa: PLC0415
    from .services.invitations import invitation_url  # noqa: PLC0415

    invitation = (
        Invitation.objects.select_related("municipality", "created_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, withdrawn_at__isnull=True)
        .first()
    )
    token = unseal(
        base64.b64decode(sealed_token),
        salt=INVITATION_SEAL,
        label="token",
        context=str(invitation_id).encode(),
    ).plain.decode()
    if invitation is None or secret_hash(token) != invitation.token_hash:
        return
    owner = User.objects.filter(email__iexact=invitation.email).first()
    departments = [str(department) for department in invitation.departments.all()]
    with translation.override(owner.language if owner else language):
        context = {
            "site_name": settings.SITE_NAME,
            "municipality": invitation.municipality.name,
            "inviter": person_label(invitation.created_by) if invitation.created_by else "",
            "roles": ", ".join(str(Role(role).label) for role in invitation.roles),
            "departments": ", ".join(departments),
            "url": invitation_url(base_url=base_url, token=token),
            "expires_at": timezone.localtime(invitation.expires_at),
            "has_account": owner is not None,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
