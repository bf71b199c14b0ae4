"""The datasets of a town's open data: public records only, without personal data.

What stays out, everywhere: user ids, names and e-mail addresses of people, who wrote an idea
or a comment (not even the pseudonym: a contribution is published, its author is not), who
voted what (polls give their counted totals only), contact fields. What is in: records of
published projects of the town only; ideas and comments that are neither hidden by the
moderation nor withdrawn; polls whose results the public may see (``decisions.can_see_results``);
confirmed organisations and initiatives past their draft (docs/open-data.md).

To add a dataset (the support offers, say), ``register(Dataset(...))`` below with its columns,
a ``rows`` function and the ``source`` and ``stamp`` that tell when its rows change; the ZIP, the
page's dictionary, the single downloads and the API pick it up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from koproduktion.core.links import absolute_url
from koproduktion.core.models import Municipality, Organisation
from koproduktion.decisions.models import Decision, Poll
from koproduktion.decisions.results import poll_results
from koproduktion.dialogue.models import Comment
from koproduktion.events.models import Event
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Milestone, MilestoneStatus, Update
from koproduktion.initiatives.models import Initiative, State
from koproduktion.projects.models import Phase, PhaseChange, Project

from .datasets import Column, Dataset, register

ID = Column("id", "integer", _("Kennung des Datensatzes, eindeutig in dieser Datei."))
PROJECT_ID = Column("project_id", "integer", _("Kennung des Vorhabens (projects.id)."))
URL = Column("url", "string", _("Adresse der öffentlichen Seite."))
TOPIC = Column("topic", "string", _("Thema (Kurzname); leer ohne Thema."))
NEIGHBOURHOOD = Column(
    "neighbourhood", "string", _("Quartier (Kurzname); leer, wenn es die ganze Kommune betrifft.")
)
LATITUDE = Column("latitude", "number", _("Breitengrad (WGS 84); leer ohne Ort."))
LONGITUDE = Column("longitude", "number", _("Längengrad (WGS 84); leer ohne Ort."))


def _public_projects(town: Municipality) -> QuerySet[Project]:
    return Project.objects.filter(municipality=town, is_published=True)


def _slug(record: Any) -> str | None:
    return record.slug if record is not None else None


def _name(record: Any) -> str | None:
    return record.name if record is not None else None


# --- Projects and their phases ---------------------------------------------------------------


def _projects(town: Municipality) -> Iterator[list[Any]]:
    for project in _public_projects(town).select_related("topic", "neighbourhood", "department"):
        yield [
            project.pk,
            project.slug,
            project.title,
            project.summary,
            project.description,
            project.phase,
            _slug(project.topic),
            _slug(project.neighbourhood),
            _name(project.department),
            project.cost_estimate_cents,
            project.next_decision_date,
            project.published_at,
            project.updated_at,
            absolute_url(reverse("projects:detail", args=[town.slug, project.slug])),
        ]


PHASE_KINDS = _("information, dialogue, decision, implementation oder evaluation.")

register(
    Dataset(
        name="projects",
        title=_("Vorhaben"),
        description=_("Die veröffentlichten Vorhaben der Kommune."),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("title", "string", _("Titel.")),
            Column("summary", "string", _("Kurzbeschreibung.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("phase", "string", _("Aktuelle Phase: %(kinds)s") % {"kinds": PHASE_KINDS}),
            TOPIC,
            NEIGHBOURHOOD,
            Column("department", "string", _("Federführender Fachbereich.")),
            Column("cost_estimate_cents", "integer", _("Geschätzte Kosten in Cent.")),
            Column("next_decision_date", "date", _("Nächster Entscheidungstermin.")),
            Column("published_at", "datetime", _("Zuerst veröffentlicht (UTC).")),
            Column("updated_at", "datetime", _("Zuletzt geändert (UTC).")),
            URL,
        ),
        rows=_projects,
        source=_public_projects,
        stamp=(Count("pk"), Max("updated_at"), Sum("content_version")),
    )
)


def _phases(town: Municipality) -> Iterator[list[Any]]:
    phases = Phase.objects.filter(municipality=town, project__is_published=True)
    for phase in phases.order_by("project_id", "starts_on", "pk"):
        yield [
            phase.pk,
            phase.project_id,
            phase.kind,
            phase.starts_on,
            phase.ends_on,
            phase.description,
        ]


register(
    Dataset(
        name="phases",
        title=_("Phasen"),
        description=_("Der Zeitplan jedes Vorhabens: die geplanten Phasen."),
        columns=(
            ID,
            PROJECT_ID,
            Column("kind", "string", _("Phase: %(kinds)s") % {"kinds": PHASE_KINDS}),
            Column("starts_on", "date", _("Geplanter Beginn.")),
            Column("ends_on", "date", _("Geplantes Ende; leer, wenn offen.")),
            Column("description", "string", _("Was in dieser Phase geschieht.")),
        ),
        rows=_phases,
        source=lambda town: Phase.objects.filter(municipality=town, project__is_published=True),
        stamp=(Count("pk"), Max("pk")),
    )
)


def _phase_changes(town: Municipality) -> Iterator[list[Any]]:
    changes = PhaseChange.objects.filter(municipality=town, project__is_published=True)
    for change in changes.order_by("changed_at", "pk"):
        yield [change.pk, change.project_id, change.from_phase, change.to_phase, change.note,
               change.changed_at]  # fmt: skip


register(
    Dataset(
        name="phase_changes",
        title=_("Phasenwechsel"),
        description=_("Wann ein Vorhaben in die nächste Phase ging, mit der öffentlichen Notiz."),
        columns=(
            ID,
            PROJECT_ID,
            Column("from_phase", "string", _("Bisherige Phase.")),
            Column("to_phase", "string", _("Neue Phase.")),
            Column("note", "string", _("Öffentliche Notiz der Verwaltung.")),
            Column("changed_at", "datetime", _("Zeitpunkt des Wechsels (UTC).")),
        ),
        rows=_phase_changes,
        source=lambda town: PhaseChange.objects.filter(
            municipality=town, project__is_published=True
        ),
        stamp=(Count("pk"), Max("pk")),
    )
)


# --- Ideas and comments ------------------------------------------------------------------------


def _shown_ideas(town: Municipality) -> QuerySet[Idea]:
    """Ideas of published projects that neither the moderation hid nor their author withdrew."""
    return Idea.objects.filter(
        municipality=town,
        project__is_published=True,
        hidden_at__isnull=True,
        withdrawn_at__isnull=True,
    )


def _ideas(town: Municipality) -> Iterator[list[Any]]:
    ideas = _shown_ideas(town).select_related("project", "topic", "neighbourhood")
    shown = set(_shown_ideas(town).values_list("pk", flat=True))
    for idea in ideas.order_by("created_at", "pk"):
        yield [
            idea.pk,
            idea.project_id,
            idea.title,
            idea.text,
            idea.status,
            idea.source,
            _slug(idea.topic),
            _slug(idea.neighbourhood),
            idea.latitude,
            idea.longitude,
            idea.address,
            idea.support_count,
            idea.comment_count,
            idea.created_at,
            idea.merged_into_id if idea.merged_into_id in shown else None,
            absolute_url(reverse("ideas:detail", args=[town.slug, idea.project.slug, idea.pk])),
        ]


register(
    Dataset(
        name="ideas",
        title=_("Ideen"),
        description=_(
            "Ideen und Beiträge zu den Vorhaben, ohne Angaben zu den Verfasser*innen; ohne "
            "ausgeblendete und zurückgezogene."
        ),
        columns=(
            ID,
            PROJECT_ID,
            Column("title", "string", _("Titel.")),
            Column("text", "string", _("Beschreibung (Markdown).")),
            Column(
                "status",
                "string",
                _(
                    "Was aus der Idee wurde: new, under_review, answered, accepted, rejected, "
                    "implemented oder merged."
                ),
            ),
            Column(
                "source",
                "string",
                _("Woher die Idee kam: online, paper, phone, workshop oder letter."),
            ),
            TOPIC,
            NEIGHBOURHOOD,
            LATITUDE,
            LONGITUDE,
            Column("address", "string", _("Ort oder Adresse, auf den sich die Idee bezieht.")),
            Column("support_count", "integer", _("Zahl der Unterstützungen.")),
            Column("comment_count", "integer", _("Zahl der Kommentare.")),
            Column("created_at", "datetime", _("Eingereicht (UTC).")),
            Column(
                "merged_into_id",
                "integer",
                _("Die Idee, mit der diese zusammengeführt wurde (ideas.id)."),
            ),
            URL,
        ),
        rows=_ideas,
        source=lambda town: Idea.objects.filter(municipality=town),
        # Comments and supports raise the idea's version; status and moderation the project's.
        stamp=(
            Count("pk"),
            Max("pk"),
            Sum("content_version"),
            Count("hidden_at"),
            Count("withdrawn_at"),
        ),
    )
)


def _comments(town: Municipality) -> Iterator[list[Any]]:
    comments = Comment.objects.filter(
        municipality=town, hidden_at__isnull=True, idea__in=_shown_ideas(town)
    )
    shown = set(comments.values_list("pk", flat=True))
    for comment in comments.order_by("created_at", "pk"):
        yield [
            comment.pk,
            comment.idea_id,
            comment.project_id,
            comment.parent_id if comment.parent_id in shown else None,
            comment.stance,
            comment.text,
            comment.is_official,
            comment.source,
            comment.created_at,
        ]


register(
    Dataset(
        name="comments",
        title=_("Kommentare"),
        description=_(
            "Die Diskussion der Ideen, ohne Angaben zu den Verfasser*innen; ohne ausgeblendete."
        ),
        columns=(
            ID,
            Column("idea_id", "integer", _("Die kommentierte Idee (ideas.id).")),
            PROJECT_ID,
            Column(
                "parent_id",
                "integer",
                _("Der Kommentar, auf den dieser antwortet (comments.id); leer sonst."),
            ),
            Column("stance", "string", _("Haltung: pro, contra, question oder neutral.")),
            Column("text", "string", _("Text (Markdown).")),
            Column("is_official", "boolean", _("Offizielle Antwort der Verwaltung.")),
            Column("source", "string", _("Woher der Kommentar kam: online, paper, …")),
            Column("created_at", "datetime", _("Geschrieben (UTC).")),
        ),
        rows=_comments,
        source=lambda town: Comment.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("hidden_at")),
    )
)


# --- Decisions and polls ------------------------------------------------------------------------


def _public_decisions(town: Municipality) -> QuerySet[Decision]:
    return Decision.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True), municipality=town
    )


def _decisions(town: Municipality) -> Iterator[list[Any]]:
    decisions = _public_decisions(town).prefetch_related("ideas", "polls")
    shown_ideas = set(_shown_ideas(town).values_list("pk", flat=True))
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
            " ".join(str(idea.pk) for idea in decision.ideas.all() if idea.pk in shown_ideas),
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


# --- Implementation -----------------------------------------------------------------------------


def _milestones(town: Municipality) -> Iterator[list[Any]]:
    milestones = Milestone.objects.filter(municipality=town, project__is_published=True)
    for milestone in milestones.select_related(
        "responsible_department", "responsible_organisation"
    ).order_by("project_id", "target_date", "pk"):
        yield [
            milestone.pk,
            milestone.project_id,
            milestone.title,
            milestone.description,
            milestone.target_date,
            milestone.status,
            milestone.percent_complete,
            milestone.weight,
            _name(milestone.responsible_department),
            _name(milestone.responsible_organisation),
            milestone.responsible_group,
            milestone.delay_reason if milestone.status == MilestoneStatus.DELAYED else "",
            milestone.completed_on,
        ]


register(
    Dataset(
        name="milestones",
        title=_("Meilensteine"),
        description=_("Die Schritte der Umsetzung, wer dafür einsteht und wie weit sie sind."),
        columns=(
            ID,
            PROJECT_ID,
            Column("title", "string", _("Titel.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("target_date", "date", _("Zieldatum.")),
            Column("status", "string", _("Stand: planned, in_progress, done oder delayed.")),
            Column("percent_complete", "integer", _("Fortschritt in Prozent.")),
            Column("weight", "integer", _("Gewicht im Fortschritt des Vorhabens.")),
            Column("responsible_department", "string", _("Verantwortlicher Fachbereich.")),
            Column("responsible_organisation", "string", _("Verantwortliche Organisation.")),
            Column("responsible_group", "string", _("Verantwortliche Gruppe von Bürger*innen.")),
            Column("delay_reason", "string", _("Grund der Verzögerung (nur bei delayed).")),
            Column("completed_on", "date", _("Erledigt am.")),
        ),
        rows=_milestones,
        source=lambda town: Project.objects.filter(municipality=town, is_published=True),
        # The plan's services raise the project's version (counted with the projects).
        stamp=(Count("milestones"),),
    )
)


def _updates(town: Municipality) -> Iterator[list[Any]]:
    updates = Update.objects.filter(municipality=town, project__is_published=True)
    for update in updates.order_by("created_at", "pk"):
        yield [
            update.pk,
            update.project_id,
            update.milestone_id,
            update.posted_as,
            update.text,
            update.created_at,
        ]


register(
    Dataset(
        name="updates",
        title=_("Fortschrittsberichte"),
        description=_("Berichte über den Fortschritt der Umsetzung."),
        columns=(
            ID,
            PROJECT_ID,
            Column("milestone_id", "integer", _("Meilenstein (milestones.id), falls einer.")),
            Column("posted_as", "string", _("Im Namen von (Fachbereich, Verein, Gruppe).")),
            Column("text", "string", _("Text (Markdown).")),
            Column("created_at", "datetime", _("Veröffentlicht (UTC).")),
        ),
        rows=_updates,
        source=lambda town: Update.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk")),
    )
)


# --- Events, initiatives, organisations ---------------------------------------------------------


def _public_events(town: Municipality) -> QuerySet[Event]:
    return Event.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True),
        municipality=town,
        is_published=True,
    )


def _events(town: Municipality) -> Iterator[list[Any]]:
    events = _public_events(town).select_related("neighbourhood", "department", "organisation")
    for event in events.order_by("starts_at", "pk"):
        yield [
            event.pk,
            event.project_id,
            event.title,
            event.description,
            event.kind,
            event.status,
            event.starts_at,
            event.ends_at,
            event.venue,
            event.address,
            event.latitude,
            event.longitude,
            _slug(event.neighbourhood),
            event.step_free,
            event.hearing_loop,
            event.sign_language,
            event.childcare,
            event.accessibility,
            event.capacity,
            _name(event.department),
            _name(event.organisation),
            event.cancel_reason,
            absolute_url(reverse("events:detail", args=[town.slug, event.pk])),
        ]


register(
    Dataset(
        name="events",
        title=_("Veranstaltungen"),
        description=_("Veröffentlichte Veranstaltungen: Werkstätten, Infoabende, Rundgänge."),
        columns=(
            ID,
            Column(
                "project_id", "integer", _("Vorhaben (projects.id); leer für die ganze Kommune.")
            ),
            Column("title", "string", _("Titel.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("kind", "string", _("Art der Veranstaltung.")),
            Column("status", "string", _("Stand: findet statt oder abgesagt.")),
            Column("starts_at", "datetime", _("Beginn (UTC).")),
            Column("ends_at", "datetime", _("Ende (UTC).")),
            Column("venue", "string", _("Veranstaltungsort.")),
            Column("address", "string", _("Adresse.")),
            LATITUDE,
            LONGITUDE,
            NEIGHBOURHOOD,
            Column("step_free", "boolean", _("Stufenloser Zugang.")),
            Column("hearing_loop", "boolean", _("Induktionsschleife.")),
            Column("sign_language", "boolean", _("Gebärdensprache auf Anfrage.")),
            Column("childcare", "boolean", _("Kinderbetreuung.")),
            Column("accessibility", "string", _("Weitere Hinweise zur Barrierefreiheit.")),
            Column("capacity", "integer", _("Plätze; leer ohne Grenze.")),
            Column("department", "string", _("Veranstaltender Fachbereich.")),
            Column("organisation", "string", _("Veranstaltende Organisation.")),
            Column("cancel_reason", "string", _("Grund der Absage.")),
            URL,
        ),
        rows=_events,
        source=lambda town: Event.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("is_published", filter=Q(is_published=True))),
    )
)


def _public_initiatives(town: Municipality) -> QuerySet[Initiative]:
    return Initiative.objects.filter(municipality=town).exclude(state=State.DRAFT)


def _initiatives(town: Municipality) -> Iterator[list[Any]]:
    initiatives = _public_initiatives(town).select_related(
        "neighbourhood", "topic", "organisation", "partner_department", "project"
    )
    for initiative in initiatives.order_by("created_at", "pk"):
        project = initiative.project
        yield [
            initiative.pk,
            initiative.slug,
            initiative.title,
            initiative.summary,
            initiative.why,
            initiative.help_needed,
            initiative.state,
            _slug(initiative.neighbourhood),
            _slug(initiative.topic),
            _name(initiative.organisation),
            initiative.support_count,
            _name(initiative.partner_department),
            project.pk if project is not None and project.is_published else None,
            initiative.created_at,
            absolute_url(reverse("initiatives:detail", args=[town.slug, initiative.slug])),
        ]


register(
    Dataset(
        name="initiatives",
        title=_("Initiativen"),
        description=_(
            "Vorhaben, die Bürger*innen oder Organisationen vorschlagen; ohne Entwürfe und ohne "
            "die Namen der Initiator*innen."
        ),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("title", "string", _("Titel.")),
            Column("summary", "string", _("Kurzbeschreibung.")),
            Column("why", "string", _("Warum (Markdown).")),
            Column("help_needed", "string", _("Wobei Hilfe gebraucht wird (Markdown).")),
            Column(
                "state",
                "string",
                _("Stand: collecting, requested, accepted, declined oder withdrawn."),
            ),
            NEIGHBOURHOOD,
            TOPIC,
            Column("organisation", "string", _("Tragende Organisation.")),
            Column("support_count", "integer", _("Zahl der Unterstützer*innen.")),
            Column("partner_department", "string", _("Partner-Fachbereich der Verwaltung.")),
            Column("project_id", "integer", _("Das Vorhaben, das daraus wurde (projects.id).")),
            Column("created_at", "datetime", _("Gestartet (UTC).")),
            URL,
        ),
        rows=_initiatives,
        source=lambda town: Initiative.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("updated_at")),
    )
)


def _confirmed_organisations(town: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality=town, verified_at__isnull=False)


def _organisations(town: Municipality) -> Iterator[list[Any]]:
    organisations = _confirmed_organisations(town).prefetch_related("neighbourhoods", "topics")
    for organisation in organisations.order_by("name", "pk"):
        yield [
            organisation.pk,
            organisation.slug,
            organisation.name,
            organisation.kind,
            organisation.description,
            organisation.website,
            " ".join(sorted(place.slug for place in organisation.neighbourhoods.all())),
            " ".join(sorted(topic.slug for topic in organisation.topics.all())),
            organisation.verified_at,
            absolute_url(reverse("actors:profile", args=[town.slug, organisation.slug]))
            if organisation.slug
            else "",
        ]


register(
    Dataset(
        name="organisations",
        title=_("Organisationen"),
        description=_(
            "Die bestätigten Organisationen vor Ort: Vereine, Initiativen, Schulen und mehr. "
            "Ohne Kontaktangaben; die stehen auf dem Profil."
        ),
        columns=(
            ID,
            Column("slug", "string", _("Kurzname in der Adresse.")),
            Column("name", "string", _("Name.")),
            Column("kind", "string", _("Art der Organisation.")),
            Column("description", "string", _("Beschreibung (Markdown).")),
            Column("website", "string", _("Website.")),
            Column(
                "neighbourhoods", "string", _("Quartiere (Kurznamen), durch Leerzeichen getrennt.")
            ),
            Column("topics", "string", _("Themen (Kurznamen), durch Leerzeichen getrennt.")),
            Column("verified_at", "datetime", _("Von der Kommune bestätigt (UTC).")),
            URL,
        ),
        rows=_organisations,
        source=lambda town: Organisation.objects.filter(municipality=town),
        # Edits of a profile raise the town's version, which the fingerprint holds.
        stamp=(Count("pk"), Max("pk"), Count("verified_at")),
    )
)
