from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import (
    Department,
    Neighbourhood,
    TenantModel,
    Topic,
    ensure_same_municipality,
    plain_language_field,
)
from koproduktion.core.readability import readability_refusal
from koproduktion.core.uploads import UnguessableName, UploadField

from .capabilities import PhaseKind

# The public texts a municipality's minimum readability applies to.
READABLE_FIELDS = ("summary", "description", "plain_summary")


class Project(TenantModel):
    """A Vorhaben: one co-production process that runs through the phases."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown ist erlaubt.")
    )
    plain_summary = plain_language_field()
    # The current phase, set by staff. The timeline's dates are the plan; the phase is the fact.
    phase = models.CharField(
        _("aktuelle Phase"), max_length=20, choices=PhaseKind.choices, default=PhaseKind.INFORMATION
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("Thema")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("Quartier"),
        help_text=_("Leer lassen, wenn das Vorhaben die ganze Kommune betrifft."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("zuständiger Fachbereich"),
        help_text=_(
            "Federführend: beantwortet die Beiträge, die kein beteiligter Fachbereich übernimmt."
        ),
    )
    involved_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        verbose_name=_("beteiligte Fachbereiche"),
        help_text=_(
            "Beiträge zu einem Thema, für das einer von ihnen zuständig ist, gehen an ihn."
        ),
    )
    cost_estimate_cents = models.BigIntegerField(
        _("geschätzte Kosten (Cent)"), null=True, blank=True
    )
    next_decision_date = models.DateField(_("nächster Entscheidungstermin"), null=True, blank=True)
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_("Entwürfe sehen nur Verwaltung und Admins der Kommune."),
    )
    # When the project first went on the public list; it stays when a project is withdrawn and
    # published again. The participation charter measures its promise of time before a decision
    # from it (charter.measures).
    published_at = models.DateTimeField(
        _("veröffentlicht am"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    # Raised by every write that changes what the project's public pages show (ideas, their
    # status and moderation, polls, documents, the plan), so cached pages are keyed by it and never
    # served stale (with ``updated_at`` and the municipality's version, see projects.selectors).
    content_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Raised by every support and comment: the counts that lists of the project's ideas show
    # (ideas.versions). Apart from ``content_version``, so that the pages that show no counts,
    # and each idea's own pages (``Idea.content_version``), stay cached while people write.
    activity_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = pgettext_lazy("one project", "Vorhaben")
        verbose_name_plural = _("Vorhaben")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="project_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(cost_estimate_cents__gte=0),
                name="project_cost_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "is_published", "phase"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "topic", "neighbourhood", "department")
        self._require_readable()

    def _require_readable(self) -> None:
        """A published project's texts meet the town's minimum readability (core.readability):
        checked when it is published and when a text of a published project changes, in every
        write path (services and admin call ``full_clean``)."""
        minimum = self.municipality.min_readability if self.municipality_id else None
        if not minimum or not self.is_published:
            return
        before = (
            Project.objects.filter(pk=self.pk, is_published=True).values(*READABLE_FIELDS).first()
            if self.pk
            else None
        )
        refusal = readability_refusal(
            minimum,
            {
                name: getattr(self, name)
                for name in READABLE_FIELDS
                if before is None or before[name] != getattr(self, name)
            },
        )
        if refusal is not None:
            raise refusal

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Stamped here rather than in ``project_update`` alone: projects are published through
        # the services and through the admin (``core.services.tenant_record_save``), and both save.
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    @property
    def phase_kind(self) -> PhaseKind:
        return PhaseKind(self.phase)


class Phase(TenantModel):
    """One planned stage on a project's timeline."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="phases",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    kind = models.CharField(_("Phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    description = models.TextField(_("Was in dieser Phase geschieht"), blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        ensure_same_municipality(self, "project")


class Document(TenantModel):
    """A document or link that informs about a project."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("Link"), blank=True)
    file = UploadField(
        _("Datei"),
        upload_to=UnguessableName("documents"),
        blank=True,
        db_index=True,  # core.media finds the document by the file's name
        view_rule="projects.can_view_document",
        view_related=("project__municipality",),
        help_text=_("PDF, Bild oder Office-Dokument, höchstens 20 MB."),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file=""),
                name="document_has_url_or_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "project")

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


class PhaseChange(TenantModel):
    """The project moved on to its next phase, with a public note on why and what comes next.

    The project's page shows these as its history; followers are told. Who made the change stands
    in the administration's log, not here: the note speaks for the administration.
    """

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="phase_changes",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    from_phase = models.CharField(_("bisherige Phase"), max_length=20, choices=PhaseKind.choices)
    to_phase = models.CharField(_("neue Phase"), max_length=20, choices=PhaseKind.choices)
    note = models.TextField(_("Öffentliche Notiz"))
    changed_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("Phasenwechsel")
        verbose_name_plural = _("Phasenwechsel")
        indexes = [models.Index(fields=["project", "-changed_at"], name="phase_change_history")]

    def __str__(self) -> str:
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()}"

    def clean(self) -> None:
        ensure_same_municipality(self, "project")
