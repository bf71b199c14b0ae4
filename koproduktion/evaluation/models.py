"""Evaluation of a project: a short survey of the residents and the administration's report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import TenantModel
from koproduktion.core.validators import no_html
from koproduktion.projects.models import Project

RATING_MIN = 1
RATING_MAX = 5
TEXT_ANSWER_MAX = 1000
# Public results appear from this many answers on: fewer would let neighbours guess who rated what.
RESULTS_MINIMUM = 5


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Bewertung von 1 bis 5")
    YES_NO = "yes_no", _("Ja oder nein")
    TEXT = "text", _("Kurze freie Antwort")


class Survey(TenantModel):
    """A project's evaluation survey; made with its first question, opened by staff once."""

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="survey",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    opened_at = models.DateTimeField(_("geöffnet am"), null=True, blank=True)
    closes_on = models.DateField(
        _("Letzter Tag der Umfrage"),
        null=True,
        blank=True,
        help_text=_("Leer lassen: offen, solange das Vorhaben in der Auswertung ist."),
    )
    # Kept by survey_answer in the same transaction; the results page reads it, not a count.
    answer_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")

    def __str__(self) -> str:
        return str(self.project)


class Question(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("Art der Frage"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("Frage"), max_length=300, validators=[no_html])
    # The words at both ends of a rating: "gar nicht zufrieden" … "sehr zufrieden".
    low_label = models.CharField(
        _("Bedeutung von 1"), max_length=60, blank=True, validators=[no_html]
    )
    high_label = models.CharField(
        _("Bedeutung von 5"), max_length=60, blank=True, validators=[no_html]
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self) -> str:
        return self.text


class SurveyAnswer(TenantModel):
    """One person's answer to a survey; the database allows one per person and survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Antwort auf die Umfrage")
        verbose_name_plural = _("Antworten auf die Umfrage")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.survey}"


class QuestionAnswer(TenantModel):
    """The answer to one question: a rating, yes or no, or a short text, by the question's kind."""

    answer = models.ForeignKey(SurveyAnswer, on_delete=models.CASCADE, related_name="items")
    # A question that has answers cannot be deleted (the service says so; PROTECT guards it).
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=TEXT_ANSWER_MAX, validators=[no_html])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "question"], name="question_answered_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="rating_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.yes or self.text}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")


class EvaluationReport(TenantModel):
    """What was planned, what came of it, what it cost, when, and what was learned."""

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="evaluation_report",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    planned = models.TextField(
        _("Was geplant war"), validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    planned_html = models.TextField(editable=False, blank=True)
    outcome = models.TextField(
        _("Was daraus wurde"), validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    outcome_html = models.TextField(editable=False, blank=True)
    lessons = models.TextField(
        _("Was wir gelernt haben"),
        blank=True,
        validators=[no_html],
        help_text=_(
            "Markdown ist erlaubt. Was gut lief und was nicht: für das nächste Vorhaben und "
            "für andere Kommunen."
        ),
    )
    lessons_html = models.TextField(editable=False, blank=True)
    cost_estimate_cents = models.BigIntegerField(_("Kosten geschätzt"), null=True, blank=True)
    cost_actual_cents = models.BigIntegerField(_("Kosten tatsächlich"), null=True, blank=True)
    planned_start = models.DateField(_("Beginn geplant"), null=True, blank=True)
    planned_end = models.DateField(_("Ende geplant"), null=True, blank=True)
    kept_start = models.DateField(_("Beginn tatsächlich"), null=True, blank=True)
    kept_end = models.DateField(_("Ende tatsächlich"), null=True, blank=True)
    contact = models.CharField(
        _("Ansprechperson"), max_length=200, blank=True, validators=[no_html]
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when a published report is changed; the page says so, the log keeps what changed.
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Auswertungsbericht")
        verbose_name_plural = _("Auswertungsberichte")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_estimate_cents__isnull=True) | Q(cost_estimate_cents__gte=0),
                name="report_estimate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_actual_cents__isnull=True) | Q(cost_actual_cents__gte=0),
                name="report_actual_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def cost_difference_cents(self) -> int | None:
        """Actual minus estimated cost: above zero dearer, below cheaper; None without both."""
        if self.cost_estimate_cents is None or self.cost_actual_cents is None:
            return None
        return self.cost_actual_cents - self.cost_estimate_cents

    @property
    def cost_saved_cents(self) -> int | None:
        difference = self.cost_difference_cents
        return -difference if difference is not None and difference < 0 else None

    # The stored HTML, sanitised by render_markdown when the report was saved.
    @property
    def planned_rendered(self) -> SafeString:
        return mark_safe(self.planned_html)  # noqa: S308 - sanitised when saved

    @property
    def outcome_rendered(self) -> SafeString:
        return mark_safe(self.outcome_html)  # noqa: S308 - sanitised when saved

    @property
    def lessons_rendered(self) -> SafeString:
        return mark_safe(self.lessons_html)  # noqa: S308 - sanitised when saved
