"""manage.py import_polis PATH [--project SLUG] [--replay [SECONDS]]: a Polis export (a folder or
a ZIP archive) becomes a project's opinion map; with --replay its vote history is first
recomputed in time order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from koproduktion.core.models import Municipality
from koproduktion.opinions.importer import polis_import
from koproduktion.opinions.models import Statement
from koproduktion.opinions.polis_export import PolisExport, PolisExportError, read_polis_files
from koproduktion.opinions.polis_files import NO_LIMITS, files_in_directory, files_in_zip
from koproduktion.opinions.polismath.replay import POLIS_POLL_MS
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_create

DEMO_MUNICIPALITY = ("musterstadt", "Musterstadt")


class Command(BaseCommand):
    help = (
        "Importiert einen Polis-Export (ein Verzeichnis oder ZIP-Archiv mit comments.csv, "
        "votes.csv oder participants-votes.csv) als Meinungsbild eines Vorhabens und gibt "
        "dessen Kurznamen aus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--project", help="Kurzname des Vorhabens; ohne ihn wird ein neuer Entwurf angelegt."
        )
        parser.add_argument(
            "--municipality", default=DEMO_MUNICIPALITY[0], help="Kurzname der Kommune."
        )
        parser.add_argument(
            "--replay",
            nargs="?",
            type=float,
            const=POLIS_POLL_MS / 1000,
            default=None,
            metavar="SECONDS",
            help=(
                "Die Stimmen in zeitlicher Reihenfolge nachrechnen wie Polis: neu berechnet wird, "
                "sobald neue Stimmen da und SECONDS Sekunden (Standard 1, wie Polis) vergangen "
                "sind. Braucht votes.csv; bei großen Unterhaltungen einige Minuten."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            export = self._read(directory)
        except PolisExportError as error:
            raise CommandError(f"{directory}: {error}") from error
        for notice in export.notices:
            times = f" ({notice.count} times)" if notice.count > 1 else ""
            self.stderr.write(f"{notice.problem}{times}")
        replay_seconds = options["replay"]
        if replay_seconds is not None and export.timestamp is None:
            raise CommandError(f"{directory}: --replay needs votes.csv (the vote times)")
        with transaction.atomic():
            municipality = self._municipality(options["municipality"])
            project = self._project(municipality, options["project"], directory)
            summary = polis_import(
                export=export,
                project=project,
                replay_interval_ms=None if replay_seconds is None else replay_seconds * 1000,
            )
        self.stderr.write(
            f"{summary.statements} statements, {summary.participants} participants, "
            f"{summary.votes} votes imported into {municipality.slug}/{project.slug}"
        )
        self.stdout.write(project.slug)

    def _read(self, path: Path) -> PolisExport:
        if path.is_file():
            with files_in_zip(path, name=path.name, limits=NO_LIMITS) as files:
                return read_polis_files(files)
        with files_in_directory(path) as files:
            return read_polis_files(files)

    def _municipality(self, slug: str) -> Municipality:
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is not None:
            return municipality
        if slug != DEMO_MUNICIPALITY[0]:
            raise CommandError(f"no municipality '{slug}'")
        return Municipality.objects.create(slug=slug, name=DEMO_MUNICIPALITY[1])

    def _project(self, municipality: Municipality, slug: str | None, directory: Path) -> Project:
        if slug:
            project = Project.objects.filter(municipality=municipality, slug=slug).first()
            if project is not None:
                if Statement.objects.filter(project=project).exists():
                    raise CommandError(f"project '{slug}' already has statements")
                return project
        else:
            base = slugify(directory.resolve().stem)[:70] or "polis"
            slug, n = base, 1
            while Project.objects.filter(municipality=municipality, slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
        # A draft: staff decide whether and when an imported conversation is shown.
        return project_create(
            municipality=municipality,
            slug=slug,
            title=f"Polis: {directory.resolve().stem}",
            summary="Importiertes Meinungsbild aus einer Polis-Unterhaltung.",
            phase=PhaseKind.DIALOGUE,
            is_published=False,
        )
