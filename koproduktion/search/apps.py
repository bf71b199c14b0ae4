from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "koproduktion.search"
    label = "search"
    verbose_name = _("Suche")

    def ready(self) -> None:
        # The searched kinds register themselves once the models are loaded.
        from . import sources  # noqa: F401, PLC0415
