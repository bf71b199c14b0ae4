"""Count the ballots left in the pools of polls that have closed (for a scheduler, e.g. hourly).

The results of a closed poll do this on their own when first read; the command makes the final
count happen at the close even if nobody looks, and ends the polls for good.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from koproduktion.decisions.models import BallotPool, Poll
from koproduktion.decisions.services import ballot_pool_flush


class Command(BaseCommand):
    help = "Count the ballots still waiting in the pools of closed polls."

    def handle(self, *args: object, **options: object) -> None:
        open_pools = BallotPool.objects.filter(final=False).values("poll_id")
        polls = Poll.objects.filter(closes_at__lte=timezone.now(), pk__in=open_pools)
        for poll in polls.iterator():
            counted = ballot_pool_flush(poll=poll)
            self.stdout.write(f"{poll.pk}: {counted}")
