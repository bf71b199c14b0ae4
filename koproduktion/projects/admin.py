from django.contrib import admin

from koproduktion.core.admin_base import TenantInline, TenantParentAdmin

from .models import Document, Phase, Project


class PhaseInline(TenantInline):
    model = Phase
    fields = ("kind", "starts_on", "ends_on", "description")


class DocumentInline(TenantInline):
    model = Document
    fields = ("title", "url", "file", "position")


@admin.register(Project)
class ProjectAdmin(TenantParentAdmin):
    list_display = ("title", "municipality", "phase", "topic", "neighbourhood", "is_published")
    list_filter = ("municipality", "phase", "is_published", "topic")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PhaseInline, DocumentInline)
    list_select_related = ("municipality", "topic", "neighbourhood")
