from django.contrib import admin

from koproduktion.core.admin_base import TenantAdmin

from .models import OpinionMap, Statement


@admin.register(OpinionMap)
class OpinionMapAdmin(TenantAdmin):
    list_display = ("project", "municipality", "computed_at", "votes_at_computation")
    list_filter = ("municipality",)
    fields = ("municipality", "project", "introduction", "computed_at", "votes_at_computation")
    readonly_fields = ("computed_at", "votes_at_computation")
    list_select_related = ("project", "municipality")


@admin.register(Statement)
class StatementAdmin(TenantAdmin):
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
    readonly_fields = ("vote_count",)
    list_select_related = ("project",)
