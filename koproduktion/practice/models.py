"""Good practice (Praxisbeispiele): what a town tried, what worked and what did not.

Tags are the platform's, not a town's: the library shows examples of every public town side by
side, and a filter by "Spielplatz" should find them all. docs/practice.md says more.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import TenantModel, ensure_same_municipality
from koproduktion.core.validators import no_html
from koproduktion.projects.models import Project

FIRST_YEAR = 1970
LAST_YEAR = 2100


class Tag(models.Model):
    """A keyword of the library, shared by all towns (``Spielplatz``, ``Mobilität``)."""

    name = models.CharField(_("Name"), max_length=60, validators=[no_html])
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")

    def __str__(self) -> str:
        return self.name


class Setting(models.TextChoices):
    """What kind of place the example comes from; the library compares it with a project's."""

    CENTRE = "centre", _("Innenstadt oder Ortskern")
    RESIDENTIAL = "residential", _("Wohnquartier")
    VILLAGE = "village", _("Dorf oder ländlicher Ortsteil")
    WHOLE_TOWN = "whole_town", _("ganze Kommune")


# The Markdown fields; each has its sanitised HTML beside it (``<name>_html``).
MARKDOWN_FIELDS = ("problem", "approach", "worked", "not_worked")


class PracticeExample(TenantModel):
    """One example of good practice, told by the town it comes from."""

    title = models.CharField(_("Titel"), max_length=200, validators=[no_html])
    place = models.CharField(
        _("Ort oder Quartier"),
        max_length=200,
        blank=True,
        validators=[no_html],
        help_text=_("Zum Beispiel: Nordstadt, rund um den Bahnhof."),
    )
    setting = models.CharField(
        _("Art des Ortes"), max_length=20, choices=Setting.choices, blank=True
    )
    problem = models.TextField(
        _("Ausgangslage: welches Problem?"),
        validators=[no_html],
        help_text=_("Markdown ist erlaubt."),
    )
    approach = models.TextField(
        _("Vorgehen: was wurde getan?"),
        validators=[no_html],
        help_text=_("Markdown ist erlaubt."),
    )
    actors = models.TextField(
        _("Beteiligte"),
        blank=True,
        validators=[no_html],
        help_text=_("Wer hat mitgemacht? Verwaltung, Vereine, Anwohner*innen, Firmen …"),
    )
    worked = models.TextField(
        _("Was gut funktioniert hat"),
        blank=True,
        validators=[no_html],
        help_text=_("Markdown ist erlaubt."),
    )
    not_worked = models.TextField(
        _("Was nicht funktioniert hat"),
        blank=True,
        validators=[no_html],
        help_text=_("Auch Fehler helfen anderen. Markdown ist erlaubt."),
    )
    problem_html = models.TextField(editable=False, default="")
    approach_html = models.TextField(editable=False, default="")
    worked_html = models.TextField(editable=False, default="")
    not_worked_html = models.TextField(editable=False, default="")
    contact_name = models.CharField(
        _("Ansprechperson"), max_length=120, blank=True, validators=[no_html]
    )
    contact_email = models.EmailField(_("E-Mail für Rückfragen"), blank=True)
    contact_url = models.URLField(_("Link zu mehr Informationen"), blank=True)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="examples", verbose_name=_("Schlagwörter")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_examples",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
        help_text=_("Das Vorhaben auf dieser Plattform, aus dem das Beispiel stammt."),
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("Wann es stattfand (oder begann)."),
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    # Word stems of title, problem and approach (practice.similarity), kept by the services:
    # "Ähnliche Vorhaben" compares them without reading the texts.
    stems = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("Praxisbeispiel")
        verbose_name_plural = _("Praxisbeispiele")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="practice_example_year_in_range",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "is_published"], name="practice_town_published")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "project")

    # The stored HTML, sanitised by core.markdown when saved (services._render).
    @property
    def problem_rendered(self) -> SafeString:
        return mark_safe(self.problem_html)  # noqa: S308 - sanitised when saved

    @property
    def approach_rendered(self) -> SafeString:
        return mark_safe(self.approach_html)  # noqa: S308 - sanitised when saved

    @property
    def worked_rendered(self) -> SafeString:
        return mark_safe(self.worked_html)  # noqa: S308 - sanitised when saved

    @property
    def not_worked_rendered(self) -> SafeString:
        return mark_safe(self.not_worked_html)  # noqa: S308 - sanitised when saved
