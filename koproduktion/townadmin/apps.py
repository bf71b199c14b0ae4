from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownadminConfig(AppConfig):
    name = "koproduktion.townadmin"
    label = "townadmin"
    verbose_name = _("Verwaltung der Kommune")
