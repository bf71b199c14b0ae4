"""The town's support catalogue: offers of information, advice, funding, qualification and
networking, who provides them, for whom, until when, and the projects and initiatives they help."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import (
    Department,
    Neighbourhood,
    Organisation,
    TenantModel,
    Topic,
    ensure_same_municipality,
)
from koproduktion.core.validators import no_html
from koproduktion.initiatives.models import Initiative
from koproduktion.projects.models import Project

TITLE_MAX = 200
SUMMARY_MAX = 300
TEXT_MAX = 10000
NOTE_MAX = 500

validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 ()/\-]{3,40}$",
    _("Bitte geben Sie eine Telefonnummer an, zum Beispiel 05555 100-150 oder +49 5555 100150."),
    code="phone",
)
validate_web = URLValidator(
    schemes=["http", "https"],
    message=_("Bitte geben Sie eine Webadresse an, die mit https:// oder http:// beginnt."),
)


class BuildingBlock(models.TextChoices):
    """The five building blocks of support (Quartier 2030)."""

    INFORMATION = "information", _("Information")
    ADVICE = "advice", _("Beratung")
    FUNDING = "funding", _("Förderung")
    QUALIFICATION = "qualification", _("Qualifizierung")
    NETWORKING = "networking", _("Vernetzung und Erfahrungsaustausch")


class OfferState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    ARCHIVED = "archived", _("archiviert")


class SupportOffer(TenantModel):
    """One offer of support: who provides it, for whom, what it brings, until when."""

    title = models.CharField(_("Titel"), max_length=TITLE_MAX, validators=[no_html])
    building_block = models.CharField(_("Baustein"), max_length=20, choices=BuildingBlock.choices)
    summary = models.CharField(
        _("Kurz gesagt"),
        max_length=SUMMARY_MAX,
        validators=[no_html],
        help_text=_("Ein, zwei Sätze: Das steht in der Liste."),
    )
    description = models.TextField(
        _("Beschreibung"),
        max_length=TEXT_MAX,
        blank=True,
        validators=[no_html],
        help_text=_("Was das Angebot bringt und wie man es bekommt. Markdown ist erlaubt."),
    )
    # ``description`` rendered (Markdown, sanitised) when saved: pages never render it per view.
    description_html = models.TextField(editable=False, default="")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anbietende Organisation"),
    )
    provider_name = models.CharField(
        _("Anbieter (Name)"),
        max_length=200,
        blank=True,
        validators=[no_html],
        help_text=_(
            "Zum Beispiel „Landesprogramm Soziale Stadt“, wenn es keine Organisation hier ist."
        ),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständiger Fachbereich"),
        help_text=_("Dessen Mitarbeitende pflegen das Angebot."),
    )
    target_group = models.CharField(
        _("Zielgruppe"),
        max_length=300,
        blank=True,
        validators=[no_html],
        help_text=_("Für wen das Angebot gedacht ist, z. B. Nachbarschaftsinitiativen, Vereine."),
    )
    eligibility = models.TextField(
        _("Wer kann es bekommen?"),
        max_length=2000,
        blank=True,
        validators=[no_html],
        help_text=_("Voraussetzungen, wer einen Antrag stellen kann."),
    )
    amount_min_cents = models.PositiveBigIntegerField(_("Fördersumme ab"), null=True, blank=True)
    amount_max_cents = models.PositiveBigIntegerField(_("Fördersumme bis"), null=True, blank=True)
    deadline = models.DateField(
        _("Frist"), null=True, blank=True, help_text=_("Leer lassen, wenn es laufend geht.")
    )
    contact_name = models.CharField(
        _("Ansprechperson"), max_length=200, blank=True, validators=[no_html]
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(
        _("Telefon"), max_length=50, blank=True, validators=[validate_phone]
    )
    contact_url = models.URLField(
        _("Webseite"), max_length=500, blank=True, validators=[validate_web]
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="+",
        verbose_name=_("Quartiere"),
        help_text=_("Keins gewählt: gilt für die ganze Kommune."),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("Themen"))
    state = models.CharField(
        _("Stand"), max_length=20, choices=OfferState.choices, default=OfferState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        ordering = ["deadline", "title", "pk"]
        verbose_name = _("Unterstützungsangebot")
        verbose_name_plural = _("Unterstützungsangebote")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min_cents__isnull=True)
                | Q(amount_max_cents__isnull=True)
                | Q(amount_min_cents__lte=F("amount_max_cents")),
                name="supportoffer_amounts_in_order",
            ),
            models.CheckConstraint(
                condition=Q(building_block=BuildingBlock.FUNDING)
                | Q(amount_min_cents__isnull=True, amount_max_cents__isnull=True),
                name="supportoffer_amounts_only_for_funding",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "state", "deadline"], name="supportoffer_list")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "organisation", "department")

    @property
    def html(self) -> SafeString:
        return mark_safe(self.description_html)  # noqa: S308 - sanitised by render_markdown when saved

    @property
    def is_public(self) -> bool:
        return self.state in (OfferState.PUBLISHED, OfferState.ARCHIVED)

    @property
    def is_archived(self) -> bool:
        return self.state == OfferState.ARCHIVED

    @property
    def provider(self) -> str:
        """Who offers it, as the pages name it."""
        names = [str(who) for who in (self.organisation, self.department) if who]
        if self.provider_name:
            names.insert(0, self.provider_name)
        return " · ".join(names)

    @property
    def has_amount(self) -> bool:
        return self.amount_min_cents is not None or self.amount_max_cents is not None

    def days_left(self, today: datetime.date | None = None) -> int | None:
        """Days until the deadline (0 on its day, negative after it); None without one."""
        if self.deadline is None:
            return None
        return (self.deadline - (today or timezone.localdate())).days

    @property
    def is_expired(self) -> bool:
        days = self.days_left()
        return days is not None and days < 0


class SupportLink(TenantModel):
    """An offer that fits a project or an initiative, linked by those who run it."""

    offer = models.ForeignKey(SupportOffer, on_delete=models.CASCADE, related_name="links")
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_links",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="support_links",
        verbose_name=_("Initiative"),
    )
    note = models.CharField(
        _("Notiz"),
        max_length=NOTE_MAX,
        blank=True,
        validators=[no_html],
        help_text=_("Wofür das Angebot passt, z. B. „Antrag für die Werkzeuge gestellt“."),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    linked_at = models.DateTimeField(_("verknüpft am"), auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = _("Verknüpfung mit einem Angebot")
        verbose_name_plural = _("Verknüpfungen mit Angeboten")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, initiative__isnull=True)
                | Q(project__isnull=True, initiative__isnull=False),
                name="supportlink_one_target",
            ),
            models.UniqueConstraint(
                fields=["offer", "project"],
                condition=Q(project__isnull=False),
                name="supportlink_project_once",
            ),
            models.UniqueConstraint(
                fields=["offer", "initiative"],
                condition=Q(initiative__isnull=False),
                name="supportlink_initiative_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.project or self.initiative}"

    @property
    def target(self) -> Project | Initiative:
        return self.project or self.initiative
