from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People, for the platform admin. Municipality admins manage roles under "Rollen"."""

    ordering = ("email",)
    list_display = ("email", "public_name", "email_confirmed_at", "is_active", "is_staff")
    search_fields = ("email", "public_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Öffentliches Profil"), {"fields": ("public_name", "language")}),
        (
            _("Status"),
            {"fields": ("email_confirmed_at", "is_active", "is_staff", "is_superuser")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "public_name", "password1", "password2")},
        ),
    )
    filter_horizontal = ()
    list_filter = ("is_active", "is_staff", "is_superuser")
