from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import (
    Department,
    Neighbourhood,
    TenantModel,
    Topic,
    ensure_same_municipality,
)
from koproduktion.core.uploads import UnguessableName, UploadField

from .capabilities import PhaseKind


class Project(TenantModel):
    """A Vorhaben: one co-production process that runs through the phases."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Markdown ist erlaubt.")
    )
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
