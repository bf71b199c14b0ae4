from django.contrib import admin

from koproduktion.core.admin_base import TenantInline, TenantParentAdmin

from .models import Poll, PollOption


class PollOptionInline(TenantInline):
    model = PollOption
    fields = ("idea", "title", "description", "cost_cents", "position")


@admin.register(Poll)
class PollAdmin(TenantParentAdmin):
    """Polls and budgets are set up here; ballots and results live on the site and stay secret."""

    list_display = ("title", "project", "kind", "opens_at", "closes_at", "binding")
    list_filter = ("municipality", "kind", "binding")
    search_fields = ("title",)
    inlines = (PollOptionInline,)
    list_select_related = ("project",)
