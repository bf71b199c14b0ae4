"""An idea's page, with its discussion."""

from __future__ import annotations

import functools
from typing import Any

import rules
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from koproduktion.core.layout import member_page, person_part
from koproduktion.core.page_cache import cached_for_visitors, confirm_page, kept_part
from koproduktion.dialogue.forms import CommentForm
from koproduktion.dialogue.models import Comment
from koproduktion.dialogue.pages import (
    comment_form_html,
    discussion,
    fill_report_links,
    thread_pages,
)
from koproduktion.dialogue.rules import discussion_permissions
from koproduktion.dialogue.selectors import comment_url
from koproduktion.moderation.selectors import community_rules_for
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.models import Project
from koproduktion.projects.rules import refusal_reason
from koproduktion.projects.selectors import published_project_with_row
from koproduktion.projects.views import project_for_request

from .. import services
from ..forms import IdeaMergeForm, IdeaStatusForm
from ..geo import ideas_geojson
from ..models import Idea
from ..selectors import idea_get, supports_and_follows
from ..similarity import similar_ideas
from ..versions import idea_page_key, idea_page_version


# ``?antwort=`` starts a reply, which visitors cannot write: their copy ignores it.
@cached_for_visitors(idea_page_version, query=("seite",), fill=fill_report_links)
def idea_detail_view(
    request: HttpRequest,
    municipality_slug: str,
    project_slug: str,
    idea_id: int,
    *,
    comment_form: CommentForm | None = None,
    status_form: IdeaStatusForm | None = None,
    merge_form: IdeaMergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project, version = _project_and_idea_version(request, municipality_slug, project_slug, idea_id)
    idea = idea_get(project=project, pk=idea_id, version=version)
    idea.project = project
    user = request.user
    permissions = discussion_permissions(user, idea)
    threads = thread_pages(idea=idea, page_number=request.GET.get("seite"))
    confirm_page(request, threads)
    municipality = project.municipality
    context = {
        "project": project,
        "municipality": municipality,
        "idea": idea,
        # What the idea says and what became of it, the same for everyone: rendered once per
        # version of the idea (its Markdown too), not on every view. These three are looked up
        # when the page is rendered (the template calls them), not when it comes kept.
        "idea_body": lambda: _kept(
            request,
            "ideas/_idea_body.html",
            idea,
            map_features=lambda: ideas_geojson([idea], project=project) if idea.has_point else None,
            map_tile_url=settings.MAP_TILE_URL,
            area=municipality.area,
        ),
        "idea_record": lambda: _kept(
            request,
            "ideas/_idea_record.html",
            idea,
            status_history=lambda: idea.status_changes.select_related("changed_by"),
            decisions=idea.decisions.all,
            municipality=municipality,
        ),
        "discussion": lambda: discussion(
            request,
            idea=idea,
            threads=threads,
            permissions=permissions,
            project=project,
            municipality=municipality,
            idea_path=services.idea_url(idea),
        ),
        **permissions,
        "can_change_status": rules.test_rule("ideas.can_change_status", user, idea),
        "status_form": lambda: status_form or IdeaStatusForm(initial={"status": idea.status}),
        "can_merge": idea.merged_into_id is None and rules.test_rule("ideas.can_merge", user, idea),
        "merge_form": lambda: merge_form or IdeaMergeForm(),
        # Staff merging a duplicate see the ideas it resembles, with their numbers.
        "merge_candidates": functools.cache(
            lambda: similar_ideas(
                project_id=project.pk, title=idea.title, text=idea.text, exclude=[idea.pk]
            )
        ),
        "map_tile_url": settings.MAP_TILE_URL,
    }
    # The person's own parts of the page: what they may do with the idea and its discussion.
    shown = {"idea": idea, "project": project, "municipality": municipality}
    signed_in = user.is_authenticated

    def actions() -> str:
        """Support, follow, edit, withdraw, report."""
        supported, following = supports_and_follows(user=user, idea=idea)
        values = {
            "signed_in": signed_in,
            "supported": supported,
            "following": following,
            "can_support": rules.test_rule("ideas.can_support", user, idea),
            "can_edit": rules.test_rule("ideas.can_edit", user, idea),
            "can_withdraw": rules.test_rule("ideas.can_withdraw", user, idea),
            "can_report": permissions["can_report"],
        }
        return person_part(
            request, "ideas/_idea_actions.html", shown, version=idea_page_key(idea), values=values
        )

    def joining() -> str:
        """The comment form, or why the person cannot comment."""
        can_comment = permissions["can_comment"]
        official = rules.test_rule("dialogue.can_answer_officially", user, idea)
        on_behalf = rules.test_rule("ideas.can_record_on_behalf", user, project)
        initial = _reply_initial(request)

        @functools.cache
        def form() -> CommentForm:
            return comment_form or CommentForm(
                official=official,
                on_behalf=on_behalf,
                initial=initial,
                readability_minimum=municipality.min_readability,
            )

        values = {
            "signed_in": signed_in,
            "can_comment": can_comment,
            "comment_refusal": None
            if can_comment
            else (
                refusal_reason(user, project, Capability.CONTRIBUTE)
                or _("Kommentare sind für diese Idee geschlossen.")
            ),
            # What makes the form's fields (the town's minimum readability is in the version).
            "official": official,
            "on_behalf": on_behalf,
        }
        # The form is made when the part is rendered (the template calls these), not when it
        # comes kept.
        context = {
            **shown,
            "comment_form": form,
            "comment_form_html": lambda: comment_form_html(form()),
            "rules": community_rules_for(municipality) if can_comment else None,
        }
        if comment_form is not None or initial:  # what the person wrote, or a reply started
            context["replying_to"] = _replying_to(idea, form())
            return render_to_string("ideas/_idea_comment.html", {**context, **values}, request)
        return person_part(
            request, "ideas/_idea_comment.html", context, version=idea_page_key(idea), values=values
        )

    personal = {"idea_actions": actions, "idea_comment": joining}
    staff = permissions["can_moderate"] or context["can_change_status"] or context["can_merge"]
    if staff or status != 200 or request.method not in ("GET", "HEAD"):
        # Staff get their forms (with their form tokens) in the page; an answer to a write
        # shows what was sent.
        return render(
            request,
            "ideas/idea_detail.html",
            {**context, **{name: part() for name, part in personal.items()}},
            status=status,
        )
    # The rest is the same for everyone logged in who may do the same with the discussion:
    # kept whole per version of the idea (core.layout).
    shape = f"{permissions['can_comment']:d}{permissions['can_report']:d}"
    return member_page(
        request,
        "ideas/idea_detail.html",
        context,
        version=f"{idea_page_key(idea)}:{shape}",
        query=("seite",),
        personal=personal,
    )


def _project_and_idea_version(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int
) -> tuple[Project, str | None]:
    """The project, and the version of the idea's page (``idea_page_version``), in one query
    where the project is published and the idea is in it: the idea is then read as kept at
    that version. None where the view answers a write (a comment form with errors) or the
    project is not public (no such version: the idea is read afresh)."""
    if request.method in ("GET", "HEAD"):
        found = published_project_with_row(
            municipality_slug=municipality_slug,
            project_slug=project_slug,
            related=False,
            join=Idea,
            pk=idea_id,
            columns=("content_version",),
        )
        if found is not None:
            project, (idea_version,) = found
            page = [project.content_version, project.updated_at]
            return project, ":".join(
                map(str, [*page, project.municipality.content_version, idea_version])
            )
    return project_for_request(request, municipality_slug, project_slug, related=False), None


def _kept(request: HttpRequest, template: str, idea: Any, **context: Any) -> str:
    """``template`` rendered with the idea and ``context`` (callables are called when the part
    is rendered, so a kept part costs none of them), kept per version of the idea."""

    def render() -> str:
        values = {name: value() if callable(value) else value for name, value in context.items()}
        return render_to_string(template, {"idea": idea, **values}, request)

    # Per idea as well: two ideas of a project can be at the same versions.
    return kept_part(template, idea_page_key(idea), render, address=str(idea.pk))


def _reply_initial(request: HttpRequest) -> dict[str, int]:
    """``?antwort=<id>`` on the idea page starts a reply to that comment."""
    wanted = request.GET.get("antwort", "")
    return {"parent": int(wanted)} if wanted.isdigit() and len(wanted) < 12 else {}


def _replying_to(idea: Any, form: CommentForm) -> str | None:
    """Where the comment the form replies to is read, if it replies to one of this idea's."""
    wanted = form["parent"].value()
    if not str(wanted or "").isdigit() or len(str(wanted)) >= 12:
        return None
    parent = Comment.objects.filter(idea=idea, pk=int(wanted)).first()
    if parent is None:
        return None
    parent.idea = idea
    return comment_url(parent)
