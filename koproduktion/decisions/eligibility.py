"""Who may vote in a poll, and why not: one function that names the step that fails."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason

from .models import Poll, Verification, VerificationMethod

_CACHE = "_koproduktion_verifications"


def verification_of(user: Any, municipality_id: int) -> Verification | None:
    """The person's verification in the municipality; read once per request and person."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {v.municipality_id: v for v in Verification.objects.filter(user=user)}
        setattr(user, _CACHE, cached)
    return cached.get(municipality_id)


def forget_verification(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def vote_refusal(user: Any, poll: Poll) -> str | None:  # noqa: PLR0911 - one answer per step
    """Why ``user`` may not vote in ``poll``, or None when they may."""
    reason = refusal_reason(user, poll.project, Capability.VOTE)
    if reason:
        return reason
    now = timezone.now()
    if now < poll.opens_at:
        return _("Die Abstimmung beginnt am %(date)s.") % {
            "date": date_format(timezone.localtime(poll.opens_at), "SHORT_DATETIME_FORMAT")
        }
    if now >= poll.closes_at:
        return _("Die Abstimmung ist beendet.")
    needs_verification = poll.binding or poll.neighbourhood_id or poll.min_age
    if not needs_verification:
        return None
    verification = verification_of(user, poll.municipality_id)
    if verification is None:
        return _(
            "Für diese Abstimmung müssen Sie verifiziert sein: persönlich bei der Verwaltung oder "
            "mit dem Code, den wir Ihnen per Post schicken."
        )
    if poll.neighbourhood_id and verification.neighbourhood_id != poll.neighbourhood_id:
        return _("Abstimmen können nur Bewohner*innen des Quartiers %(name)s.") % {
            "name": poll.neighbourhood.name
        }
    if poll.min_age:
        # Only a birth date staff saw on an identity document counts; nobody declares their age.
        birth_date = (
            verification.birth_date if verification.method == VerificationMethod.IN_PERSON else None
        )
        if birth_date is None:
            return _(
                "Für diese Abstimmung muss die Verwaltung Ihr Alter prüfen: Bitte lassen Sie sich "
                "persönlich mit Ausweis verifizieren."
            )
        if age_on(birth_date, timezone.localdate()) < poll.min_age:
            return _("Abstimmen kann, wer mindestens %(age)d Jahre alt ist.") % {
                "age": poll.min_age
            }
    return None
