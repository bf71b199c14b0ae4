from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koproduktion.core.redirects import next_url
from koproduktion.ideas.views.writes import idea_for_request
from koproduktion.projects.views import project_for_request

from . import services
from .forms import InboxFilterForm, NotificationSettingsForm
from .selectors import email_frequency, inbox


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The inbox, optionally of one kind (``?art=``); an unknown kind shows all, and says so."""
    filter_form = InboxFilterForm(request.GET)
    kind = filter_form.kind()
    unknown_kind = not filter_form.is_valid()
    page = Paginator(inbox(user=request.user, kind=kind), 30).get_page(request.GET.get("seite"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            # After an unknown kind the form offers "all" again rather than an invalid choice.
            "filter_form": InboxFilterForm() if unknown_kind else filter_form,
            "kind": kind,
            "unknown_kind": unknown_kind,
        },
    )


@require_POST
@login_required
def mark_read_view(request: HttpRequest) -> HttpResponse:
    """Mark all read, or with ``art`` (the inbox's filter) all of that kind, and go back there."""
    kind = InboxFilterForm(request.POST).kind()
    services.notifications_mark_read(user=request.user, kind=kind)
    if kind is None:
        messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
        return redirect("notifications:inbox")
    messages.success(
        request,
        _("Alle Benachrichtigungen der Art „%(kind)s“ sind als gelesen markiert.")
        % {"kind": kind.label},
    )
    return redirect(f"{reverse('notifications:inbox')}?{urlencode({'art': kind.value})}")


@require_http_methods(["GET", "POST"])
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        request.POST or None, initial={"email_frequency": email_frequency(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.notification_settings_set(
            user=request.user, email_frequency=form.cleaned_data["email_frequency"]
        )
        messages.success(request, _("Ihre Einstellung ist gespeichert."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})


@require_POST
@login_required
def follow_view(
    request: HttpRequest, municipality_slug: str, project_slug: str, idea_id: int | None = None
) -> HttpResponse:
    """Follow or unfollow a project, or one idea of it."""
    project = project_for_request(request, municipality_slug, project_slug)
    target = (
        {"project": project}
        if idea_id is None
        else {"idea": idea_for_request(request, municipality_slug, project_slug, idea_id)}
    )
    if request.POST.get("action") == "unfollow":
        services.unfollow(user=request.user, **target)
        messages.success(request, _("Sie erhalten dazu keine Benachrichtigungen mehr."))
    else:
        services.follow(user=request.user, **target)
        messages.success(request, _("Sie folgen jetzt und werden über Neues benachrichtigt."))
    back = (
        reverse("projects:detail", args=[municipality_slug, project_slug])
        if idea_id is None
        else reverse("ideas:detail", args=[municipality_slug, project_slug, idea_id])
    )
    return redirect(next_url(request, default=back))
