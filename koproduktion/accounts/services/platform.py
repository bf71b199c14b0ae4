"""What platform admins set on an account in Django's admin: whether the person can log in at
all, and whether they are platform admins themselves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koproduktion.core.rules import forget_roles, is_platform_admin

from ..models import User


def platform_access_refusal(
    *, actor: User, user: User, is_active: bool, is_superuser: bool
) -> dict[str, str]:
    """Why ``actor`` may not give ``user`` this access, by field; empty when they may.

    Nobody shuts themselves out or gives up their own platform admin rights: another platform
    admin does it, so the platform always keeps one who can.
    """
    if user.pk != actor.pk:
        return {}
    refusals = {}
    if not is_active:
        refusals["is_active"] = _("Ihr eigenes Konto können Sie nicht sperren.")
    if not is_superuser:
        refusals["is_superuser"] = _(
            "Ihre eigenen Rechte als Plattform-Admin gibt eine andere Plattform-Admin-Person ab, "
            "nicht Sie selbst."
        )
    return refusals


@transaction.atomic
def user_platform_access_set(
    *, actor: User, user: User, is_active: bool, is_superuser: bool
) -> User:
    """Let ``user`` log in or not, and make them a platform admin or not; as a platform admin.

    ``is_staff`` follows ``is_superuser``: it means nothing else here (the admin lets in platform
    admins only, and a town's roles need no flag), so it never says something different.
    """
    if not is_platform_admin(actor):
        raise PermissionDenied(_("Das können nur Plattform-Admins."))
    refusals = platform_access_refusal(
        actor=actor, user=user, is_active=is_active, is_superuser=is_superuser
    )
    if refusals:
        raise ValidationError(refusals)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise ValidationError(_("Dieses Konto ist gelöscht."))
    user.is_active = is_active
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    user.save(update_fields=["is_active", "is_superuser", "is_staff"])
    forget_roles(user)
    return user
