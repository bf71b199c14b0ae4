"""Writes of accounts: registration, confirmation, profile."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant

from .models import User
from .tasks import send_confirmation_email
from .tokens import confirmation_token, read_confirmation_token


def normalise_email(email: str) -> str:
    # Addresses are compared case-insensitively; the stored form is lower case.
    return email.strip().lower()


@transaction.atomic
def user_register(
    *,
    email: str,
    public_name: str,
    password: str,
    municipality: Municipality | None,
    language: str,
    base_url: str,
) -> User:
    """Create an unconfirmed account and send the confirmation link.

    ``base_url`` is scheme and host the link points to (e.g. ``https://beteiligung.example``).
    The person becomes a resident of ``municipality`` when one is given.
    """
    user = User(email=normalise_email(email), public_name=public_name.strip(), language=language)
    user.set_password(password)
    user.full_clean()
    user.save()
    if municipality is not None:
        membership_grant(user=user, municipality=municipality, role=Role.RESIDENT)
    confirmation_send(user=user, base_url=base_url)
    return user


def confirmation_send(*, user: User, base_url: str) -> None:
    token = confirmation_token(user_id=user.pk, email=user.email)
    confirm_url = base_url.rstrip("/") + reverse("accounts:confirm", args=[token])
    # Sent when the transaction commits, so a rolled-back registration sends nothing.
    transaction.on_commit(
        lambda: send_confirmation_email.enqueue(user_id=user.pk, confirm_url=confirm_url)
    )


@transaction.atomic
def user_confirm_email(*, token: str) -> User:
    """Mark the address in ``token`` confirmed; confirming twice is harmless."""
    try:
        user_id, email = read_confirmation_token(token)
    except signing.SignatureExpired as expired:
        raise ValidationError(
            _("Dieser Bestätigungslink ist abgelaufen. Fordern Sie einen neuen an."),
            code="expired",
        ) from expired
    except signing.BadSignature as bad:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig."), code="invalid") from bad
    user = User.objects.select_for_update().filter(pk=user_id, email=email).first()
    if user is None:
        raise ValidationError(_("Dieser Bestätigungslink ist ungültig."), code="invalid")
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
    return user
