"""manage.py export_polis SLUG PATH: a project's conversation in Polis's export format, as a
folder of CSV files or (PATH ending in .zip) a ZIP archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koproduktion.opinions.models import OpinionMap
from koproduktion.opinions.polis_writer import conversation, export_files, stream_zip


class Command(BaseCommand):
    help = (
        "Schreibt die Unterhaltung eines Vorhabens im Exportformat von Polis (comments.csv, "
        "votes.csv, participants-votes.csv, summary.csv) in ein Verzeichnis oder ZIP-Archiv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project")
        parser.add_argument("path", type=Path)
        parser.add_argument("--municipality", default="musterstadt")

    def handle(self, *args: Any, **options: Any) -> None:
        opinion_map = (
            OpinionMap.objects.select_related("project")
            .filter(project__slug=options["project"], municipality__slug=options["municipality"])
            .first()
        )
        if opinion_map is None:
            raise CommandError(
                f"no opinion map for project '{options['project']}' in '{options['municipality']}'"
            )
        files = export_files(conversation(opinion_map=opinion_map))
        path: Path = options["path"]
        if path.suffix.lower() == ".zip":
            with path.open("wb") as out:
                for piece in stream_zip(files):
                    out.write(piece)
        else:
            path.mkdir(parents=True, exist_ok=True)
            for name, lines in files:
                with (path / name).open("w", encoding="utf-8", newline="") as out:
                    out.writelines(lines)
        self.stdout.write(str(path))
