"""Sponsorships (Patenschaften): residents and organisations care for a thing in public space."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import (
    Neighbourhood,
    Organisation,
    TenantModel,
    ensure_same_municipality,
)
from koproduktion.core.validators import no_html


class ObjectKind(models.TextChoices):
    TREE = "tree", _("Baum")
    BED = "bed", _("Beet")
    BENCH = "bench", _("Bank")
    PLAYGROUND = "playground", _("Spielplatz")
    BUS_STOP = "bus_stop", _("Haltestelle")
    OTHER = "other", _("Sonstiges")


class SponsorshipObject(TenantModel):
    """A thing in public space that can be taken into care, with its place on the map."""

    kind = models.CharField(_("Art"), max_length=20, choices=ObjectKind.choices)
    name = models.CharField(_("Bezeichnung"), max_length=200, validators=[no_html])
    description = models.TextField(_("Beschreibung"), blank=True, validators=[no_html])
    address = models.CharField(_("Ort oder Adresse"), max_length=200, blank=True)
    latitude = models.FloatField(_("Breitengrad"))
    longitude = models.FloatField(_("Längengrad"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Quartier")
    )
    duties = models.TextField(
        _("Übliche Aufgaben"),
        blank=True,
        validators=[no_html],
        help_text=_("Zum Beispiel: im Sommer wöchentlich gießen, Müll aufsammeln."),
    )
    # Staff take an object off the register (felled tree, removed bench) without losing history.
    is_active = models.BooleanField(_("im Register"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Patenschaftsobjekt")
        verbose_name_plural = _("Patenschaftsobjekte")
        indexes = [models.Index(fields=["municipality", "is_active", "kind"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ensure_same_municipality(self, "neighbourhood")


class SponsorshipStatus(models.TextChoices):
    APPLIED = "applied", _("beantragt")
    APPROVED = "approved", _("vereinbart")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    ENDED = "ended", _("beendet")


class Sponsorship(TenantModel):
    """An application and, once approved, the agreement with its terms."""

    object = models.ForeignKey(
        SponsorshipObject,
        on_delete=models.CASCADE,
        related_name="sponsorships",
        verbose_name=_("Objekt"),
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sponsorships",
        verbose_name=_("Pat*in"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("für die Organisation"),
    )
    motivation = models.TextField(
        _("Warum möchten Sie die Patenschaft übernehmen?"), blank=True, validators=[no_html]
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=SponsorshipStatus.choices,
        default=SponsorshipStatus.APPLIED,
    )
    wished_start = models.DateField(_("gewünschter Beginn"), null=True, blank=True)
    # The agreement, set by staff on approval.
    duties = models.TextField(_("Pflichten"), blank=True, validators=[no_html])
    insurance_note = models.TextField(_("Hinweis zur Versicherung"), blank=True)
    term_start = models.DateField(_("Beginn der Patenschaft"), null=True, blank=True)
    term_end = models.DateField(_("Ende der Patenschaft"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("Begründung"), blank=True)
    ended_at = models.DateTimeField(_("zurückgegeben am"), null=True, blank=True)
    end_reason = models.TextField(_("Grund der Rückgabe"), blank=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("beantragt am"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Patenschaft")
        verbose_name_plural = _("Patenschaften")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SponsorshipStatus.APPROVED)
                | Q(term_start__isnull=False, term_end__isnull=False),
                name="sponsorship_approved_has_term",
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gt=F("term_start")),
                name="sponsorship_term_ordered",
            ),
        ]
        indexes = [models.Index(fields=["object", "status", "term_start"])]

    def __str__(self) -> str:
        return f"{self.object} – {self.sponsor}"

    def clean(self) -> None:
        ensure_same_municipality(self, "object", "organisation")

    @property
    def sponsor_name(self) -> str:
        """The public name of the sponsor: the organisation, or the person's pseudonym."""
        return str(self.organisation or self.sponsor)
