"""Activity: one row per meaningful act of a person, the raw material of the PIMEV funnel.

The rows follow from the domain apps' own records (``sources.py`` says which record is which
act); ``FunnelFigure`` holds the funnel computed from them (``funnel.py``), so that a page reads
a few dozen figures, not a million acts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import Neighbourhood, TenantModel
from koproduktion.projects.models import Project


class Kind(models.TextChoices):
    IDEA = "idea", _("Idee eingebracht")
    COMMENT = "comment", _("kommentiert")
    SUPPORT = "support", _("Idee unterstützt")
    STATEMENT = "statement", _("These eingereicht")
    STATEMENT_VOTE = "statement_vote", _("beim Meinungsbild abgestimmt")
    POLL_PARTICIPATION = "poll_participation", _("an einer Abstimmung teilgenommen")
    FOLLOW = "follow", _("folgt einem Vorhaben oder einer Idee")
    EVENT_REGISTRATION = "event_registration", _("zu einer Veranstaltung angemeldet")
    COMMITMENT = "commitment", _("eine Aufgabe oder Schicht zugesagt")
    TASK_COMPLETED = "task_completed", _("eine Aufgabe erledigt")
    SPONSORSHIP_APPLICATION = "sponsorship_application", _("eine Patenschaft beantragt")
    SPONSORSHIP = "sponsorship", _("eine Patenschaft übernommen")
    INITIATIVE_SUPPORT = "initiative_support", _("eine Initiative unterstützt")
    CO_INITIATOR = "co_initiator", _("eine Initiative mit angestoßen")
    NEED_OFFER = "need_offer", _("Hilfe für eine Initiative angeboten")
    SURVEY_ANSWER = "survey_answer", _("an einer Auswertung teilgenommen")


class Stage(models.TextChoices):
    """The steps of the PIMEV funnel, in order."""

    PARTICIPATION = "participation", _("Partizipation")
    IDENTIFICATION = "identification", _("Identifikation")
    MOTIVATION = "motivation", _("Motivation")
    ENGAGEMENT = "engagement", _("Engagement")
    RESPONSIBILITY = "responsibility", _("Verantwortung")


# The acts that make a person count for a stage beyond taking part (see funnel.py).
FOLLOW_KINDS = frozenset({Kind.FOLLOW})
ENGAGEMENT_KINDS = frozenset(
    {Kind.EVENT_REGISTRATION, Kind.COMMITMENT, Kind.SPONSORSHIP_APPLICATION, Kind.NEED_OFFER}
)
RESPONSIBILITY_KINDS = frozenset({Kind.TASK_COMPLETED, Kind.SPONSORSHIP, Kind.CO_INITIATOR})


class Activity(TenantModel):
    """One act of one person: what, when, in which project and neighbourhood."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    # The record the act is (an idea's id for an idea, a commitment's for a commitment): with
    # the kind, it makes recording the same act twice impossible.
    source_id = models.BigIntegerField()
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    # Where the act belongs: the idea's or the event's neighbourhood, else its project's.
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Quartier"),
    )
    occurred_at = models.DateTimeField(_("Zeitpunkt"))
    # The local calendar day and month of ``occurred_at``, so that "came back another day" and
    # "active in two months" are plain comparisons on every database.
    day = models.DateField()
    month = models.DateField()

    class Meta:
        verbose_name = _("Aktivität")
        verbose_name_plural = _("Aktivitäten")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="activity_once_per_act")
        ]
        indexes = [
            models.Index(fields=["municipality", "user", "month"], name="activity_town_person"),
            models.Index(fields=["municipality", "-id"], name="activity_town_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.day}"


class Scope(models.TextChoices):
    TOWN = "town", _("Kommune")
    NEIGHBOURHOOD = "neighbourhood", _("Quartier")
    PROJECT = "project", pgettext_lazy("one project", "Vorhaben")


class FunnelFigure(TenantModel):
    """The funnel of one scope (the town, a neighbourhood, a project) in one month, or over
    all time (``month`` empty): how many people reached each stage."""

    scope = models.CharField(max_length=20, choices=Scope.choices)
    scope_id = models.BigIntegerField(default=0)  # the neighbourhood's or project's id; 0: town
    month = models.DateField(null=True, blank=True)
    participation = models.PositiveIntegerField(default=0)
    identification = models.PositiveIntegerField(default=0)
    motivation = models.PositiveIntegerField(default=0)
    engagement = models.PositiveIntegerField(default=0)
    responsibility = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zahl des Beteiligungstrichters")
        verbose_name_plural = _("Zahlen des Beteiligungstrichters")
        indexes = [models.Index(fields=["municipality", "scope", "scope_id", "month"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_id} {self.month or 'total'}"


class FunnelRun(TenantModel):
    """When the town's figures were last computed, and up to which act."""

    computed_at = models.DateTimeField()
    last_activity_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Berechnung des Beteiligungstrichters")
        verbose_name_plural = _("Berechnungen des Beteiligungstrichters")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="funnel_run_once_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.computed_at:%Y-%m-%d %H:%M}"
