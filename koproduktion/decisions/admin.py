from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from koproduktion.core.admin_base import LabelledInlineFormSet, TenantAdmin, TenantInline

from .models import Poll, PollKind, PollOption
from .services import option_add, poll_create


class PollOptionFormSet(LabelledInlineFormSet):
    """The options of a new poll, checked as ``option_add`` will check them, so a refusal shows
    next to the field instead of ending the request."""

    def clean(self) -> None:
        super().clean()
        poll = self.instance
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if poll.kind == PollKind.BUDGET and data.get("cost_cents") is None:
                form.add_error(
                    "cost_cents", _("Im Bürgerhaushalt braucht jede Option ihre Kosten.")
                )
            idea = data.get("idea")
            if idea is not None and idea.project_id != poll.project_id:
                form.add_error("idea", _("Die Idee gehört zu einem anderen Vorhaben."))


class PollOptionInline(TenantInline):
    """Options are given with a new poll; afterwards they are shown, not changed: ballots name
    them, and a changed option would change what people voted for."""

    model = PollOption
    formset = PollOptionFormSet
    fields = ("idea", "title", "description", "cost_cents")
    raw_id_fields = ("idea",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PollForm(forms.ModelForm):
    class Meta:
        model = Poll
        fields = (
            "project",
            "title",
            "description",
            "kind",
            "opens_at",
            "closes_at",
            "results_visibility",
            "binding",
            "neighbourhood",
            "min_age",
            "max_choices",
            "points",
            "budget_cents",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        project = cleaned.get("project")
        if project is not None:
            # The poll belongs to its project's town; the model's checks need to know which.
            self.instance.municipality_id = project.municipality_id
        return cleaned


@admin.register(Poll)
class PollAdmin(TenantAdmin):
    """Polls and budgets are created here through the decision services (``poll_create``,
    ``option_add``), which check and log them; afterwards they are shown, not changed or
    deleted. Ballots and results live on the site and stay secret."""

    form = PollForm
    list_display = ("title", "project", "kind", "opens_at", "closes_at", "binding")
    list_filter = ("municipality", "kind", "binding")
    search_fields = ("title",)
    inlines = (PollOptionInline,)
    list_select_related = ("project",)
    raw_id_fields = ("project",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Poll, form: Any, change: bool) -> None:
        data = dict(form.cleaned_data)
        poll = poll_create(
            actor=request.user,
            project=data.pop("project"),
            title=data.pop("title"),
            kind=data.pop("kind"),
            opens_at=data.pop("opens_at"),
            closes_at=data.pop("closes_at"),
            **data,
        )
        # The admin saves the options and writes its own log with the form's record.
        obj.pk = poll.pk
        obj._state.adding = False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # What the admin's own log of the change reads from a formset it saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            data = row.cleaned_data
            if not data or data.get("DELETE") or not row.has_changed():
                continue
            option = option_add(
                actor=request.user,
                poll=form.instance,
                title=data.get("title", ""),
                idea=data.get("idea"),
                cost_cents=data.get("cost_cents"),
                description=data.get("description", ""),
            )
            formset.new_objects.append(option)
