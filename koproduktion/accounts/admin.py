from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _

from koproduktion.core.admin_base import LabelledFieldsMixin

from .models import User
from .services import platform_access_refusal, user_erase, user_platform_access_set


class PlatformAccessForm(forms.ModelForm):
    """What a platform admin changes on an account: log-in allowed, platform admin or not."""

    actor: Any = None  # the platform admin, set by ``UserAdmin.get_form``

    class Meta:
        model = User
        fields = ("is_active", "is_superuser")
        labels = {"is_superuser": _("Plattform-Admin")}
        help_texts = {
            "is_superuser": _(
                "Darf alles und als Einzige*r in diese Verwaltungsoberfläche. Rollen in einer "
                "Kommune vergeben deren Admins auf der Seite „Rollen“ der Kommune."
            ),
            "is_active": _("Gesperrte Konten können sich nicht anmelden."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        refusals = platform_access_refusal(
            actor=self.actor,
            user=self.instance,
            is_active=cleaned.get("is_active", False),
            is_superuser=cleaned.get("is_superuser", False),
        )
        for field, message in refusals.items():
            self.add_error(field, message)
        return cleaned


@admin.register(User)
class UserAdmin(LabelledFieldsMixin, DjangoUserAdmin):
    """People, for the platform admins: to find them, let them in or not, make platform admins,
    and delete accounts. Accounts come from registration and invitations, never from here;
    passwords are set by their owners through the mailed link; a town's roles are given on the
    town's roles page."""

    form = PlatformAccessForm
    ordering = ("email",)
    list_display = (
        "email",
        "public_name",
        "email_confirmed_at",
        "is_active",
        "is_superuser",
        "deleted_at",
    )
    search_fields = ("email", "public_name")
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Öffentliches Profil"), {"fields": ("public_name", "language")}),
        (_("Zugang"), {"fields": ("email_confirmed_at", "is_active", "is_superuser")}),
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
    filter_horizontal = ()
    list_filter = ("is_active", "is_superuser")
    readonly_fields = (
        "email",
        "public_name",
        "language",
        "email_confirmed_at",
        "last_login",
        "date_joined",
        "privacy_notice_version",
        "privacy_notice_accepted_at",
        "deleted_at",
    )

    def get_urls(self) -> list[URLPattern]:
        # Without Django's page for setting someone's password: people set their own.
        return admin.ModelAdmin.get_urls(self)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        user_platform_access_set(
            actor=request.user,
            user=obj,
            is_active=form.cleaned_data["is_active"],
            is_superuser=form.cleaned_data["is_superuser"],
        )

    # Deleting a person in the admin is the same account deletion as the person's own: the row
    # stays as an anonymous placeholder and every counter is kept by the services. A plain
    # delete would cascade past them (supports, taken places, ballots' participations).
    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        described = [
            _(
                "%(person)s: persönliche Daten werden gelöscht, Beiträge bleiben unter „gelöschtes Konto“."
            )
            % {"person": person}
            for person in objs
        ]
        return described, {}, set(), []

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_erase(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for person in queryset:
            user_erase(user=person)
