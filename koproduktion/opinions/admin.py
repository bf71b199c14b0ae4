from django.contrib import admin
from django.urls import reverse

from koproduktion.core.admin_base import ReadOnlyAdminMixin, TenantAdmin

from .models import OpinionMap, Statement


def _moderation_page(project_id: int) -> str:
    from koproduktion.projects.models import Project  # noqa: PLC0415 - admin modules load early

    project = Project.objects.select_related("municipality").get(pk=project_id)
    return reverse("opinions:moderation", args=[project.municipality.slug, project.slug])


@admin.register(OpinionMap)
class OpinionMapAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """To look up. Opinion maps are made by their services when the first statement is set."""

    list_display = ("project", "municipality", "computed_at", "votes_at_computation")
    list_filter = ("municipality",)
    fields = ("municipality", "project", "introduction", "computed_at", "votes_at_computation")
    list_select_related = ("project", "municipality")

    def view_on_site(self, obj: OpinionMap) -> str:
        return _moderation_page(obj.project_id)


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """To look up. Statements are set, accepted and rejected on the opinion map's moderation
    page ("Auf der Website anzeigen"), whose services log it and tell the author."""

    list_display = ("__str__", "project", "status", "is_seed", "is_meta", "vote_count")
    list_filter = ("municipality", "status", "is_meta", "is_seed")
    search_fields = ("text",)
    fields = (
        "municipality",
        "project",
        "text",
        "status",
        "moderation_reason",
        "is_meta",
        "is_seed",
        "vote_count",
    )
    list_select_related = ("project",)

    def view_on_site(self, obj: Statement) -> str:
        return _moderation_page(obj.project_id)
