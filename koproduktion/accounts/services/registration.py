"""Writes of accounts: registration, confirmation, password reset, consent, deletion."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from koproduktion.core.models import Municipality
from koproduktion.core.ratelimit import check_rate, lockout_clear
from koproduktion.core.roles import Role
from koproduktion.core.services import membership_grant

from ..models import User
from ..personal_data import registered
from ..tasks import send_confirmation_email, send_registration_attempt_email
from ..tokens import confirmation_token, read_confirmation_token


def secret_hash(plain: str) -> str:
    """SHA-256 of a random secret (API keys, recovery codes): too random for a salt or slow hash to matter."""
    return hashlib.sha256(plain.encode()).hexdigest()


def normalise_email(email: str) -> str:
    # Addresses are compared case-insensitively; the stored form is lower case.
    return email.strip().lower()


def mail_request_check(*, action: str, email: str, ip: str) -> None:
    """Count one request that makes the platform mail ``email``; raise RateLimited past a limit.

    Limited per client address (``action``) and per mailbox over every kind of request
    (``"mailbox"``), so nobody can have the platform flood a stranger's inbox. Counted alike
    whether or not an account has the address, so a refusal tells nothing about that either.
    """
    check_rate(action=action, user=None, ip=ip)
    check_rate(action="mailbox", user=None, ip="", subject=normalise_email(email))


def account_save(
    *, email: str, public_name: str, password: str, language: str, confirmed: bool = False
) -> User:
    """A new account, validated and saved; ``confirmed`` when a mailed link proved the address.

    Raises IntegrityError when the address got an account at the same moment (the caller's
    transaction stays usable). The privacy notice's version is the one the form showed:
    registering needs its tick.
    """
    now = timezone.now()
    user = User(
        email=email,
        public_name=public_name.strip(),
        language=language,
        email_confirmed_at=now if confirmed else None,
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        privacy_notice_accepted_at=now,
    )
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
    return user


@transaction.atomic
def user_register(
    *,
    email: str,
    public_name: str,
    password: str,
    municipality: Municipality | None,
    language: str,
    base_url: str,
    ip: str,
    next_path: str = "",
) -> User | None:
    """Create an unconfirmed account and send the confirmation link; None if the address is taken.

    ``base_url`` is scheme and host the links point to (e.g. ``https://beteiligung.example``);
    ``next_path``, a path on this site checked by the caller, is where the confirmation link
    leads after the log-in.
    The person becomes a resident of ``municipality`` when one is given. When an account already
    has the address, its owner gets a mail instead (with a link to set a new password) and nothing
    else changes. The caller answers both alike: both cost one password hash and one mail, so
    neither the page nor its timing tells who is registered. Raises RateLimited.
    """
    email = normalise_email(email)
    mail_request_check(action="register", email=email, ip=ip)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is None:
        try:
            user = account_save(
                email=email, public_name=public_name, password=password, language=language
            )
        except IntegrityError:
            # Registered by a request at the same moment, which sends its own mail.
            return None
        if municipality is not None:
            membership_grant(user=user, municipality=municipality, role=Role.RESIDENT)
        confirmation_send(user=user, base_url=base_url, next_path=next_path)
        return user
    make_password(password)  # the work the new account's password costs, for the same timing
    reset_url = base_url.rstrip("/") + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
            "token": default_token_generator.make_token(owner),
        },
    )
    transaction.on_commit(
        lambda: send_registration_attempt_email.enqueue(user_id=owner.pk, reset_url=reset_url)
    )
    return None


def confirmation_send(*, user: User, base_url: str, next_path: str = "") -> None:
    token = confirmation_token(user_id=user.pk, email=user.email)
    confirm_url = base_url.rstrip("/") + reverse("accounts:confirm", args=[token])
    if next_path.startswith("/"):
        confirm_url += "?" + urlencode({"next": next_path})
    # Sent when the transaction commits, so a rolled-back registration sends nothing.
    transaction.on_commit(
        lambda: send_confirmation_email.enqueue(user_id=user.pk, confirm_url=confirm_url)
    )


def confirmation_resend(*, email: str, base_url: str, ip: str) -> None:
    """Send a new confirmation link if an unconfirmed account has ``email``; raises RateLimited.

    The caller answers alike whether or not a mail went out.
    """
    mail_request_check(action="confirmation_resend", email=email, ip=ip)
    user = User.objects.filter(
        email__iexact=normalise_email(email), email_confirmed_at__isnull=True
    ).first()
    if user is not None:
        confirmation_send(user=user, base_url=base_url)


@transaction.atomic
def password_reset_completed(*, user: User) -> None:
    """After a new password was set through the mailed link: the mailbox is proven.

    So an unconfirmed address counts as confirmed (an owner told of a registration attempt gets
    in this way), and a lock from failed log-ins is lifted.
    """
    User.objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(
        email_confirmed_at=timezone.now()
    )
    lockout_clear(action="login", account=normalise_email(user.email))


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


def privacy_notice_outdated(user: User) -> bool:
    """Whether ``user`` accepted an earlier version of the privacy notice than the current one.

    Accounts made by operators (no version recorded) are not asked: they registered nothing.
    """
    return bool(user.privacy_notice_version) and (
        user.privacy_notice_version != settings.PRIVACY_NOTICE_VERSION
    )


@transaction.atomic
def privacy_notice_accept(*, user: User) -> User:
    """Record that ``user`` accepted the current version of the privacy notice, now."""
    user.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    user.privacy_notice_accepted_at = timezone.now()
    user.save(update_fields=["privacy_notice_version", "privacy_notice_accepted_at"])
    return user


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Delete the person's account: personal data goes at once, the row stays as a placeholder.

    Each app erases what it keeps about the person through its own services (declared in its
    ``privacy.py``, see ``accounts.personal_data``): supports and opinion-map answers are
    withdrawn with their counters, commitments that have not begun are cancelled and their places
    given back, sponsorships end, follows, inbox, verification, roles and API keys are deleted.
    Public contributions stay and show "deleted account". The user row is kept without name,
    address, password or rights, so that contributions and secret-ballot participations keep
    their reference; a participation counts once and cannot be cast again, and the ballot itself
    was never linked to anyone. Every session of the person stops working (their password hash,
    which sessions are checked against, is gone). Deleting twice changes nothing.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        return user
    for entry in registered():
        if entry.erase is not None:
            entry.erase(user)
    user.groups.clear()
    user.user_permissions.clear()
    # An address no one can register (no dot in the domain), unique by the row's id.
    user.email = f"deleted-{user.pk}@invalid"
    user.public_name = ""
    user.set_unusable_password()
    user.language = settings.LANGUAGE_CODE
    user.email_confirmed_at = None
    user.last_login = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.privacy_notice_version = ""
    user.privacy_notice_accepted_at = None
    user.deleted_at = timezone.now()
    user.save()
    return user
