"""manage.py import_polis DIR [--project SLUG]: a Polis export becomes a project's opinion map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from koproduktion.core.models import Municipality
from koproduktion.opinions.importer import polis_import
from koproduktion.opinions.models import Statement
from koproduktion.opinions.polis_export import PolisExportError, read_polis_export
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_create

DEMO_MUNICIPALITY = ("musterstadt", "Musterstadt")


class Command(BaseCommand):
    help = (
        "Importiert einen Polis-Export (comments.csv, votes.csv oder participants-votes.csv) "
        "als Meinungsbild eines Vorhabens und gibt dessen Kurznamen aus."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--project", help="Kurzname des Vorhabens; ohne ihn wird ein neuer Entwurf angelegt."
        )
        parser.add_argument(
            "--municipality", default=DEMO_MUNICIPALITY[0], help="Kurzname der Kommune."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            export = read_polis_export(directory)
        except PolisExportError as error:
            raise CommandError(f"{directory}: {error}") from error
        with transaction.atomic():
            municipality = self._municipality(options["municipality"])
            project = self._project(municipality, options["project"], directory)
            summary = polis_import(export=export, project=project)
        self.stderr.write(
            f"{summary.statements} statements, {summary.participants} participants, "
            f"{summary.votes} votes imported into {municipality.slug}/{project.slug}"
        )
        self.stdout.write(project.slug)

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
            base = slugify(directory.resolve().name)[:70] or "polis"
            slug, n = base, 1
            while Project.objects.filter(municipality=municipality, slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
        # A draft: staff decide whether and when an imported conversation is shown.
        return project_create(
            municipality=municipality,
            slug=slug,
            title=f"Polis: {directory.resolve().name}",
            summary="Importiertes Meinungsbild aus einer Polis-Unterhaltung.",
            phase=PhaseKind.DIALOGUE,
            is_published=False,
        )
