"""Admin pages that show and edit only the municipalities the person works for.

Permissions come from the rules (``has_perm`` with the object), the lists are filtered to the
person's municipalities, choices in forms likewise, and every save goes through the tenant service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.http import HttpRequest

from .models import Municipality
from .selectors import administered_municipality_ids
from .services import tenant_record_delete, tenant_record_save


class TenantAdmin(admin.ModelAdmin):
    # Links typed without a scheme are taken as https (Django 6's default, asked for here).
    formfield_overrides = {
        models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"}
    }

    def _scope(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return _scoped(request, queryset)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self._scope(request, super().get_queryset(request))

    def get_list_filter(self, request: HttpRequest) -> Any:
        return [_scoped_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and _is_tenant_model(field.queryset.model):
            field.queryset = self._scope(request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and _is_tenant_model(field.queryset.model):
            field.queryset = self._scope(request, field.queryset)
        return field

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("view"), obj) or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.has_perm(self._perm("add"))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("change"), obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("delete"), obj)

    def _perm(self, action: str) -> str:
        opts = self.opts
        return f"{opts.app_label}.{action}_{opts.model_name}"

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


class TenantInline(admin.TabularInline):
    """Inline rows take their municipality from the parent record."""

    exclude = ("municipality",)
    extra = 0
    formfield_overrides = TenantAdmin.formfield_overrides

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and _is_tenant_model(field.queryset.model):
            field.queryset = _scoped(request, field.queryset)
        return field

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True if obj is None else request.user.has_perm(self._perm("view"), obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("add"), obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("change"), obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self._perm("delete"), obj)

    def _perm(self, action: str) -> str:
        opts = self.opts
        return f"{opts.app_label}.{action}_{opts.model_name}"


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


class ScopedRelatedFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by a related record that names only what the person may see.

    Django's own lists every row of the related table: every town's name, topics and
    neighbourhoods. This one offers the related rows of the records in the person's list, and of
    tenant tables only those of the municipalities the person works for.
    """

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        related = field.remote_field.model
        shown = model_admin.get_queryset(request).values_list(f"{self.field_path}__pk", flat=True)
        allowed = related._default_manager.filter(pk__in=shown)
        if _is_tenant_model(related):
            allowed = _scoped(request, allowed)
        return field.get_choices(
            include_blank=False,
            limit_choices_to={"pk__in": allowed.values("pk")},
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


def _scoped_filter(model: type[models.Model], entry: Any) -> Any:
    """``entry`` of a ``list_filter``; a plain name of a relation gets the scoped filter."""
    if isinstance(entry, str) and get_fields_from_path(model, entry)[-1].is_relation:
        return (entry, ScopedRelatedFieldListFilter)
    return entry


def _scoped(request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
    """``queryset`` limited to the municipalities the person works for."""
    ids = administered_municipality_ids(request.user)
    if ids is None:
        return queryset
    lookup = "pk" if queryset.model is Municipality else "municipality_id"
    return queryset.filter(**{f"{lookup}__in": ids})


def _is_tenant_model(model: type[models.Model]) -> bool:
    return model is Municipality or any(f.name == "municipality" for f in model._meta.fields)
