"""Reads of the discussion: arguments side by side, and the thread page by page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from koproduktion.ideas.models import Idea

from .models import Comment, Stance

THREADS_PER_PAGE = 20
ARGUMENTS_PER_SIDE = 5


@dataclass
class Arguments:
    pro: list[Comment]
    contra: list[Comment]


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
    """One page of top-level comments, each with all its replies (``comment.thread_replies``).

    Two queries for the page however long the threads are: the top-level comments, then every
    reply of those threads.
    """
    top = (
        Comment.objects.filter(idea=idea, depth=0)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    page = Paginator(top, THREADS_PER_PAGE).get_page(page_number)
    roots = list(page.object_list)
    children: dict[int, list[Comment]] = defaultdict(list)
    for reply in (
        Comment.objects.filter(thread_id__in=[c.pk for c in roots], depth__gt=0)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        children[reply.parent_id].append(reply)
    for root in roots:
        root.thread_replies = list(_depth_first(root.pk, children))
    page.object_list = roots
    return page


def _depth_first(parent_id: int, children: dict[int, list[Comment]]):
    """Replies in reading order: each reply directly followed by its own replies."""
    for child in children.get(parent_id, []):
        yield child
        yield from _depth_first(child.pk, children)
