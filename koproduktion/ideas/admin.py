from django.contrib import admin

from koproduktion.core.admin_base import ReadOnlyAdminMixin, TenantAdmin

from .models import Idea
from .services import idea_url


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """For finding and reading ideas. Status, moderation and edits happen on the idea's page,
    where the services record the history and tell the people involved."""

    list_display = ("title", "project", "status", "support_count", "comment_count", "created_at")
    list_filter = ("municipality", "status", "source")
    search_fields = ("title", "text")
    list_select_related = ("project",)
    readonly_fields = [f.name for f in Idea._meta.fields]

    def view_on_site(self, obj: Idea) -> str:
        # "Auf der Website anzeigen": the idea's page, where staff answer and change its status.
        return idea_url(obj)
