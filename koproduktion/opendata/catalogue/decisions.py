"""Decisions and the counted results of polls."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality
from koproduktion.decisions.models import Decision, Poll
from koproduktion.decisions.results import poll_results

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    PROJECT_ID,
    URL,
    shown_ideas,
)


def _public_decisions(town: Municipality) -> QuerySet[Decision]:
    return Decision.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True), municipality=town
    )


def _decisions(town: Municipality) -> Iterator[list[Any]]:
    decisions = _public_decisions(town).prefetch_related("ideas", "polls")
    shown = set(shown_ideas(town).values_list("pk", flat=True))
    for decision in decisions.order_by("decided_on", "pk"):
        yield [
            decision.pk,
            decision.project_id,
            decision.title,
            decision.body,
            decision.body_name,
            decision.decided_on,
            decision.outcome,
            decision.reasons,
            " ".join(str(idea.pk) for idea in decision.ideas.all() if idea.pk in shown),
            " ".join(str(poll.pk) for poll in decision.polls.all()),
            decision.minutes_url,
            decision.version,
            decision.recorded_at,
            absolute_url(reverse("decisions:detail", args=[town.slug, decision.pk])),
        ]


register(
    Dataset(
        name="decisions",
        title=_("Beschlüsse"),
        description=_("Die Beschlüsse mit Gremium, Datum, Ergebnis und Begründung."),
        columns=(
            ID,
            Column("project_id", "integer", _("Vorhaben (projects.id); leer ohne Vorhaben.")),
            Column("title", "string", _("Gegenstand.")),
            Column(
                "body",
                "string",
                _("Gremium: council, committee, administration oder neighbourhood_assembly."),
            ),
            Column("body_name", "string", _("Name des Gremiums.")),
            Column("decided_on", "date", _("Datum der Entscheidung.")),
            Column("outcome", "string", _("Ergebnis: adopted, rejected, modified oder deferred.")),
            Column("reasons", "string", _("Begründung (Markdown).")),
            Column(
                "idea_ids", "string", _("Betroffene Ideen (ideas.id), durch Leerzeichen getrennt.")
            ),
            Column(
                "poll_ids",
                "string",
                _("Zugrunde liegende Abstimmungen, durch Leerzeichen getrennt."),
            ),
            Column("minutes_url", "string", _("Link zum Protokoll.")),
            Column("version", "integer", _("Fassung; steigt mit jeder Änderung.")),
            Column("recorded_at", "datetime", _("Eingetragen (UTC).")),
            URL,
        ),
        rows=_decisions,
        source=_public_decisions,
        stamp=(Count("pk"), Max("pk"), Sum("version")),
    )
)


def _public_polls(town: Municipality) -> list[Poll]:
    polls = Poll.objects.filter(municipality=town, project__is_published=True)
    visitor = AnonymousUser()
    return [
        poll
        for poll in polls.select_related("project__municipality").order_by("closes_at", "pk")
        if rules.test_rule("decisions.can_see_results", visitor, poll)
    ]


def _poll_results(town: Municipality) -> Iterator[list[Any]]:
    for poll in _public_polls(town):
        results = poll_results(poll)
        for row in results.rows:
            yield [
                poll.pk,
                poll.project_id,
                poll.title,
                poll.kind,
                poll.opens_at,
                poll.closes_at,
                poll.is_closed(),
                results.ballots,
                row.option_id,
                row.title,
                row.idea_id,
                row.rank,
                row.votes,
                row.score,
                row.cost_cents,
                row.funded,
            ]


register(
    Dataset(
        name="poll_results",
        title=_("Abstimmungsergebnisse"),
        description=_(
            "Die gezählten Ergebnisse der Abstimmungen und Bürgerhaushalte, eine Zeile je "
            "Option; nur Summen, nie wer wie abgestimmt hat. Laufende Abstimmungen nur, wenn "
            "sie ihre Ergebnisse laufend zeigen."
        ),
        columns=(
            Column("poll_id", "integer", _("Kennung der Abstimmung.")),
            PROJECT_ID,
            Column("poll_title", "string", _("Titel der Abstimmung.")),
            Column("poll_kind", "string", _("Art: approval, ranking, dots oder budget.")),
            Column("opens_at", "datetime", _("Beginn (UTC).")),
            Column("closes_at", "datetime", _("Ende (UTC).")),
            Column("final", "boolean", _("Abgeschlossen: das Ergebnis ändert sich nicht mehr.")),
            Column("ballots", "integer", _("Gezählte Stimmzettel der Abstimmung.")),
            Column("option_id", "integer", _("Kennung der Option.")),
            Column("option_title", "string", _("Titel der Option.")),
            Column("idea_id", "integer", _("Die Idee hinter der Option (ideas.id), falls eine.")),
            Column("rank", "integer", _("Platz im Ergebnis (1 = vorn).")),
            Column("votes", "integer", _("Stimmzettel, die die Option nennen.")),
            Column(
                "score",
                "integer",
                _("Wonach gereiht wird: Kreuze, Punkte oder Borda-Punkte (Rangfolge)."),
            ),
            Column("cost_cents", "integer", _("Kosten der Option in Cent (Bürgerhaushalt).")),
            Column("funded", "boolean", _("Im Budget finanziert (nur Bürgerhaushalt).")),
        ),
        rows=_poll_results,
        source=lambda town: Poll.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("ballots")),
    )
)
