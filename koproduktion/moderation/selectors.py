"""Reads for moderation: the queue of open reports and the log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from koproduktion.accounts.models import User
from koproduktion.core.kept import Kept
from koproduktion.core.models import Block, Membership, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.rules import municipality_ids_with_role
from koproduktion.core.selectors import Workspace, workspaces_with_counts
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea

from .models import CommunityRules, ModerationAction, Report

# The towns' rules a process keeps, per town and version of the town (which setting the rules
# raises), for a minute at most.
_rules: Kept[tuple[int, int], CommunityRules | None] = Kept(256, 60)


def community_rules_for(municipality: Municipality) -> CommunityRules | None:
    """The town's community rules, under every comment form: kept per version of the town."""
    return _rules.get_or_make(
        (municipality.pk, municipality.content_version),
        lambda: CommunityRules.objects.filter(municipality=municipality).first(),
    )


@dataclass
class QueueItem:
    """One reported contribution: an idea, or a comment (then ``idea`` is None)."""

    idea: Idea | None
    comment: Comment | None
    reports: int
    first_reported_at: datetime.datetime
    reasons: list[str]

    @property
    def target(self) -> Idea | Comment:
        return self.idea if self.idea is not None else self.comment  # type: ignore[return-value]

    @property
    def kind(self) -> str:
        """The contribution's name in the moderation URLs."""
        return "idee" if self.idea is not None else "kommentar"

    @property
    def idea_in_context(self) -> Idea:
        """The idea whose page shows the contribution."""
        return self.idea if self.idea is not None else self.comment.idea  # type: ignore[union-attr]


def people_of(municipality: Municipality) -> QuerySet[User]:
    """The people a municipality's moderators may act on: those holding a role there, and those
    who contributed or were blocked there. Everyone else on the platform is not theirs to see."""

    def there(model: type[Any], field: str = "user") -> Exists:
        return Exists(model.objects.filter(municipality=municipality, **{field: OuterRef("pk")}))

    return get_user_model().objects.filter(
        Q(there(Membership))
        | Q(there(Block))
        | Q(there(Idea, "author"))
        | Q(there(Comment, "author"))
    )


def moderation_person_get(*, municipality: Municipality, user_id: int) -> User | None:
    """What the moderation's person page needs: the public name, not the address."""
    return (
        people_of(municipality).filter(pk=user_id).only("pk", "public_name", "deleted_at").first()
    )


def report_queue(*, municipality: Municipality) -> list[QueueItem]:
    """Open reports grouped by contribution, oldest first: one row per reported contribution."""
    open_reports = Report.objects.filter(municipality=municipality, resolved_at__isnull=True)
    grouped = (
        open_reports.values("idea_id", "comment_id")
        .annotate(reports=Count("pk"), first=Min("created_at"))
        .order_by("first")[:200]
    )
    rows = list(grouped)

    ideas = Idea.objects.select_related("author", "project").in_bulk(
        [r["idea_id"] for r in rows if r["idea_id"]]
    )
    comments = Comment.objects.select_related("author", "idea__project").in_bulk(
        [r["comment_id"] for r in rows if r["comment_id"]]
    )
    reasons: dict[tuple[int | None, int | None], list[str]] = {}
    for report in open_reports.only("idea_id", "comment_id", "reason", "explanation"):
        text = str(report.get_reason_display())
        if report.explanation:
            text += f": {report.explanation}"
        reasons.setdefault((report.idea_id, report.comment_id), []).append(text)
    return [
        QueueItem(
            idea=ideas.get(row["idea_id"]),
            comment=comments.get(row["comment_id"]),
            reports=row["reports"],
            first_reported_at=row["first"],
            reasons=reasons.get((row["idea_id"], row["comment_id"]), []),
        )
        for row in rows
    ]


def moderation_log(*, municipality: Municipality) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(municipality=municipality).select_related(
        "moderator", "target_user", "idea", "comment"
    )


def queue_counts(*, user: Any) -> list[Workspace]:
    """The moderation queues of the towns where ``user`` moderates, with the number of reported
    contributions waiting in each; one query, none for people who moderate nowhere."""
    towns = municipality_ids_with_role(user, frozenset({Role.MODERATOR, Role.ADMIN}))
    if not towns:
        return []
    # A report names an idea or a comment, never both: the two distinct counts add up.
    waiting = (
        Report.objects.filter(municipality=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("municipality")
        .annotate(count=Count("idea_id", distinct=True) + Count("comment_id", distinct=True))
        .values("count")
    )
    return workspaces_with_counts(municipality_ids=towns, waiting=waiting)
