from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "koproduktion.activity"
    label = "activity"
    verbose_name = _("Beteiligung in Zahlen")

    def ready(self) -> None:
        # The domain apps do not know this app: it listens to their saves (see sources.py).
        from . import recording  # noqa: PLC0415 - the models are loaded only now

        recording.connect()
