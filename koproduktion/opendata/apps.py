from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "koproduktion.opendata"
    label = "opendata"
    verbose_name = _("Offene Daten")
