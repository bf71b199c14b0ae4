from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "koproduktion.core"
    label = "core"
    verbose_name = _("Kommunen und Rollen")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        # Registers the deploy check of the read replicas (manage.py check --deploy).
        from . import db_router  # noqa: F401, PLC0415
        from .models import Block, Membership  # noqa: PLC0415
        from .rules import roles_changed  # noqa: PLC0415

        # A person's cached roles (core.rules) follow every change of their memberships and
        # blocks however it is made, saved or deleted; services that update rows in bulk call
        # ``forget_roles``.
        def changed(sender: type, instance: Membership | Block, **kwargs: object) -> None:
            roles_changed(instance.user_id)

        for model in (Membership, Block):
            post_save.connect(changed, sender=model, dispatch_uid=f"roles-{model.__name__}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"roles-del-{model.__name__}")
