"""The steps of a project's polls: voting until they close (``projects.next_steps``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.models import Project
from koproduktion.projects.next_steps import (
    Account,
    Step,
    open_for,
    project_args,
    step_provider,
)

from .eligibility import vote_refusal
from .models import Poll


def needs_verification(poll: Poll) -> bool:
    """Binding polls, a neighbourhood's polls and polls with a minimum age (``vote_refusal``)."""
    return bool(poll.binding or poll.neighbourhood_id or poll.min_age)


@step_provider
def poll_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """One query for the page: the polls that have not closed, soonest end first."""
    voting = open_for(projects, Capability.VOTE)
    if not voting:
        return
    now = timezone.now()
    polls = (
        Poll.objects.filter(project_id__in=voting, closes_at__gt=now)
        .select_related("neighbourhood")
        .order_by("closes_at", "pk")
    )
    for poll in polls:
        poll.project = project = voting[poll.project_id]
        yield (
            project.pk,
            Step(
                capability=Capability.VOTE,
                action=_("Abstimmen: „%(title)s“") % {"title": poll.title},
                url=reverse("project_decisions:poll", args=[*project_args(project), poll.pk]),
                login_action=_("Anmelden, um abzustimmen"),
                account=Account.VERIFIED if needs_verification(poll) else Account.REGISTERED,
                until=poll.closes_at,
                starts=poll.opens_at if poll.opens_at > now else None,
                refusal=vote_refusal(user, poll),
                account_help_url=reverse("decisions:verification", args=[project_args(project)[0]])
                if needs_verification(poll)
                else "",
            ),
        )
