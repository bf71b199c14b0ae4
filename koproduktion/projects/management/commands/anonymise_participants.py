"""Anonymise what is no longer needed once a project has ended; run it daily from a scheduler.

    manage.py anonymise_participants

RETENTION_DAYS_AFTER_PROJECT_END days after a project ended (its evaluation phase's planned end),
each app's retention step clears the personal details it keeps for that project: the names
given with contributions recorded offline, the phone numbers and contact consents of commitments
(see each app's ``privacy.py``). Registrations not confirmed within
RETENTION_DAYS_UNCONFIRMED_ACCOUNT days are deleted like any account. Running it again changes
nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from koproduktion.accounts.personal_data import retention_steps
from koproduktion.accounts.selectors import unconfirmed_accounts
from koproduktion.accounts.services import user_erase
from koproduktion.projects.selectors import project_ids_ended_before


class Command(BaseCommand):
    help = "Anonymise participants' personal details in projects that ended long enough ago."

    def handle(self, *args: object, **options: object) -> None:
        cutoff = timezone.localdate() - datetime.timedelta(
            days=settings.RETENTION_DAYS_AFTER_PROJECT_END
        )
        project_ids = project_ids_ended_before(day=cutoff)
        for name, step in retention_steps().items():
            self.stdout.write(f"{name}: {step(project_ids)}")
        joined_before = timezone.now() - datetime.timedelta(
            days=settings.RETENTION_DAYS_UNCONFIRMED_ACCOUNT
        )
        erased = 0
        for user in unconfirmed_accounts(joined_before=joined_before).iterator():
            user_erase(user=user)
            erased += 1
        self.stdout.write(f"unconfirmed_accounts: {erased}")
