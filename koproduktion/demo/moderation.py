"""The demo's moderation history: a few heated comments over the year, reported by neighbours
and hidden by the moderators with a public reason, one of their authors warned, one report
dismissed — and, from dialogue.py, two reports still waiting in the queue."""

from __future__ import annotations

import datetime
import random

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea
from koproduktion.moderation.models import ModerationAction, Report, ReportReason
from koproduktion.moderation.services import (
    contribution_hide,
    report_create,
    reports_dismiss,
    user_warn,
)

from .history import happened_at

# (what was written, why it was reported, the moderators' public reason)
HEATED = [
    (
        "Wer so etwas vorschlägt, war noch nie mit dem Auto unterwegs. Typisch Radfahrer-Lobby.",
        ReportReason.INSULT,
        "Herabsetzend gegenüber einer Gruppe (Regel 1). Kritik an der Idee ist willkommen.",
    ),
    (
        "Die Familie aus Nummer 12 parkt da jeden Tag, fragen Sie die mal!",
        ReportReason.PRIVACY,
        "Nennt Nachbarn, die sich hier nicht äußern können (Regel 4).",
    ),
    (
        "Kommt alle zu unserem Sommerfest, Getränke zum Sonderpreis bei Café Hafenblick!",
        ReportReason.SPAM,
        "Werbung gehört nicht in die Diskussion (Regel 3).",
    ),
]


def seed_moderation(municipality: Municipality, *, now: datetime.datetime) -> None:
    if ModerationAction.objects.filter(municipality=municipality).exists():
        return
    moderator = User.objects.get(email="moderation@musterstadt.example")
    rng = random.Random("moderation")  # noqa: S311 - demo data, reproducible
    ideas = list(
        Idea.objects.filter(
            municipality=municipality,
            project__slug="fahrradstrasse-hafenallee",
            author__isnull=False,
        ).order_by("created_at")[5:30]
    )
    people = list(
        User.objects.filter(email__startswith="bewohner-musterstadt-").order_by("email")[:60]
    )
    for number, (text, reason, moderators_reason) in enumerate(HEATED):
        idea = ideas[number * 7]
        written = idea.created_at + datetime.timedelta(days=2, hours=number)
        author, reporter = rng.sample(people, 2)
        with happened_at(written, (Comment, "created_at")):
            heated = comment_create(actor=author, idea=idea, stance=Stance.CONTRA, text=text)
        with happened_at(written + datetime.timedelta(hours=3), (Report, "created_at")):
            report_create(reporter=reporter, comment=heated, reason=reason)
        hidden = written + datetime.timedelta(hours=20)
        with happened_at(hidden, (ModerationAction, "created_at")):
            contribution_hide(moderator=moderator, comment=heated, reason=moderators_reason)
        Comment.objects.filter(pk=heated.pk).update(hidden_at=hidden)
        Report.objects.filter(comment=heated).update(resolved_at=hidden)
        if number == 0:
            with happened_at(hidden, (ModerationAction, "created_at")):
                user_warn(
                    moderator=moderator,
                    municipality=municipality,
                    user=author,
                    reason="Bitte bleiben Sie sachlich; beim nächsten Mal sperren wir Ihr Konto.",
                )
    # A report the moderators found unfounded: a sharp opinion is no breach of the rules.
    sharp = Comment.objects.filter(
        idea__in=ideas, stance=Stance.CONTRA, hidden_at__isnull=True
    ).first()
    if sharp is not None:
        reporter = next(p for p in people if p.pk != sharp.author_id)
        when = sharp.created_at + datetime.timedelta(hours=5)
        with happened_at(when, (Report, "created_at")):
            report_create(reporter=reporter, comment=sharp, reason=ReportReason.OTHER)
        dismissed = when + datetime.timedelta(hours=18)
        with happened_at(dismissed, (ModerationAction, "created_at")):
            reports_dismiss(
                moderator=moderator, comment=sharp, reason="Eine deutliche Meinung, aber sachlich."
            )
        Report.objects.filter(comment=sharp).update(resolved_at=dismissed)
