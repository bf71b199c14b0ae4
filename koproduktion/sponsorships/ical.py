"""Sponsorships as iCalendar entries in a person's private feed ("Meine Zusagen"): the term
of each agreed sponsorship, as all-day dates from its start to its end."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from koproduktion.core.ical import Event as Entry
from koproduktion.core.ical import host

from .models import Sponsorship, SponsorshipStatus
from .services import object_url


def sponsorship_entries(sponsorships: Iterable[Sponsorship], *, base_url: str) -> list[Entry]:
    """``base_url``: scheme and host of the links (``core.links.site_url``)."""
    return [
        Entry(
            uid=f"sponsorship-{sponsorship.pk}@{host()}",
            summary=_("Patenschaft: %(name)s") % {"name": sponsorship.object.name},
            start=sponsorship.term_start,
            end=sponsorship.term_end + datetime.timedelta(days=1),
            location=sponsorship.object.address,
            description=sponsorship.duties,
            url=base_url + object_url(sponsorship.object),
        )
        for sponsorship in sponsorships
        if sponsorship.status == SponsorshipStatus.APPROVED
        and sponsorship.term_start
        and sponsorship.term_end
    ]
