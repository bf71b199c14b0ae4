"""The department inbox: what awaits a department's answer, answered and given a status in place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koproduktion.core.forms import ReadabilityFormMixin, submitted
from koproduktion.core.models import Municipality
from koproduktion.core.ratelimit import client_ip
from koproduktion.core.readability import Readability, analyse
from koproduktion.core.selectors import municipality_get
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.forms import IdeaStatusForm
from koproduktion.ideas.models import SETTABLE_STATUSES
from koproduktion.ideas.services import idea_set_status, idea_url
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import refusal_reason

from .. import services
from ..forms import FILTER_NAMES, AnswerForm, InboxFilterForm, ReassignForm
from ..models import Assignment, AssignmentKind
from ..selectors import inbox_departments, inbox_list, overdue_before
from ..versions import CLOCK_SLOT_SECONDS, cache_key, scope_key, town_versions

ITEMS_PER_PAGE = 20


@dataclass
class Failed:
    """A form of one row that the service refused: what was typed, and why, for its fields."""

    pk: int
    form: str  # "answer" or "status"
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    # After "Lesbarkeit prüfen": the figures of the answer as typed (core.readability).
    readability: Readability | None = None


def _inbox_municipality(request: HttpRequest, slug: str) -> Municipality:
    municipality = municipality_get(slug=slug, user=request.user)
    if not rules.test_rule("routing.can_view_inboxes", request.user, municipality):
        raise PermissionDenied
    return municipality


def _filter_query(query: QueryDict) -> QueryDict:
    """Only the inbox's own parameters, so a form's way back carries nothing else."""
    kept = QueryDict(mutable=True)
    for name in (*FILTER_NAMES, "seite"):
        value = query.get(name)
        if value:
            kept[name] = value
    return kept


def _inbox_url(municipality: Municipality, query: QueryDict) -> str:
    url = reverse("routing:inbox", args=[municipality.slug])
    return f"{url}?{query.urlencode()}" if query else url


@require_GET
@login_required
def inbox_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """What awaits the person's departments' answer, oldest first, answered in place."""
    municipality = _inbox_municipality(request, municipality_slug)
    return _inbox_page(request, municipality, _filter_query(request.GET))


# Stands for the form token in a cached inbox; every response puts the person's own in.
CSRF_MARK = "<!--csrf-->"


def _inbox_page(
    request: HttpRequest,
    municipality: Municipality,
    query: QueryDict,
    *,
    failed: Failed | None = None,
    status: int = 200,
) -> HttpResponse:
    """The inbox page. Its list is shared by everyone who sees the same inboxes: rendered once
    per state of the town's contributions (``versions``), it is served from the cache, with
    the person's own form token; a page with a refused form is rendered afresh."""
    user = request.user
    key = cache_key(
        "inbox",
        municipality.pk,
        scope_key(user, {municipality.pk}),
        town_versions(user, {municipality.pk})[municipality.pk],
        query.urlencode(),
    )
    content = None if failed is not None else cache.get(key)
    if content is None:
        context = _inbox_context(user, municipality, query, failed)
        content = render_to_string("routing/_inbox_content.html", context)
        # Only what the page's own links and filters lead to is kept, so made-up addresses
        # (a filter that is no choice, a page past the last) cannot fill the cache.
        page = context["page"]
        if (
            failed is None
            and not context["filter_form"].errors
            and (query.get("seite", "1") == str(page.number))
        ):
            cache.set(key, content, CLOCK_SLOT_SECONDS)
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    return render(
        request,
        "routing/inbox.html",
        {"municipality": municipality, "content": mark_safe(content.replace(CSRF_MARK, token))},  # noqa: S308 - our own template, and a token of letters and digits
        status=status,
    )


def _inbox_context(
    user: Any, municipality: Municipality, query: QueryDict, failed: Failed | None
) -> dict[str, Any]:
    all_inboxes = rules.test_rule("routing.can_view_all_inboxes", user, municipality)
    departments = list(
        inbox_departments(municipality=municipality, user=user).values_list("pk", "name")
    )
    form = InboxFilterForm(
        query or None,
        municipality=municipality,
        departments=departments,
        all_inboxes=all_inboxes,
    )
    now = timezone.now()
    items = inbox_list(municipality=municipality, user=user, filters=form.filters(), now=now)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(query.get("seite"))
    due = overdue_before(municipality, now=now)
    rows = [_row(user, municipality, assignment, now, due) for assignment in page.object_list]
    if failed is not None:
        if all(row["assignment"].pk != failed.pk for row in rows):
            # The refused row is shown first even when the filters would not show it.
            assignment = _assignment_of(municipality, failed.pk)
            rows.insert(0, _row(user, municipality, assignment, now, due))
        row = next(row for row in rows if row["assignment"].pk == failed.pk)
        row[failed.form] = {
            "values": failed.values,
            "errors": failed.errors,
            "general": failed.general,
            "readability": failed.readability,
            "open": True,
        }
    return {
        "municipality": municipality,
        "filter_form": form,
        "filter_query": query.urlencode(),
        "page": page,
        "rows": rows,
        "failed": failed,
        "statuses": SETTABLE_STATUSES,
        "answer_max": AnswerForm.base_fields["text"].max_length,
        "answer_within_days": municipality.answer_within_days,
        "several_departments": len(departments) > 1 or all_inboxes,
        "page_query": _page_query(query),
        "csrf_field": mark_safe(CSRF_MARK),  # noqa: S308 - a constant
    }


def _page_query(query: QueryDict) -> str:
    """The filters of this page without its number, for the links to other pages."""
    rest = query.copy()
    rest.pop("seite", None)
    return rest.urlencode()


def _row(
    user: Any,
    municipality: Municipality,
    assignment: Assignment,
    now: datetime.datetime,
    due: datetime.datetime,
) -> dict[str, Any]:
    idea = assignment.idea
    idea.project = assignment.project
    assignment.project.municipality = municipality
    url = idea_url(idea)
    if assignment.comment_id:
        url += f"#kommentar-{assignment.comment_id}"
    can_answer = rules.test_rule("dialogue.can_answer_officially", user, idea)
    return {
        "assignment": assignment,
        "idea": idea,
        "url": url,
        "age_days": (now - assignment.received_at).days,
        "overdue": assignment.received_at < due,
        "can_answer": can_answer,
        "answer_refusal": None
        if can_answer
        else (
            refusal_reason(user, assignment.project, Capability.CONTRIBUTE)
            or _("Auf diese Idee kann niemand mehr antworten.")
        ),
        "can_set_status": assignment.kind == AssignmentKind.IDEA
        and rules.test_rule("ideas.can_change_status", user, idea),
        # What the row's forms show: empty, or what was typed and why it was refused.
        "answer": {"values": {}, "errors": {}, "general": [], "open": False},
        "status": {"values": {"status": idea.status}, "errors": {}, "general": [], "open": False},
    }


def _assignment_of(municipality: Municipality, pk: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "idea", "comment", "project", "department", "idea__neighbourhood"
        )
        .filter(municipality=municipality, pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def _handled(request: HttpRequest, municipality_slug: str, pk: int) -> tuple[Any, Assignment]:
    """The town and the assignment a form of the inbox acts on, if the person handles it."""
    municipality = _inbox_municipality(request, municipality_slug)
    assignment = _assignment_of(municipality, pk)
    if not rules.test_rule("routing.can_handle", request.user, assignment):
        raise PermissionDenied
    assignment.idea.project = assignment.project
    assignment.project.municipality = municipality
    return municipality, assignment


def _failed_from(form: Any, pk: int, name: str) -> Failed:
    return Failed(
        pk=pk,
        form=name,
        values={key: str(value) for key, value in form.data.items() if key in form.fields},
        errors={key: list(errors) for key, errors in form.errors.items() if key != "__all__"},
        general=list(form.non_field_errors()),
    )


@require_POST
@login_required
def answer_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    """Answer officially from the inbox, through the dialogue's service (as on the idea page)."""
    municipality, assignment = _handled(request, municipality_slug, pk)
    query = _filter_query(QueryDict(request.POST.get("filter", "")))
    if ReadabilityFormMixin.CHECK in request.POST:
        # "Lesbarkeit prüfen" (without JavaScript): the answer comes back as typed with its
        # figures; nothing is published.
        text = request.POST.get("text", "")[: AnswerForm.base_fields["text"].max_length]
        checked = Failed(
            pk=assignment.pk,
            form="answer",
            values={"text": text},
            readability=analyse(text) if text.strip() else None,
        )
        return _inbox_page(request, municipality, query, failed=checked)
    form = AnswerForm(request.POST)
    if form.is_valid() and submitted(
        form,
        comment_create,
        actor=request.user,
        idea=assignment.idea,
        text=form.cleaned_data["text"],
        parent=assignment.comment,
        official=True,
        ip=client_ip(request),
    ):
        messages.success(
            request,
            _("Ihre Antwort zu „%(title)s“ ist veröffentlicht.") % {"title": assignment.idea.title},
        )
        return redirect(_inbox_url(municipality, query))
    failed = _failed_from(form, assignment.pk, "answer")
    return _inbox_page(request, municipality, query, failed=failed, status=400)


@require_POST
@login_required
def status_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    """Change an idea's status with its public reason, through the ideas' service."""
    municipality, assignment = _handled(request, municipality_slug, pk)
    query = _filter_query(QueryDict(request.POST.get("filter", "")))
    form = IdeaStatusForm(request.POST)
    if assignment.kind != AssignmentKind.IDEA:
        form.add_error(None, _("Eine Frage hat keinen Status; ihre Idee schon."))
    elif form.is_valid() and submitted(
        form,
        idea_set_status,
        actor=request.user,
        idea=assignment.idea,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request,
            _("„%(title)s“ hat den neuen Status; alle Beteiligten werden benachrichtigt.")
            % {"title": assignment.idea.title},
        )
        return redirect(_inbox_url(municipality, query) + f"#eintrag-{assignment.pk}")
    failed = _failed_from(form, assignment.pk, "status")
    return _inbox_page(request, municipality, query, failed=failed, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def reassign_view(request: HttpRequest, municipality_slug: str, pk: int) -> HttpResponse:
    """Hand a contribution to another department, with the reason."""
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    assignment = _assignment_of(municipality, pk)
    if not rules.test_rule("routing.can_reassign", request.user, assignment):
        raise PermissionDenied
    form = ReassignForm(request.POST or None, municipality=municipality)
    if (
        request.method == "POST"
        and form.is_valid()
        and submitted(
            form,
            services.assignment_reassign,
            actor=request.user,
            assignment=assignment,
            department=form.cleaned_data["department"],
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(
            request,
            _("„%(department)s“ ist jetzt zuständig.") % {"department": assignment.department.name},
        )
        return redirect("routing:inbox", municipality.slug)
    assignment.idea.project = assignment.project
    assignment.project.municipality = municipality
    return render(
        request,
        "routing/reassign.html",
        {
            "municipality": municipality,
            "assignment": assignment,
            "url": idea_url(assignment.idea),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
