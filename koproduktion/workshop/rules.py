"""Who may use an event's workshop screen, and when.

The screen is the event's staff's (``events.can_record_ideas``: whoever may manage the event,
for events of a project); it opens shortly before the start and closes some hours after the end,
so that a tablet left logged in after the event records nothing more.
"""

from __future__ import annotations

import datetime
from typing import Any

import rules
from django.utils import timezone

OPENS_BEFORE = datetime.timedelta(hours=1)
CLOSES_AFTER = datetime.timedelta(hours=4)


def opens_at(event: Any) -> datetime.datetime:
    return event.starts_at - OPENS_BEFORE


def closes_at(event: Any) -> datetime.datetime:
    return event.ends_at + CLOSES_AFTER


@rules.predicate
def runs_the_event(user: Any, event: Any) -> bool:
    return rules.test_rule("events.can_record_ideas", user, event)


@rules.predicate
def screen_is_open(user: Any, event: Any) -> bool:
    return (
        event is not None
        and not event.is_cancelled
        and opens_at(event) <= timezone.now() <= closes_at(event)
    )


# May see the screen at all (outside its hours it says when it opens).
rules.add_rule("workshop.can_open", runs_the_event)
# May record ideas, votes and sign-ups through it now.
rules.add_rule("workshop.can_record", runs_the_event & screen_is_open)
