"""Admin pages for the platform admins, which write through the services.

Only active superusers reach the admin (``admin_site.PlatformAdminSite``); a town's people work on
the site's pages. Where the admin writes, it calls a service: records of a town are saved and
deleted through ``tenant_record_save`` and ``tenant_record_delete`` (validated, logged in the
town's administration log, the town's cached pages renewed); records that have services of their
own either call them (``save_model`` of their admin) or are shown read-only.

The forms label every input for screen readers, also where Django's admin shows none: the cells of
a table of inline rows, the time beside a date, the box that deletes a row.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .services import tenant_record_delete, tenant_record_save

# What the two inputs of a date and time are called, after the field's own label.
_PART_NAMES = (_("Datum"), _("Uhrzeit"))


def label_widget(field: forms.Field, label: Any) -> None:
    """Give the inputs of ``field`` an accessible name where the admin shows no label for them."""
    widget = field.widget
    while isinstance(widget, widgets.RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, forms.MultiWidget):
        for part, name in zip(widget.widgets, _PART_NAMES, strict=False):
            part.attrs.setdefault("aria-label", f"{label}: {name}")
    elif not widget.is_hidden:
        widget.attrs.setdefault("aria-label", str(label))


class LabelledFieldsMixin:
    """Names the date and the time of a split date-time field apart (Django labels the date)."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and isinstance(field.widget, forms.MultiWidget):
            label_widget(field, field.label)
        return field


class TenantAdmin(LabelledFieldsMixin, admin.ModelAdmin):
    # Links typed without a scheme are taken as https (Django 6's default, asked for here).
    formfield_overrides = {
        models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"}
    }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        tenant_record_save(actor=request.user, record=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        tenant_record_delete(actor=request.user, record=obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            tenant_record_delete(actor=request.user, record=obj)


class ReadOnlyAdminMixin:
    """For records written only by their services: the admin lists and shows them, no more."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LabelledInlineFormSet(BaseInlineFormSet):
    """Inline rows in a table have their labels in the column heads, which no input points to:
    each input is named by its column, the deletion box too."""

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            label = _("löschen") if name == "DELETE" else (field.label or name)
            label_widget(field, label)


class TenantInline(admin.TabularInline):
    """Inline rows take their municipality from the parent record."""

    exclude = ("municipality",)
    extra = 0
    formset = LabelledInlineFormSet
    formfield_overrides = TenantAdmin.formfield_overrides


class TenantParentAdmin(TenantAdmin):
    """Saves inline rows through the tenant service, with the parent's municipality."""

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            tenant_record_delete(actor=request.user, record=row)
        for row in rows:
            row.municipality_id = form.instance.municipality_id
            tenant_record_save(actor=request.user, record=row)
        formset.save_m2m()
