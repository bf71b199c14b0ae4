from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import user_erase


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People, for the platform admin. Municipality admins manage roles under "Rollen"."""

    ordering = ("email",)
    list_display = (
        "email",
        "public_name",
        "email_confirmed_at",
        "is_active",
        "is_staff",
        "deleted_at",
    )
    search_fields = ("email", "public_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Öffentliches Profil"), {"fields": ("public_name", "language")}),
        (
            _("Status"),
            {"fields": ("email_confirmed_at", "is_active", "is_staff", "is_superuser")},
        ),
        (
            _("Daten"),
            {
                "fields": (
                    "last_login",
                    "date_joined",
                    "privacy_notice_version",
                    "privacy_notice_accepted_at",
                    "deleted_at",
                )
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "public_name", "password1", "password2")},
        ),
    )
    filter_horizontal = ()
    list_filter = ("is_active", "is_staff", "is_superuser")
    readonly_fields = ("privacy_notice_version", "privacy_notice_accepted_at", "deleted_at")

    # Deleting a person in the admin is the same account deletion as the person's own: the row
    # stays as an anonymous placeholder and every counter is kept by the services. A plain
    # delete would cascade past them (supports, taken places, ballots' participations).
    def get_deleted_objects(self, objs, request):  # type: ignore[no-untyped-def]
        described = [
            _(
                "%(person)s: persönliche Daten werden gelöscht, Beiträge bleiben unter „gelöschtes Konto“."
            )
            % {"person": person}
            for person in objs
        ]
        return described, {}, set(), []

    def delete_model(self, request, obj: User) -> None:  # type: ignore[no-untyped-def]
        user_erase(user=obj)

    def delete_queryset(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        for person in queryset:
            user_erase(user=person)
