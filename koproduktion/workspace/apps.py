from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The administration's project workspace: setting up and running projects on the site's
    own pages, through the services of ``projects`` and ``decisions``."""

    name = "koproduktion.workspace"
    label = "workspace"
    verbose_name = _("Vorhaben verwalten")
