from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Neighbourhood, TenantModel, Topic, ensure_same_municipality
from koproduktion.core.validators import no_html
from koproduktion.projects.models import Project

TITLE_MIN, TITLE_MAX = 5, 120
TEXT_MIN, TEXT_MAX = 10, 5000


class IdeaStatus(models.TextChoices):
    """The public status of an idea: what became of it."""

    NEW = "new", _("neu")
    UNDER_REVIEW = "under_review", _("in Prüfung")
    ANSWERED = "answered", _("beantwortet")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    IMPLEMENTED = "implemented", _("umgesetzt")
    # A duplicate of another idea of the project, which now carries its supports
    # (``Idea.merged_into``; only ``idea_merge`` sets it).
    MERGED = "merged", _("zusammengeführt")


# What staff may choose on a status form; "merged" comes with the idea merged into (idea_merge).
SETTABLE_STATUSES = [
    (value, label) for value, label in IdeaStatus.choices if value != IdeaStatus.MERGED
]
# Statuses whose change must say why, in public.
STATUSES_NEEDING_REASON = frozenset({IdeaStatus.REJECTED, IdeaStatus.ACCEPTED, IdeaStatus.ANSWERED})


class Source(models.TextChoices):
    """Where a contribution was gathered. Anything but online was recorded by staff."""

    ONLINE = "online", _("online")
    PAPER = "paper", _("auf Papier")
    PHONE = "phone", _("am Telefon")
    WORKSHOP = "workshop", _("bei einer Veranstaltung")
    LETTER = "letter", _("per Brief oder E-Mail")


class Contribution(TenantModel):
    """What ideas and comments share: author or recording staff, source, moderation state."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    source = models.CharField(
        _("Herkunft"), max_length=20, choices=Source.choices, default=Source.ONLINE
    )
    # Contributions gathered offline: who typed it in, and (optionally) whose words they are.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    contributor_name = models.CharField(
        _("Name der Person (freiwillig)"), max_length=80, blank=True
    )
    created_at = models.DateTimeField(_("verfasst am"), auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(_("ausgeblendet am"), null=True, blank=True)
    hidden_reason = models.TextField(_("Grund der Ausblendung"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def byline(self) -> str:
        """The public name under the contribution."""
        if self.author_id:
            return str(self.author)
        return self.contributor_name or str(_("anonym"))


class Idea(Contribution):
    title = models.CharField(
        _("Titel"),
        max_length=TITLE_MAX,
        validators=[MinLengthValidator(TITLE_MIN), no_html],
    )
    text = models.TextField(
        _("Beschreibung"),
        validators=[MinLengthValidator(TEXT_MIN), MaxLengthValidator(TEXT_MAX), no_html],
        help_text=_("Markdown ist erlaubt: **fett**, *kursiv*, Listen und Links."),
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Thema")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Quartier")
    )
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    address = models.CharField(_("Ort oder Adresse"), max_length=200, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    # Counters kept by the services in the same transaction as the change, so lists need no
    # per-row counting.
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    comment_count = models.PositiveIntegerField(_("Kommentare"), default=0)
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    # Set by staff, for participatory budgets.
    cost_estimate_cents = models.BigIntegerField(
        _("geschätzte Kosten (Cent)"), null=True, blank=True
    )
    # When the idea reached the municipality's support quorum and went on the agenda.
    quorum_reached_at = models.DateTimeField(_("Quorum erreicht am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    # The idea this one duplicated, once staff merged them (status ``merged``).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zusammengeführt mit"),
    )
    # Raised with an UPDATE by every change of what the idea's own pages show (its supports,
    # its discussion), never written back by save(); see ideas.versions.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Recorded by staff at an event (a workshop, a walk): the event is where it was said. The app
    # ``events`` sits above this one, so the model is named, not imported.
    source_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_ideas",
        verbose_name=_("aufgenommen bei"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="idea_point_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-created_at", "-id"], name="idea_project_newest"),
            models.Index(
                fields=["project", "-support_count", "-id"], name="idea_project_supported"
            ),
            models.Index(fields=["project", "status"], name="idea_project_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "project", "topic", "neighbourhood", "source_event")
        if self.source_event_id and self.source_event.project_id != self.project_id:
            raise ValidationError(
                {"source_event": _("Diese Veranstaltung gehört zu einem anderen Vorhaben.")}
            )

    @property
    def has_point(self) -> bool:
        return self.latitude is not None


class IdeaStatusChange(TenantModel):
    """One entry in an idea's public status history."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(_("vorher"), max_length=20, choices=IdeaStatus.choices)
    new_status = models.CharField(_("nachher"), max_length=20, choices=IdeaStatus.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    # What the platform wrote rather than a person (a recorded decision: body, date, outcome): a
    # code with its values, put into words in the reader's language when shown
    # (``ideas.status_reasons``); ``reason`` then holds only what people wrote.
    reason_code = models.CharField(max_length=40, blank=True, editable=False)
    reason_params = models.JSONField(default=dict, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("geändert am"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")

    def __str__(self) -> str:
        return f"{self.idea}: {self.old_status} → {self.new_status}"

    @property
    def shown_reason(self) -> str:
        """The reason in the reader's language, as far as the platform wrote it."""
        from .status_reasons import status_reason_text  # noqa: PLC0415 - models load first

        return status_reason_text(self)


class Support(TenantModel):
    """One person's support for one idea; the database allows no second."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.idea}"


class IdeaTerm(TenantModel):
    """How often a word stem occurs in an idea (``ideas.similarity``), kept by the services that
    write the idea's title and text: the index that finds ideas like a draft."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="terms")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    stem = models.CharField(max_length=40)
    count = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("Wortstamm einer Idee")
        verbose_name_plural = _("Wortstämme der Ideen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "stem"], name="idea_term_once"),
        ]
        indexes = [models.Index(fields=["project", "stem"], name="idea_term_project_stem")]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.stem} × {self.count}"
