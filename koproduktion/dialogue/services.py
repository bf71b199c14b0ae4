"""Writes of comments: the discussion of an idea, and the administration's official answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import any_of, audited, keyword_differs
from koproduktion.core.markdown import render_markdown
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.readability import readability_refusal
from koproduktion.ideas.models import Idea, Source
from koproduktion.ideas.versions import Shown, content_changed
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import follow, followers, notify
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason
from koproduktion.routing.services import assignment_route_comment
from koproduktion.search.written import note_written

from .models import MAX_DEPTH, Comment, Stance
from .selectors import comment_url


@transaction.atomic
@audited(
    gettext_lazy("Offizielle Antwort oder Kommentar im Auftrag"),
    when=any_of(keyword_differs("official", False), keyword_differs("source", Source.ONLINE)),
)
def comment_create(
    *,
    actor: Any,
    idea: Idea,
    text: str,
    stance: Stance = Stance.NEUTRAL,
    parent: Comment | None = None,
    official: bool = False,
    source: Source = Source.ONLINE,
    contributor_name: str = "",
    ip: str | None = None,
) -> Comment:
    """Comment on ``idea`` (or reply to ``parent``) as ``actor``.

    ``official`` marks an answer given for the administration; ``source`` other than online
    records a comment gathered offline, without an author account.
    """
    on_behalf = source != Source.ONLINE
    if on_behalf:
        require(
            "ideas.can_record_on_behalf",
            actor,
            idea.project,
            _("Nur die Verwaltung kann Beiträge im Auftrag erfassen, und nur in der Dialogphase."),
        )
    else:
        reason = refusal_reason(actor, idea.project, Capability.CONTRIBUTE)
        if reason:
            raise PermissionDenied(reason)
        require(
            "dialogue.can_comment",
            actor,
            idea,
            _("Diese Idee wurde zurückgezogen oder ausgeblendet; Kommentare sind geschlossen."),
        )
    if official:
        require(
            "dialogue.can_answer_officially",
            actor,
            idea,
            _("Offizielle Antworten gibt die Verwaltung der Kommune."),
        )
    if parent is not None and parent.idea_id != idea.pk:
        raise ValidationError(_("Die Antwort gehört zu einer anderen Idee."))
    check_rate(action="comment", user=actor, ip=ip or "")
    text = text.strip()
    if official:
        refusal = readability_refusal(idea.project.municipality.min_readability, {"text": text})
        if refusal is not None:
            raise refusal
    comment = Comment(
        municipality_id=idea.municipality_id,
        project_id=idea.project_id,
        idea=idea,
        parent=parent,
        thread_id=parent.thread_id if parent else None,
        depth=min(parent.depth + 1, MAX_DEPTH) if parent else 0,
        author=None if on_behalf else actor,
        recorded_by=actor if on_behalf else None,
        source=source,
        contributor_name=contributor_name.strip() if on_behalf else "",
        stance=stance,
        text=text,
        text_html=render_markdown(text),
        is_official=official,
    )
    comment.full_clean(exclude=["thread"])
    if parent is not None:
        comment.position = _next_position(thread_id=parent.thread_id)
    comment.save()
    if comment.thread_id is None:
        comment.thread_id = comment.pk
        comment.save(update_fields=["thread"])
    assignment_route_comment(comment=comment)
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    idea.comment_count += 1
    # The idea's pages and its count in the lists; no other idea's page, nor the project's.
    content_changed(idea=idea, shown=Shown.IDEA | Shown.COUNTS)
    note_written(actor)
    _tell_people(actor=actor, idea=idea, comment=comment)
    if not on_behalf:
        follow(user=actor, idea=idea)
    return comment


def _next_position(*, thread_id: int) -> int:
    """Count the new reply in its thread and return its position there.

    The counter's update locks the thread's top-level comment until the transaction ends, so two
    replies at once get one position each (and the database refuses a second of the same).
    """
    threads = Comment.objects.filter(pk=thread_id)
    threads.update(reply_count=F("reply_count") + 1)
    return threads.values_list("reply_count", flat=True).get()


def _tell_people(*, actor: Any, idea: Idea, comment: Comment) -> None:
    url = comment_url(comment)
    if comment.is_official:
        notify(
            user_ids=followers(idea=idea) | ({idea.author_id} if idea.author_id else set()),
            municipality_id=idea.municipality_id,
            kind=Kind.OFFICIAL_ANSWER,
            message=lambda: _("Offizielle Antwort zu „%(title)s“") % {"title": idea.title},
            url=url,
            idea=idea,
            comment=comment,
            exclude=[actor.pk],
        )
        return
    replied_to = (
        {comment.parent.author_id} if comment.parent and comment.parent.author_id else set()
    )
    if idea.author_id:
        replied_to.add(idea.author_id)
    notify(
        user_ids=replied_to,
        municipality_id=idea.municipality_id,
        kind=Kind.REPLY,
        message=lambda: (
            _("%(name)s hat auf „%(title)s“ geantwortet")
            % {"name": comment.byline, "title": idea.title}
        ),
        url=url,
        idea=idea,
        comment=comment,
        exclude=[actor.pk],
    )
