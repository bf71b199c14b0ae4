"""Django's admin, for platform admins only.

A town's admins, staff, moderators and council work on the site's own pages, through the
services and the rules; the admin is the operators' tool. So the site lets in an active
superuser and nobody else, whatever ``is_staff`` or model permissions say: a role in a town never
needs a flag in the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class PlatformAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class PlatformAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``PlatformAdminSite`` as ``admin.site``."""

    default_site = "koproduktion.core.admin_site.PlatformAdminSite"
