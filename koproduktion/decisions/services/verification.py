"""Graded verification: e-mail confirmed (level 1, the account), verified in person by staff or
with a one-time code sent by post (level 2, a Verification row)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited, lookup
from koproduktion.core.models import Membership
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import lockout_attempt, lockout_success

from ..eligibility import forget_verification
from ..models import CodeBatch, Verification, VerificationCode, VerificationMethod

# Letters and digits that cannot be mistaken for one another when typed from a letter.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_CODES = 5000


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").upper().encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _upsert(
    *,
    user: Any,
    municipality: Any,
    method: VerificationMethod,
    neighbourhood: Any,
    birth_date: datetime.date | None,
    verified_by: Any,
) -> Verification:
    if neighbourhood is not None and neighbourhood.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Das Quartier gehört zu einer anderen Kommune.")})
    verification, _created = Verification.objects.update_or_create(
        user=user,
        municipality=municipality,
        defaults={
            "method": method,
            "neighbourhood": neighbourhood,
            "birth_date": birth_date,
            "verified_by": verified_by,
            "verified_at": timezone.now(),
        },
    )
    forget_verification(user)
    return verification


def _current(user: Any, municipality: Any) -> Verification | None:
    return (
        Verification.objects.select_for_update()
        .filter(user=user, municipality=municipality)
        .first()
    )


@transaction.atomic
@audited(
    gettext_lazy("Person verifiziert"),
    target=lookup(Verification, {"user": "user", "municipality": "municipality"}),
    fields=["user", "method", "neighbourhood", "birth_date"],
)
def verification_grant(
    *,
    actor: Any,
    user: Any,
    municipality: Any,
    neighbourhood: Any = None,
    birth_date: datetime.date | None = None,
) -> Verification:
    """Staff verified ``user`` in person (for example with an identity card at the town hall).

    Only here is a birth date recorded: a poll's minimum age relies on it. Renewing a verification
    without a birth date keeps the one staff checked before.
    """
    require(
        "decisions.can_verify",
        actor,
        municipality,
        _("Verifizieren kann die Verwaltung der Kommune."),
    )
    if not user.email_confirmed:
        raise ValidationError(_("Die Person hat ihre E-Mail-Adresse noch nicht bestätigt."))
    if not Membership.objects.filter(user=user, municipality=municipality).exists():
        raise ValidationError(_("Die Person hat in dieser Kommune keine Rolle."))
    if birth_date is not None and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("Das Geburtsdatum liegt in der Zukunft.")})
    current = _current(user, municipality)
    if birth_date is None and current is not None:
        birth_date = current.birth_date
    return _upsert(
        user=user,
        municipality=municipality,
        method=VerificationMethod.IN_PERSON,
        neighbourhood=neighbourhood,
        birth_date=birth_date,
        verified_by=actor,
    )


@transaction.atomic
@audited(
    gettext_lazy("Codes erzeugt"),
    result=lambda value: value[0],
    fields=["neighbourhood", "note", "codes"],
)
def code_batch_create(
    *, actor: Any, municipality: Any, count: int, neighbourhood: Any = None, note: str = ""
) -> tuple[CodeBatch, list[str]]:
    """Make ``count`` one-time codes; returns the plain codes, which are shown once for printing."""
    require(
        "decisions.can_verify", actor, municipality, _("Codes erzeugt die Verwaltung der Kommune.")
    )
    if neighbourhood is not None and neighbourhood.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Das Quartier gehört zu einer anderen Kommune.")})
    if not 1 <= count <= MAX_CODES:
        raise ValidationError(
            {"count": _("Bitte zwischen 1 und %(max)d Codes.") % {"max": MAX_CODES}}
        )
    batch = CodeBatch.objects.create(
        municipality=municipality, neighbourhood=neighbourhood, note=note, created_by=actor
    )
    codes = [_new_code() for _ in range(count)]
    VerificationCode.objects.bulk_create(
        VerificationCode(municipality=municipality, batch=batch, code_hash=_hash(code))
        for code in codes
    )
    return batch, codes


def code_redeem(*, user: Any, municipality: Any, code: str, ip: str = "") -> Verification:
    """Verify ``user`` with a code from a letter; the code's batch says the neighbourhood.

    A code proves an address, nothing more: it records no birth date, and it never replaces what
    staff verified in person. It only adds the neighbourhood where staff left it open; otherwise
    it is refused and stays unused, for another person of the household.

    Wrong codes lock the account (and the client address ``ip``) for a while, like wrong
    passwords: raises ``ratelimit.LockedOut`` then, so codes cannot be guessed. The attempt is
    counted before the transaction, so that a wrong code, which rolls it back, stays counted.
    """
    if not user.email_confirmed:
        raise ValidationError(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    lockout_attempt(action="verification_code", account=f"user:{user.pk}", ip=ip)
    with transaction.atomic():
        found = (
            VerificationCode.objects.select_for_update()
            .select_related("batch")
            .filter(municipality=municipality, code_hash=_hash(code))
            .first()
        )
        if found is None:
            raise ValidationError(
                {"code": _("Diesen Code kennen wir nicht. Bitte prüfen Sie die Eingabe.")}
            )
        if found.redeemed_at is not None:
            raise ValidationError({"code": _("Dieser Code wurde schon benutzt.")})
        current = _current(user, municipality)
        in_person = current is not None and current.method == VerificationMethod.IN_PERSON
        neighbourhood = found.batch.neighbourhood
        if in_person and (current.neighbourhood_id is not None or neighbourhood is None):
            raise ValidationError(
                {
                    "code": _(
                        "Die Verwaltung hat Sie bereits persönlich verifiziert; der Code ändert "
                        "daran nichts und bleibt unbenutzt. Wenn Sie umgezogen sind, wenden Sie "
                        "sich bitte an die Verwaltung."
                    )
                }
            )
        found.redeemed_by, found.redeemed_at = user, timezone.now()
        found.save(update_fields=["redeemed_by", "redeemed_at"])
        lockout_success(action="verification_code", account=f"user:{user.pk}", ip=ip)
        if in_person:
            current.neighbourhood = neighbourhood
            current.save(update_fields=["neighbourhood"])
            forget_verification(user)
            return current
        return _upsert(
            user=user,
            municipality=municipality,
            method=VerificationMethod.POSTAL_CODE,
            neighbourhood=neighbourhood,
            birth_date=None,
            verified_by=None,
        )


@transaction.atomic
def verifications_forget(*, user: Any) -> None:
    """Delete ``user``'s verifications, birth dates included (account deletion).

    A code they redeemed stays redeemed, so the letter cannot verify anyone else, but no longer
    names them. Their participations in polls are not touched here: they stay with the anonymous
    account, so the deleted person's vote still counts once and the secret ballots are unchanged.
    """
    Verification.objects.filter(user=user).delete()
    VerificationCode.objects.filter(redeemed_by=user).update(redeemed_by=None)
    forget_verification(user)
