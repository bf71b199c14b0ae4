"""What the administration does with ideas: set their status and merge them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from koproduktion.core.forms import form_errors_from

from .. import services
from ..forms import IdeaMergeForm, IdeaStatusForm
from ..models import Idea
from .page import idea_detail_view
from .writes import idea_for_request, refused


@require_POST
@login_required
def idea_status_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    """Change the status; a refused change comes back with the chosen status and its reason."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    if not rules.test_rule("ideas.can_change_status", request.user, idea):
        messages.error(request, _("Den Status ändert die Verwaltung."))
        return redirect(services.idea_url(idea) + "#status")
    form = IdeaStatusForm(request.POST)

    def change() -> tuple[str, str]:
        services.idea_set_status(
            actor=request.user,
            idea=idea,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        done = _("Der Status ist geändert; alle Beteiligten werden benachrichtigt.")
        return done, services.idea_url(idea) + "#status"

    return _staff_action(request, idea, form, change) or idea_detail_view(
        request, municipality_slug, project_slug, idea_id, status_form=form, status=400
    )


@require_POST
@login_required
def idea_merge_view(request, municipality_slug, project_slug, idea_id) -> HttpResponse:
    """Merge this idea, a duplicate, into the original given by its number or address."""
    idea = idea_for_request(request, municipality_slug, project_slug, idea_id)
    if not rules.test_rule("ideas.can_merge", request.user, idea):
        messages.error(
            request, _("Ideen führt zusammen, wer das Vorhaben in der Verwaltung betreut.")
        )
        return redirect(services.idea_url(idea) + "#status")
    form = IdeaMergeForm(request.POST)

    def merge() -> tuple[str, str]:
        # Looked for in the whole town, so that another project's idea is refused with its
        # reason; another town's is not there at all.
        original = (
            Idea.objects.select_related("project__municipality")
            .filter(municipality_id=idea.municipality_id, pk=form.cleaned_data["original"])
            .first()
        )
        if original is None:
            raise ValidationError(
                {"original": _("In dieser Kommune gibt es keine Idee mit dieser Nummer.")}
            )
        services.idea_merge(
            actor=request.user,
            duplicate=idea,
            original=original,
            reason=form.cleaned_data["reason"],
        )
        done = _(
            "Zusammengeführt: Die Unterstützungen zählen jetzt für „%(title)s“; alle Beteiligten "
            "werden benachrichtigt."
        ) % {"title": original.title}
        return done, services.idea_url(original)

    return _staff_action(request, idea, form, merge) or idea_detail_view(
        request, municipality_slug, project_slug, idea_id, merge_form=form, status=400
    )


def _staff_action(
    request: HttpRequest, idea: Any, form: Any, act: Callable[[], tuple[str, str]]
) -> HttpResponse | None:
    """Run ``act`` for a valid ``form`` of the staff on an idea's page: it calls the service
    and gives the message and the page to go to. None where the form shows what to correct."""
    if not form.is_valid():
        return None
    try:
        done, target = act()
    except PermissionDenied as error:
        refused(request, error)
        return redirect(services.idea_url(idea) + "#status")
    except ValidationError as error:
        form_errors_from(form, error)
        return None
    messages.success(request, done)
    return redirect(target)
