from typing import Any

from django.core.management.base import BaseCommand

from koproduktion.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Sendet die tägliche Zusammenfassung an alle, die sie gewählt haben (für den Scheduler)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} Zusammenfassung(en) gesendet.")
