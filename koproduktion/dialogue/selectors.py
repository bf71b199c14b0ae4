"""Reads of the discussion: arguments side by side, and the threads page by page.

A page of the discussion costs the same however long the discussion is: a page of threads, each
with its first ``REPLIES_SHOWN`` replies, and the rest of a thread ``REPLIES_PER_PAGE`` at a time
(``thread_replies``), each read with one indexed query by the replies' ``position``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_url

from .models import Comment, Stance

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 3
REPLIES_PER_PAGE = 50
ARGUMENTS_PER_SIDE = 5


@dataclass
class Arguments:
    pro: list[Comment]
    contra: list[Comment]


@dataclass(frozen=True)
class MoreReplies:
    """The replies of thread ``thread_id`` after position ``after`` that the page does not show."""

    thread_id: int
    after: int
    remaining: int


def arguments(*, idea: Idea) -> Arguments:
    """The latest visible pro and contra arguments (top-level comments), for the side-by-side view."""
    visible = Comment.objects.filter(idea=idea, depth=0, hidden_at__isnull=True).select_related(
        "author"
    )
    return Arguments(
        pro=list(visible.filter(stance=Stance.PRO).order_by("-created_at")[:ARGUMENTS_PER_SIDE]),
        contra=list(
            visible.filter(stance=Stance.CONTRA).order_by("-created_at")[:ARGUMENTS_PER_SIDE]
        ),
    )


def thread_page(*, idea: Idea, page_number: str | int | None) -> Page:
    """One page of threads: ``page.object_list`` is the comments in reading order.

    Each thread is its top-level comment followed by its first ``REPLIES_SHOWN`` replies (each
    reply directly followed by its own replies); the last comment of a thread with more replies
    carries ``more`` (``MoreReplies``), every other ``more = None``. Two queries for the page
    however long the threads are: the top-level comments, then the replies shown.
    """
    return thread_comments(thread_paginator(idea=idea).get_page(page_number))


def thread_paginator(*, idea: Idea) -> Paginator:
    """The pages of ``idea``'s threads (by their top-level comments, oldest first).

    Its pages tell their number and neighbours (a count) without reading a comment;
    ``thread_comments`` reads one.
    """
    top = (
        Comment.objects.filter(idea=idea, depth=0)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return Paginator(top, THREADS_PER_PAGE)


def thread_comments(page: Page) -> Page:
    """``page`` of ``thread_paginator`` with its comments read (see ``thread_page``)."""
    roots = list(page.object_list)
    replies: dict[int, list[Comment]] = defaultdict(list)
    if roots:
        for reply in (
            Comment.objects.filter(
                thread_id__in=[root.pk for root in roots],
                position__gt=0,
                position__lte=REPLIES_SHOWN,
            )
            .select_related("author")
            .order_by("thread_id", "position")
        ):
            replies[reply.thread_id].append(reply)
    comments: list[Comment] = []
    for root in roots:
        shown = replies.get(root.pk, [])
        root.more = root.reply_to = None
        comments.append(root)
        comments.extend(reading_order(shown, root_id=root.pk))
        _mark_more(comments[-1], root.pk, after=len(shown), total=root.reply_count)
    page.object_list = comments
    return page


def comment_list(*, idea: Idea) -> QuerySet[Comment]:
    """All comments of ``idea`` in the order written, read by the (idea, created_at) index."""
    return Comment.objects.filter(idea=idea).select_related("author").order_by("created_at", "id")


def thread_root(*, idea: Idea, thread_id: int) -> Comment:
    """The top-level comment ``thread_id`` of ``idea``; 404 for anything else."""
    try:
        return Comment.objects.select_related("author").get(idea=idea, pk=thread_id, depth=0)
    except Comment.DoesNotExist as missing:
        raise Http404 from missing


def replies_page_end(after: int) -> int:
    """The last position shown on the replies page that starts after ``after``.

    Pages end at multiples of ``REPLIES_PER_PAGE``, wherever they start, so that the idea page's
    "more replies" (after ``REPLIES_SHOWN``) and the thread's own pages lead to the same pages.
    """
    return (after // REPLIES_PER_PAGE + 1) * REPLIES_PER_PAGE


def replies_page_start(position: int) -> int:
    """The ``after`` of the replies page that shows the reply at ``position``."""
    return (position - 1) // REPLIES_PER_PAGE * REPLIES_PER_PAGE


def is_replies_page_start(after: int, *, root: Comment) -> bool:
    """Whether the pages link to the replies after ``after`` (``?ab=``) in ``root``'s thread."""
    linked = after == REPLIES_SHOWN or (after > 0 and after % REPLIES_PER_PAGE == 0)
    return linked and after < root.reply_count


def thread_replies(*, root: Comment, after: int) -> list[Comment]:
    """The replies of ``root``'s thread after position ``after``, one page of them.

    In reading order as far as the page goes; a reply whose parent is on an earlier page starts
    its branch again and carries ``reply_to`` (the parent's id, else None). The last carries
    ``more`` when the thread goes on. One query, however long the thread.
    """
    end = replies_page_end(after)
    replies = list(
        Comment.objects.filter(thread_id=root.pk, position__gt=after, position__lte=end)
        .select_related("author")
        .order_by("position")
    )
    comments = list(reading_order(replies, root_id=root.pk))
    if comments:
        _mark_more(comments[-1], root.pk, after=end, total=root.reply_count)
    return comments


def _mark_more(last: Comment, thread_id: int, *, after: int, total: int) -> None:
    last.more = MoreReplies(thread_id, after, total - after) if total > after else None


def reading_order(replies: Iterable[Comment], *, root_id: int | None = None) -> Iterator[Comment]:
    """``replies`` with each reply directly followed by its own replies, oldest first.

    Every comment gets ``more = None`` (the caller marks the last) and ``reply_to``: its
    parent's id where the parent is neither among ``replies`` nor the thread's top (``root_id``).
    """
    replies = list(replies)
    ids = {reply.pk for reply in replies}
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for reply in replies:
        reply.more = None
        known = reply.parent_id in ids
        reply.reply_to = None if known or reply.parent_id == root_id else reply.parent_id
        children[reply.parent_id if known else None].append(reply)
    stack = list(reversed(children[None]))
    while stack:
        reply = stack.pop()
        yield reply
        stack.extend(reversed(children.get(reply.pk, [])))


def comment_url(comment: Comment) -> str:
    """Where ``comment`` is read: a top-level comment on its page of the idea's discussion, a
    reply on its page of its thread, with the comment's anchor."""
    idea = comment.idea
    if comment.depth == 0:
        earlier = (
            Comment.objects.filter(idea_id=comment.idea_id, depth=0)
            .filter(
                Q(created_at__lt=comment.created_at)
                | Q(created_at=comment.created_at, pk__lt=comment.pk)
            )
            .count()
        )
        page = earlier // THREADS_PER_PAGE + 1
        query = f"?seite={page}" if page > 1 else ""
        return f"{idea_url(idea)}{query}#kommentar-{comment.pk}"
    after = replies_page_start(comment.position)
    query = f"?ab={after}" if after else ""
    return f"{thread_url(idea, comment.thread_id)}{query}#kommentar-{comment.pk}"


def thread_url(idea: Idea, thread_id: int) -> str:
    project = idea.project
    return reverse(
        "ideas:thread", args=[project.municipality.slug, project.slug, idea.pk, thread_id]
    )
