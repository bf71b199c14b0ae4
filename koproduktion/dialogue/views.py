from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.htmx import wants_fragment
from koproduktion.core.page_cache import cached_for_visitors, confirm_query
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.ideas.models import Source
from koproduktion.ideas.services import idea_url
from koproduktion.ideas.versions import idea_page_version
from koproduktion.ideas.views.page import idea_detail_view
from koproduktion.ideas.views.writes import idea_for_request

from .forms import CommentForm
from .models import Comment
from .pages import fill_report_links
from .rules import discussion_permissions
from .selectors import comment_url, is_replies_page_start, thread_replies, thread_root
from .services import comment_create


@require_POST
@login_required
def comment_create_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int
) -> HttpResponse:
    """Post a comment; on a mistake the idea page comes back with the text still in the form."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    official = rules.test_rule("dialogue.can_answer_officially", request.user, idea)
    on_behalf = rules.test_rule("ideas.can_record_on_behalf", request.user, idea.project)
    form = CommentForm(
        request.POST,
        official=official,
        on_behalf=on_behalf,
        readability_minimum=idea.project.municipality.min_readability,
    )
    if form.readability_checked(request):
        return idea_detail_view(
            request, municipality_slug, project_slug, idea_id, comment_form=form, status=200
        )
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(idea=idea, pk=data["parent"]).first()
        try:
            comment = comment_create(
                actor=request.user,
                idea=idea,
                text=data["text"],
                stance=data["stance"],
                parent=parent,
                official=data.get("official", False),
                source=data.get("source") or Source.ONLINE,
                contributor_name=data.get("contributor_name", ""),
                ip=client_ip(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except (PermissionDenied, RateLimited) as refused:
            form.add_error(None, refusal_text(refused))
        else:
            messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
            return redirect(comment_url(comment))
    return idea_detail_view(
        request, municipality_slug, project_slug, idea_id, comment_form=form, status=400
    )


@cached_for_visitors(idea_page_version, query=("ab",), fill=fill_report_links)
def thread_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int, thread_id: int
) -> HttpResponse:
    """A thread's replies after ``?ab=`` (a position), a page at a time.

    Without JavaScript the idea page's "more replies" leads here; with htmx the same address
    answers with the replies alone, which take the place of the link.
    """
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    root = thread_root(idea=idea, thread_id=thread_id)
    wanted = request.GET.get("ab", "")
    after = min(int(wanted), root.reply_count) if wanted.isdigit() else 0
    if wanted and is_replies_page_start(after, root=root) and str(after) == wanted:
        confirm_query(request, ab=after)
    replies = thread_replies(root=root, after=after)
    project = idea.project
    context = {
        "project": project,
        "municipality": project.municipality,
        "idea": idea,
        "idea_path": idea_url(idea),
        "root": root,
        "after": after,
        **discussion_permissions(request.user, idea),
    }
    if wants_fragment(request):
        response = render(request, "dialogue/_comments.html", {**context, "comments": replies})
    else:
        root.more = root.reply_to = None
        context["comments"] = [root, *replies]
        response = render(request, "dialogue/thread.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response
