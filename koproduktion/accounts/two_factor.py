"""Writes of two-factor log-in: turning it on and off, recovery codes, the code at log-in.

A code from the app is accepted once (``TwoFactorDevice.last_used_step``), a recovery code once
(``RecoveryCode.used_at``); both through conditional UPDATEs, so two requests with the same code
at the same moment cannot both get in. Wrong codes lock like wrong passwords (``ratelimit``).

The app's secret is stored sealed (``core.sealing``, a key derived from SECRET_KEY and the
person's id): the database, its backups and whoever reads them never see it. A secret opened with
a key of SECRET_KEY_FALLBACKS is sealed again under SECRET_KEY at that log-in.
"""

from __future__ import annotations

import logging
import secrets
import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.core import sealing
from koproduktion.core.ratelimit import lockout_attempt, lockout_success
from koproduktion.core.rules import forget_roles

from . import totp
from .authentication import password_confirm
from .models import RecoveryCode, TwoFactorDevice, User
from .services import secret_hash

logger = logging.getLogger(__name__)

RECOVERY_CODES = 10
# Lower-case letters and digits without the ones people confuse (0/o, 1/l/i): 31 signs, 16 of
# them make about 79 bits, far beyond guessing; written in groups of four.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 16


_SALT = "koproduktion.accounts.two_factor"


def _sealing_place(user_id: int, purpose: str) -> dict[str, object]:
    return {
        "salt": _SALT,
        "label": f"{purpose}:{user_id}",
        "context": f"koproduktion two-factor {purpose} of {user_id}".encode(),
    }


def secret_seal(*, user_id: int, secret: str, purpose: str = "device") -> bytes:
    """The app's secret of ``user_id`` as the database (or the session, ``purpose="setup"``)
    keeps it: sealed, and opening only for that person and purpose."""
    return sealing.seal(secret.encode("ascii"), **_sealing_place(user_id, purpose))  # type: ignore[arg-type]


def secret_open(
    *, user_id: int, sealed: bytes | memoryview, purpose: str = "device"
) -> tuple[str, bool]:
    """The secret ``secret_seal`` sealed, and whether a key of SECRET_KEY_FALLBACKS opened it
    (then seal it again); raises ``sealing.Unreadable``."""
    opened = sealing.unseal(sealed, **_sealing_place(user_id, purpose))  # type: ignore[arg-type]
    return opened.plain.decode("ascii"), opened.stale


def _normalised_recovery_code(code: str) -> str:
    return "".join(sign for sign in code.lower() if sign.isalnum())


def _new_recovery_code() -> str:
    plain = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(plain[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def _now() -> float:
    # One place to read the time for codes, so that tests can move it.
    return time.time()


def _replace_recovery_codes(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=secret_hash(_normalised_recovery_code(code)))
        for code in codes
    )
    return codes


def _forget_two_factor(user: User) -> None:
    # The related object (or its absence) is cached on the user; the roles depend on it too.
    user._state.fields_cache.pop("two_factor", None)
    forget_roles(user)


def two_factor_enable(*, user: User, secret: str, code: str, password: str, ip: str) -> list[str]:
    """Turn two-factor log-in on with the app that shows ``code`` for ``secret``.

    Returns the recovery codes in plain text: show them once; only their hashes are kept.
    The code used here cannot be used again to log in. The password is checked before the
    transaction, so a wrong one stays counted (``password_confirm``).
    """
    if TwoFactorDevice.objects.filter(user=user).exists():
        raise ValidationError(_("Die Zwei-Faktor-Anmeldung ist schon eingeschaltet."), code="on")
    password_confirm(user=user, password=password, ip=ip)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TwoFactorDevice.objects.filter(user=user).exists():
            raise ValidationError(
                _("Die Zwei-Faktor-Anmeldung ist schon eingeschaltet."), code="on"
            )
        step = totp.matching_step(secret, code, at=_now())
        if step is None:
            raise ValidationError(
                {
                    "code": _(
                        "Dieser Code passt nicht. Geben Sie die sechs Ziffern ein, die Ihre App "
                        "gerade anzeigt; stimmt die Uhr Ihres Telefons?"
                    )
                },
                code="wrong_code",
            )
        TwoFactorDevice.objects.create(
            user=user,
            sealed_secret=secret_seal(user_id=user.pk, secret=secret),
            last_used_step=step,
        )
        codes = _replace_recovery_codes(user=user)
    _forget_two_factor(user)
    return codes


def two_factor_disable(*, user: User, password: str, ip: str) -> None:
    """Turn two-factor log-in off; its secret and the recovery codes are deleted."""
    password_confirm(user=user, password=password, ip=ip)
    two_factor_forget(user=user)


@transaction.atomic
def two_factor_forget(*, user: User) -> None:
    """Delete the secret and the recovery codes of ``user`` (turning off, account deletion)."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    _forget_two_factor(user)


def recovery_codes_regenerate(*, user: User, password: str, ip: str) -> list[str]:
    """New recovery codes in place of all old ones (used or not); returned in plain text once."""
    password_confirm(user=user, password=password, ip=ip)
    with transaction.atomic():
        if not TwoFactorDevice.objects.filter(user=user).exists():
            raise ValidationError(
                _("Die Zwei-Faktor-Anmeldung ist nicht eingeschaltet."), code="off"
            )
        return _replace_recovery_codes(user=user)


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _accept_app_code(*, user: User, code: str) -> bool:
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:
        return False
    try:
        secret, stale = secret_open(user_id=user.pk, sealed=device.sealed_secret)
    except sealing.Unreadable:
        # SECRET_KEY changed without the old key in SECRET_KEY_FALLBACKS: recovery codes
        # still get the person in, and they can set the app up again.
        logger.error("The two-factor secret of user %s opens with no key.", user.pk)
        return False
    step = totp.matching_step(secret, code, at=_now(), after=device.last_used_step)
    if step is None:
        return False
    changes: dict[str, object] = {"last_used_step": step}
    if stale:
        changes["sealed_secret"] = secret_seal(user_id=user.pk, secret=secret)
    # Of two requests with the same code, only the first moves the step on.
    return bool(
        TwoFactorDevice.objects.filter(user=user, last_used_step__lt=step).update(**changes)
    )


def _accept_recovery_code(*, user: User, code: str) -> bool:
    digest = secret_hash(_normalised_recovery_code(code))
    return bool(
        RecoveryCode.objects.filter(user=user, code_hash=digest, used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def two_factor_verify(*, user: User, code: str, ip: str) -> str:
    """Accept the second step of a log-in: a code from the app or an unused recovery code.

    Returns ``"app"`` or ``"recovery"``; raises ``ratelimit.LockedOut`` after too many wrong
    codes (for the account, from any address, and for the address), ValidationError for a wrong
    code. A code is accepted once.
    """
    lockout_attempt(action="two_factor", account=f"user:{user.pk}", ip=ip)
    digits = "".join(code.split())
    if digits.isdigit():
        accepted = "app" if _accept_app_code(user=user, code=digits) else ""
    else:
        accepted = "recovery" if _accept_recovery_code(user=user, code=code) else ""
    if not accepted:
        raise ValidationError(
            _(
                "Dieser Code passt nicht oder wurde schon benutzt. Geben Sie den aktuellen Code "
                "aus Ihrer App oder einen unbenutzten Wiederherstellungscode ein."
            ),
            code="wrong_code",
        )
    lockout_success(action="two_factor", account=f"user:{user.pk}", ip=ip)
    return accepted
