from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from .admin_base import ReadOnlyAdminMixin, TenantAdmin
from .models import (
    AuditEntry,
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)


@admin.register(Municipality)
class MunicipalityAdmin(TenantAdmin):
    list_display = ("name", "slug", "is_public")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(TenantAdmin):
    list_display = ("name", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Department)
class DepartmentAdmin(TenantAdmin):
    list_display = ("name", "municipality", "email")
    list_filter = ("municipality",)
    search_fields = ("name",)


@admin.register(Organisation)
class OrganisationAdmin(TenantAdmin):
    list_display = ("name", "kind", "municipality")
    list_filter = ("municipality", "kind")
    search_fields = ("name",)


@admin.register(Topic)
class TopicAdmin(TenantAdmin):
    list_display = ("name", "municipality")
    list_filter = ("municipality",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """Roles, to look up. They are granted, changed and revoked on the town's roles page
    (``accounts.roles_views``), whose services check the rules, keep a town's last admin and log
    every change with its reason; platform admins use that page too."""

    list_display = ("user", "role", "municipality", "organisation")
    list_filter = ("municipality", "role")
    search_fields = ("user__public_name", "user__email")
    list_select_related = ("user", "municipality", "organisation")

    def view_on_site(self, obj: Membership) -> str:
        return reverse("roles:list", args=[obj.municipality.slug])


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """The administration's log, to read: nobody adds, changes or deletes an entry."""

    list_display = ("created_at", "actor_name", "action", "target_type", "target_repr")
    list_filter = ("municipality", "action", "target_type")
    search_fields = ("actor_name", "target_repr")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


# Roles are memberships of a town, not Django's groups and permissions, which nothing here asks.
admin.site.unregister(Group)
