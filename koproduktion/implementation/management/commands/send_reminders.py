"""Reminder e-mails: tasks and shifts of tomorrow, sponsorships ending soon. Run once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from koproduktion.implementation.reminders import send_task_reminders
from koproduktion.sponsorships.reminders import send_renewal_reminders


class Command(BaseCommand):
    help = "Erinnert an Aufgaben und Schichten von morgen und an auslaufende Patenschaften."

    def handle(self, *args: Any, **options: Any) -> None:
        tasks = send_task_reminders()
        renewals = send_renewal_reminders()
        self.stdout.write(
            f"{tasks} Erinnerung(en) an Aufgaben, {renewals} an auslaufende Patenschaften."
        )
