from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koproduktion.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung von manage.py backup in eine leere Datenbank zurück; "
        "mit --force ersetzt sie alles in einer Datenbank, die schon Tabellen hat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="die Datei der Sicherung")
        parser.add_argument("--database", default="default", help="der Datenbank-Alias")
        parser.add_argument(
            "--force", action="store_true", help="eine Datenbank mit Tabellen überschreiben"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tables = restore(
                path=options["path"], alias=options["database"], force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Zurückgespielt: {tables} Tabellen. Ist der Code neuer als die Sicherung, "
            "folgt manage.py migrate."
        )
