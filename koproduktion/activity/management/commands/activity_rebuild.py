"""Record the acts of what the towns already hold, then compute their funnels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from koproduktion.core.models import Municipality

from ...services import activities_rebuild, funnel_compute


class Command(BaseCommand):
    help = (
        "Records every act (idea, comment, support, commitment, …) not recorded yet and "
        "computes the participation funnel. Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", metavar="SLUG", help="only this town")
        parser.add_argument(
            "--fresh", action="store_true", help="forget the recorded acts first and record anew"
        )

    def handle(self, *args: Any, municipality: str | None, fresh: bool, **options: Any) -> None:
        towns = Municipality.objects.order_by("pk")
        if municipality:
            towns = towns.filter(slug=municipality)
            if not towns.exists():
                raise CommandError(f"No municipality {municipality!r}.")
        for town in towns:
            added = activities_rebuild(municipality=town, fresh=fresh)
            figures = funnel_compute(municipality=town)
            self.stdout.write(f"{town.slug}: {added} acts added, {figures} figures computed")
