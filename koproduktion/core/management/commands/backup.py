from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koproduktion.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sichert die ganze Datenbank in eine Datei: PostgreSQL mit pg_dump (custom format), "
        "SQLite über die Online-Backup-Schnittstelle, auch während die Seite läuft."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="die Datei der Sicherung")
        parser.add_argument("--database", default="default", help="der Datenbank-Alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup(path=options["path"], alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Gesichert in {options['path']}.")
