"""Decisions and the counted results of polls."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.decisions.models import Decision, Poll
from koproduktion.decisions.results import ResultRow, poll_results

from ..datasets import Column, Dataset, register
from .common import ID, shown_ideas, url_column


def _public_decisions(town: Municipality) -> QuerySet[Decision]:
    return Decision.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True), municipality=town
    )


def _decisions(town: Municipality) -> QuerySet[Decision]:
    # The ideas of the file only: a decision may name a hidden or withdrawn one.
    shown = Prefetch("ideas", queryset=shown_ideas(town).order_by("pk"), to_attr="shown_ideas")
    return _public_decisions(town).prefetch_related(shown, "polls").order_by("decided_on", "pk")


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
                "idea_ids",
                "string",
                _("Betroffene Ideen (ideas.id), durch Leerzeichen getrennt."),
                lambda decision, _town: " ".join(str(i.pk) for i in decision.shown_ideas),
            ),
            Column(
                "poll_ids",
                "string",
                _("Zugrunde liegende Abstimmungen, durch Leerzeichen getrennt."),
                lambda decision, _town: " ".join(str(p.pk) for p in decision.polls.all()),
            ),
            Column("minutes_url", "string", _("Link zum Protokoll.")),
            Column("version", "integer", _("Fassung; steigt mit jeder Änderung.")),
            Column("recorded_at", "datetime", _("Eingetragen (UTC).")),
            url_column("decisions:detail", lambda decision: decision.pk),
        ),
        records=_decisions,
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


def _poll(attribute: str) -> Callable[[OptionResult, Municipality], Any]:
    return lambda result, _town: getattr(result.poll, attribute)


@dataclass(frozen=True)
class OptionResult:
    """One option's counted result (``ResultRow``: ``option_id``, ``votes`` …) with its poll:
    one row of the file."""

    poll: Poll
    ballots: int
    row: ResultRow

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _poll_results(town: Municipality) -> Iterator[OptionResult]:
    for poll in _public_polls(town):
        results = poll_results(poll)
        for row in results.rows:
            yield OptionResult(poll, results.ballots, row)


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
            Column("poll_id", "integer", _("Kennung der Abstimmung."), _poll("pk")),
            Column(
                "project_id",
                "integer",
                _("Kennung des Vorhabens (projects.id)."),
                _poll("project_id"),
            ),
            Column("poll_title", "string", _("Titel der Abstimmung."), _poll("title")),
            Column(
                "poll_kind", "string", _("Art: approval, ranking, dots oder budget."), _poll("kind")
            ),
            Column("opens_at", "datetime", _("Beginn (UTC)."), _poll("opens_at")),
            Column("closes_at", "datetime", _("Ende (UTC)."), _poll("closes_at")),
            Column(
                "final",
                "boolean",
                _("Abgeschlossen: das Ergebnis ändert sich nicht mehr."),
                lambda result, _town: result.poll.is_closed(),
            ),
            Column("ballots", "integer", _("Gezählte Stimmzettel der Abstimmung.")),
            Column("option_id", "integer", _("Kennung der Option.")),
            Column(
                "option_title", "string", _("Titel der Option."), lambda result, _town: result.title
            ),
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
        records=_poll_results,
        source=lambda town: Poll.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("ballots")),
    )
)
