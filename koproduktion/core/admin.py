from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

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


class MembershipForm(forms.ModelForm):
    """Names the person by e-mail address, so admins need no access to the list of all people."""

    email = forms.EmailField(label=_("E-Mail-Adresse der Person"))

    class Meta:
        model = Membership
        fields = ("email", "municipality", "role", "organisation", "departments")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "Unter dieser Adresse ist niemand registriert. Die Person muss sich zuerst "
                    "registrieren."
                )
            )
        self.instance.user = user
        return email


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    form = MembershipForm
    list_display = ("user", "role", "municipality", "organisation")
    list_filter = ("municipality", "role")
    search_fields = ("user__public_name", "user__email")
    list_select_related = ("user", "municipality", "organisation")
    filter_horizontal = ("departments",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, TenantAdmin):
    """The administration's log, to read: nobody adds, changes or deletes an entry."""

    list_display = ("created_at", "actor_name", "action", "target_type", "target_repr")
    list_filter = ("municipality", "action", "target_type")
    search_fields = ("actor_name", "target_repr")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
