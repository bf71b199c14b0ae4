"""manage.py opinion_map SLUG --json: the computed opinion map of a project, as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import OpinionMap, Participant, StatementVote


class Command(BaseCommand):
    help = "Gibt das berechnete Meinungsbild eines Vorhabens aus (mit --json als JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project")
        parser.add_argument("--municipality", default="musterstadt")
        parser.add_argument("--json", action="store_true", help="JSON statt Text ausgeben")

    def handle(self, *args: Any, **options: Any) -> None:
        opinion_map = OpinionMap.objects.filter(
            project__slug=options["project"], municipality__slug=options["municipality"]
        ).first()
        if opinion_map is None:
            raise CommandError(
                f"no opinion map for project '{options['project']}' in '{options['municipality']}'"
            )
        votes = StatementVote.objects.filter(project_id=opinion_map.project_id).count()
        if opinion_map.result is None or votes != opinion_map.votes_at_computation:
            opinion_map = opinion_map_compute(opinion_map=opinion_map)
        payload = self._payload(opinion_map)
        if options["json"]:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        for group in payload["groups"]:
            self.stdout.write(f"group {group['id']}: {len(group['participants'])} participants")
        self.stdout.write(f"consensus: {len(payload['consensus'].get('agree', []))} agree")

    def _payload(self, opinion_map: OpinionMap) -> dict[str, Any]:
        """The stored result with participants and statements named by their export ids."""
        result = opinion_map.result or {"groups": [], "consensus": {}}
        participant = {
            pk: (int(ext) if ext.isdigit() else ext) if ext else pk
            for pk, ext in Participant.objects.filter(
                project_id=opinion_map.project_id
            ).values_list("pk", "external_id")
        }
        statement = {
            pk: (int(ext) if ext.isdigit() else ext) if ext else pk
            for pk, ext in opinion_map.project.statements.values_list("pk", "external_id")
        }

        def named(item: dict[str, Any]) -> dict[str, Any]:
            return {**item, "statement": statement.get(item["statement"], item["statement"])}

        return {
            "computed_at": opinion_map.computed_at.isoformat() if opinion_map.computed_at else None,
            "groups": [
                {
                    "id": group["id"],
                    "participants": sorted(participant[pk] for pk in group["members"]),
                    "repness": [named(r) for r in group["representative"]],
                }
                for group in result["groups"]
            ],
            "consensus": {
                direction: [named(c) for c in items]
                for direction, items in result["consensus"].items()
            },
        }
