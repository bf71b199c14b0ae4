from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koproduktion.core.forms import form_errors_from, refusal_text
from koproduktion.core.ratelimit import RateLimited, client_ip
from koproduktion.ideas.models import Source
from koproduktion.ideas.services import idea_url
from koproduktion.ideas.views import idea_detail_view, idea_for_request

from .forms import CommentForm
from .models import Comment
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
    form = CommentForm(request.POST, official=official, on_behalf=on_behalf)
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
            return redirect(f"{idea_url(idea)}#kommentar-{comment.pk}")
    return idea_detail_view(
        request, municipality_slug, project_slug, idea_id, comment_form=form, status=400
    )
