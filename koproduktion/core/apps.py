from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "koproduktion.core"
    label = "core"
    verbose_name = _("Kommunen und Rollen")

    def ready(self) -> None:
        # Registers the deploy check of the read replicas (manage.py check --deploy).
        from . import db_router  # noqa: F401, PLC0415
