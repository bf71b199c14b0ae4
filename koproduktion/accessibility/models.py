"""A town's accessibility statement (BITV 2.0, § 12b BGG and the Länder's laws) and the barriers
people report through it."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import TenantModel

# What a report may hold: a page address, and a description that fits an e-mail.
PAGE_MAX = 300
DESCRIPTION_MAX = 3000
NAME_MAX = 100
BARRIERS_MAX = 5000
ENFORCEMENT_MAX = 2000


class Conformity(models.TextChoices):
    """ "Stand der Vereinbarkeit mit den Anforderungen", in the template's three words."""

    FULL = "full", _("vollständig vereinbar")
    PARTIAL = "partial", _("teilweise vereinbar")
    NONE = "none", _("nicht vereinbar")


class Method(models.TextChoices):
    SELF = "self", _("Selbstbewertung")
    EXTERNAL = "external", _("Prüfung durch Dritte")


class AccessibilityStatement(TenantModel):
    """What the town declares about the accessibility of its pages; one per town."""

    conformity = models.CharField(
        _("Stand der Vereinbarkeit"),
        max_length=10,
        choices=Conformity.choices,
        default=Conformity.PARTIAL,
    )
    barriers = models.TextField(
        _("Nicht barrierefreie Inhalte"),
        blank=True,
        max_length=BARRIERS_MAX,
        validators=[MaxLengthValidator(BARRIERS_MAX)],
        help_text=_(
            "Was nicht barrierefrei ist, jeweils mit dem Grund und, wo es eine gibt, der "
            "zugänglichen Alternative. Ein Absatz je Inhalt."
        ),
    )
    prepared_on = models.DateField(_("Erklärung erstellt am"))
    reviewed_on = models.DateField(_("Zuletzt überprüft am"), null=True, blank=True)
    method = models.CharField(
        _("Grundlage der Erklärung"), max_length=10, choices=Method.choices, default=Method.SELF
    )
    contact_email = models.EmailField(
        _("E-Mail-Adresse für Rückmeldungen"),
        help_text=_("Meldungen über Barrieren gehen an diese Adresse."),
    )
    enforcement = models.TextField(
        _("Schlichtungsstelle"),
        max_length=ENFORCEMENT_MAX,
        validators=[MaxLengthValidator(ENFORCEMENT_MAX)],
        help_text=_(
            "Name und Anschrift der Schlichtungs- oder Durchsetzungsstelle, die für Ihre "
            "Kommune zuständig ist (je nach Land)."
        ),
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")
        verbose_name_plural = _("Erklärungen zur Barrierefreiheit")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="accessibility_statement_once")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class BarrierReport(TenantModel):
    """A barrier someone reported ("Barriere melden"): kept, and mailed to ``recipient``."""

    page = models.CharField(_("Seite"), max_length=PAGE_MAX)
    description = models.TextField(
        _("Was hat nicht funktioniert?"),
        max_length=DESCRIPTION_MAX,
        validators=[MaxLengthValidator(DESCRIPTION_MAX)],
    )
    contact_name = models.CharField(_("Name"), max_length=NAME_MAX, blank=True)
    contact_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    language = models.CharField(_("Sprache"), max_length=8)
    # The address the report was sent to, as it was then; empty when it was only kept.
    recipient = models.EmailField(_("gesendet an"), blank=True)
    created_at = models.DateTimeField(_("gemeldet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Gemeldete Barriere")
        verbose_name_plural = _("Gemeldete Barrieren")
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
