"""What the pages of a discussion share, and what they fill in per person.

A page of an idea's discussion (its arguments and a page of threads) looks the same to everyone
who may do the same with it — comment or not, report or not — so it is rendered once per
version of the idea (``ideas.versions``), page, language and those permissions, and kept
(``core.page_cache.shared_part``): a page of 2,000 comments costs a logged-in person what a
short one costs. Moderators get it rendered, with their forms (and their form tokens) in it.
The one personal mark left, that nobody reports their own comment, is a hole filled per
response (``fill_report_links``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from koproduktion.core.page_cache import cached_count, fill_holes, kept_part, shared_part
from koproduktion.ideas.models import Idea
from koproduktion.ideas.versions import idea_page_key

from .forms import CommentForm
from .selectors import arguments, thread_comments, thread_paginator

HOLE = "report"


def fill_report_links(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``fill`` for ``cached_for_visitors``: no report link on the person's own comments."""
    own = str(request.user.pk) if request.user.is_authenticated else None
    return fill_holes(response, HOLE, lambda _authors: {own: ""} if own else {})


def thread_pages(*, idea: Idea, page_number: str | None) -> Page:
    """The page of ``idea``'s threads asked for, its comments not yet read.

    The number of threads is kept with the idea's version, so telling the page costs no query.
    """
    paginator = thread_paginator(idea=idea)
    paginator.count = cached_count(
        f"threads:{idea.pk}", idea_page_key(idea), paginator.object_list.count
    )
    return paginator.get_page(page_number)


def discussion(
    request: HttpRequest, *, idea: Idea, threads: Page, permissions: dict[str, bool], **context: Any
) -> str:
    """The arguments and the page ``threads`` of the discussion, as HTML (see the module)."""

    def render() -> str:
        return render_to_string(
            "dialogue/_discussion.html",
            {
                **context,
                **permissions,
                "idea": idea,
                "arguments": arguments(idea=idea),
                "threads": thread_comments(threads),
            },
            request,
        )

    return shared(
        request,
        "dialogue:discussion",
        idea=idea,
        permissions=permissions,
        render=render,
        query=("seite",),
    )


def shared(
    request: HttpRequest,
    name: str,
    *,
    idea: Idea,
    permissions: dict[str, bool],
    render: Callable[[], str],
    query: tuple[str, ...],
) -> str:
    """``render()``, kept for everyone with the same ``permissions`` unless they moderate."""
    if permissions["can_moderate"]:
        return render()
    shape = f"{permissions['can_comment']:d}{permissions['can_report']:d}"
    return shared_part(request, name, f"{idea_page_key(idea)}:{shape}", render, query=query)


def comment_form_html(form: CommentForm) -> str:
    """The comment form as HTML; an empty one (the usual) is kept, it is the same for all who
    get the same fields (its form token is outside it)."""

    def render() -> str:
        return render_to_string("_form.html", {"form": form})

    if form.is_bound or form.initial:
        return render()
    return kept_part("dialogue:comment-form", ":".join(sorted(form.fields)), render)
